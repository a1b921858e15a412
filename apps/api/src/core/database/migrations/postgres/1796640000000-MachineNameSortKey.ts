import type { MigrationInterface, QueryRunner } from 'typeorm';
import { machineNameSortKey } from '../../../../app/machines/machine-sort-key';

/** Machines sort by a stored key, so `MACHINE2` comes before `MACHINE10`: filled for the machines there are. */
export class MachineNameSortKeyPostgres1796640000000 implements MigrationInterface {
  name = 'MachineNameSortKeyPostgres1796640000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "machines" ADD "nameSortKey" character varying(300) NOT NULL DEFAULT ''`,
    );
    await queryRunner.query('CREATE INDEX "IDX_a6156e2abf64cf1f762bb1aba8" ON "machines" ("nameSortKey") ');
    const machines = (await queryRunner.query('SELECT "id", "name" FROM "machines"')) as {
      id: number;
      name: string;
    }[];
    for (const { id, name } of machines) {
      await queryRunner.query('UPDATE "machines" SET "nameSortKey" = $1 WHERE "id" = $2', [
        machineNameSortKey(name),
        id,
      ]);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_a6156e2abf64cf1f762bb1aba8"');
    await queryRunner.query('ALTER TABLE "machines" DROP COLUMN "nameSortKey"');
  }
}
