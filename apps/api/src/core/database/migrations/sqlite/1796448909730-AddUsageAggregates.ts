import type { MigrationInterface, QueryRunner } from 'typeorm';
import { UsageAggregates } from '../../../../app/usage/usage-aggregates';
import { DEFAULT_LAB_TIME_ZONE } from '../../../config/config.schema';
import { sqlRunnerOf } from '../../sql';

export class AddUsageAggregatesSqlite1796448909730 implements MigrationInterface {
  name = 'AddUsageAggregatesSqlite1796448909730';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "usage_machine_totals" ("period" varchar(1) NOT NULL, "bucket" integer NOT NULL, "machineId" integer NOT NULL, "sessions" integer NOT NULL DEFAULT (0), "ms" bigint NOT NULL DEFAULT (0), PRIMARY KEY ("period", "bucket", "machineId"))',
    );
    await queryRunner.query(
      'CREATE TABLE "usage_member_totals" ("period" varchar(1) NOT NULL, "bucket" integer NOT NULL, "memberId" integer NOT NULL, "sessions" integer NOT NULL DEFAULT (0), "ms" bigint NOT NULL DEFAULT (0), PRIMARY KEY ("period", "bucket", "memberId"))',
    );
    await queryRunner.query(
      'CREATE TABLE "usage_hours" ("hour" integer PRIMARY KEY NOT NULL, "sessions" integer NOT NULL DEFAULT (0))',
    );
    await queryRunner.query('DROP INDEX "IDX_42f1fa218340c5472c1e483caa"');
    await queryRunner.query(
      'CREATE TABLE "temporary_maintenance_plans" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "machineId" integer NOT NULL, "hoursBetween" double precision NOT NULL, "description" varchar(500) NOT NULL, "lcdMessage" varchar(100) NOT NULL DEFAULT (\'\'), "instructionsUrl" varchar(500), "createdAt" datetime NOT NULL DEFAULT (datetime(\'now\')), "updatedAt" datetime NOT NULL DEFAULT (datetime(\'now\')), "dueNotifiedAt" bigint, "countedSince" bigint NOT NULL DEFAULT (0), "usedMs" bigint NOT NULL DEFAULT (0), CONSTRAINT "FK_42f1fa218340c5472c1e483caad" FOREIGN KEY ("machineId") REFERENCES "machines" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_maintenance_plans"("id", "machineId", "hoursBetween", "description", "lcdMessage", "instructionsUrl", "createdAt", "updatedAt", "dueNotifiedAt") SELECT "id", "machineId", "hoursBetween", "description", "lcdMessage", "instructionsUrl", "createdAt", "updatedAt", "dueNotifiedAt" FROM "maintenance_plans"',
    );
    await queryRunner.query('DROP TABLE "maintenance_plans"');
    await queryRunner.query('ALTER TABLE "temporary_maintenance_plans" RENAME TO "maintenance_plans"');
    await queryRunner.query(
      'CREATE INDEX "IDX_42f1fa218340c5472c1e483caa" ON "maintenance_plans" ("machineId") ',
    );
    // An upgraded lab starts with totals equal to its history, in the zone the app will keep them in
    // (the configuration's default when unset); `fabomatic rebuild-aggregates` redoes it any time.
    const timeZone = process.env['LAB_TIME_ZONE'] || DEFAULT_LAB_TIME_ZONE;
    await new UsageAggregates(sqlRunnerOf(queryRunner), timeZone, { logSettledChanges: false }).rebuild();
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_42f1fa218340c5472c1e483caa"');
    await queryRunner.query('ALTER TABLE "maintenance_plans" RENAME TO "temporary_maintenance_plans"');
    await queryRunner.query(
      'CREATE TABLE "maintenance_plans" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "machineId" integer NOT NULL, "hoursBetween" double precision NOT NULL, "description" varchar(500) NOT NULL, "lcdMessage" varchar(100) NOT NULL DEFAULT (\'\'), "instructionsUrl" varchar(500), "createdAt" datetime NOT NULL DEFAULT (datetime(\'now\')), "updatedAt" datetime NOT NULL DEFAULT (datetime(\'now\')), "dueNotifiedAt" bigint, CONSTRAINT "FK_42f1fa218340c5472c1e483caad" FOREIGN KEY ("machineId") REFERENCES "machines" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)',
    );
    await queryRunner.query(
      'INSERT INTO "maintenance_plans"("id", "machineId", "hoursBetween", "description", "lcdMessage", "instructionsUrl", "createdAt", "updatedAt", "dueNotifiedAt") SELECT "id", "machineId", "hoursBetween", "description", "lcdMessage", "instructionsUrl", "createdAt", "updatedAt", "dueNotifiedAt" FROM "temporary_maintenance_plans"',
    );
    await queryRunner.query('DROP TABLE "temporary_maintenance_plans"');
    await queryRunner.query(
      'CREATE INDEX "IDX_42f1fa218340c5472c1e483caa" ON "maintenance_plans" ("machineId") ',
    );
    await queryRunner.query('DROP TABLE "usage_hours"');
    await queryRunner.query('DROP TABLE "usage_member_totals"');
    await queryRunner.query('DROP TABLE "usage_machine_totals"');
  }
}
