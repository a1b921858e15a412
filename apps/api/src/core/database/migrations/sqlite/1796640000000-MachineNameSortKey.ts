import type { MigrationInterface, QueryRunner } from 'typeorm';
import { machineNameSortKey } from '../../../../app/machines/machine-sort-key';

/** Machines sort by a stored key, so `MACHINE2` comes before `MACHINE10`: filled for the machines there are. */
export class MachineNameSortKeySqlite1796640000000 implements MigrationInterface {
  name = 'MachineNameSortKeySqlite1796640000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // With a constant default SQLite adds the column without copying the table.
    await queryRunner.query(
      `ALTER TABLE "machines" ADD COLUMN "nameSortKey" varchar(300) NOT NULL DEFAULT ('')`,
    );
    await queryRunner.query('CREATE INDEX "IDX_a6156e2abf64cf1f762bb1aba8" ON "machines" ("nameSortKey") ');
    const machines = (await queryRunner.query('SELECT "id", "name" FROM "machines"')) as {
      id: number;
      name: string;
    }[];
    for (const { id, name } of machines) {
      await queryRunner.query('UPDATE "machines" SET "nameSortKey" = ? WHERE "id" = ?', [
        machineNameSortKey(name),
        id,
      ]);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_a6156e2abf64cf1f762bb1aba8"');
    await queryRunner.query('ALTER TABLE "machines" DROP COLUMN "nameSortKey"');
  }
}
