import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The log of changes to settled weeks of the machines' weekly totals (`UsageAggregates`): a row per
 * write that changes a week before the current one. The weekly report keeps the settled weeks it
 * read while this log's count and last id stay the same (app/reports/settled-weeks.ts).
 */
export class UsageTotalsChangesSqlite1796720000000 implements MigrationInterface {
  name = 'UsageTotalsChangesSqlite1796720000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "usage_totals_changes" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "at" bigint NOT NULL)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "usage_totals_changes"');
  }
}
