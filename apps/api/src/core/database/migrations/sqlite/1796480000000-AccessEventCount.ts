import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Taps of one unknown card on one machine within 10 s share a row: how many it stands for. */
export class AccessEventCountSqlite1796480000000 implements MigrationInterface {
  name = 'AccessEventCountSqlite1796480000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // A constant default: SQLite adds the column without copying the table.
    await queryRunner.query('ALTER TABLE "access_events" ADD COLUMN "count" integer NOT NULL DEFAULT 1');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "access_events" DROP COLUMN "count"');
  }
}
