import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Taps of one unknown card on one machine within 10 s share a row: how many it stands for. */
export class AccessEventCountPostgres1796480000000 implements MigrationInterface {
  name = 'AccessEventCountPostgres1796480000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "access_events" ADD "count" integer NOT NULL DEFAULT 1');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "access_events" DROP COLUMN "count"');
  }
}
