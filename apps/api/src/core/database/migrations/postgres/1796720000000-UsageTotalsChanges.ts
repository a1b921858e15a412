import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The log of changes to settled weeks of the machines' weekly totals (`UsageAggregates`): a row per
 * write that changes a week before the current one. The weekly report keeps the settled weeks it
 * read while this log's count and last id stay the same (app/reports/settled-weeks.ts). Rows are
 * only inserted, so concurrent writers never wait for each other on it.
 */
export class UsageTotalsChangesPostgres1796720000000 implements MigrationInterface {
  name = 'UsageTotalsChangesPostgres1796720000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "usage_totals_changes" ("id" bigserial NOT NULL, "at" bigint NOT NULL, CONSTRAINT "PK_usage_totals_changes" PRIMARY KEY ("id"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "usage_totals_changes"');
  }
}
