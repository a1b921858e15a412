import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A retired machine: refused at the board and hidden from lists, its history kept. */
export class MachineRetiredAtSqlite1796500000000 implements MigrationInterface {
  name = 'MachineRetiredAtSqlite1796500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Nullable without a default: SQLite adds the column without copying the table.
    await queryRunner.query('ALTER TABLE "machines" ADD COLUMN "retiredAt" bigint');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "machines" DROP COLUMN "retiredAt"');
  }
}
