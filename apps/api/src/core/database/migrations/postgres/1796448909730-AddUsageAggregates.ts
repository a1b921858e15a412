import type { MigrationInterface, QueryRunner } from 'typeorm';
import { UsageAggregates } from '../../../../app/usage/usage-aggregates';
import { DEFAULT_LAB_TIME_ZONE } from '../../../config/config.schema';
import { sqlRunnerOf } from '../../sql';

export class AddUsageAggregatesPostgres1796448909730 implements MigrationInterface {
  name = 'AddUsageAggregatesPostgres1796448909730';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "usage_machine_totals" ("period" character varying(1) NOT NULL, "bucket" integer NOT NULL, "machineId" integer NOT NULL, "sessions" integer NOT NULL DEFAULT \'0\', "ms" bigint NOT NULL DEFAULT \'0\', CONSTRAINT "PK_b9d4837d60ee15a9edd418adbd5" PRIMARY KEY ("period", "bucket", "machineId"))',
    );
    await queryRunner.query(
      'CREATE TABLE "usage_member_totals" ("period" character varying(1) NOT NULL, "bucket" integer NOT NULL, "memberId" integer NOT NULL, "sessions" integer NOT NULL DEFAULT \'0\', "ms" bigint NOT NULL DEFAULT \'0\', CONSTRAINT "PK_84d0740879cdbd645114dcef3f1" PRIMARY KEY ("period", "bucket", "memberId"))',
    );
    await queryRunner.query(
      'CREATE TABLE "usage_hours" ("hour" integer NOT NULL, "sessions" integer NOT NULL DEFAULT \'0\', CONSTRAINT "PK_848c6e918b0c638e87d4b3b2c00" PRIMARY KEY ("hour"))',
    );
    await queryRunner.query(
      'ALTER TABLE "maintenance_plans" ADD "countedSince" bigint NOT NULL DEFAULT \'0\'',
    );
    await queryRunner.query('ALTER TABLE "maintenance_plans" ADD "usedMs" bigint NOT NULL DEFAULT \'0\'');
    // An upgraded lab starts with totals equal to its history, in the zone the app will keep them in
    // (the configuration's default when unset); `fabomatic rebuild-aggregates` redoes it any time.
    const timeZone = process.env['LAB_TIME_ZONE'] || DEFAULT_LAB_TIME_ZONE;
    await new UsageAggregates(sqlRunnerOf(queryRunner), timeZone, { logSettledChanges: false }).rebuild();
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "maintenance_plans" DROP COLUMN "usedMs"');
    await queryRunner.query('ALTER TABLE "maintenance_plans" DROP COLUMN "countedSince"');
    await queryRunner.query('DROP TABLE "usage_hours"');
    await queryRunner.query('DROP TABLE "usage_member_totals"');
    await queryRunner.query('DROP TABLE "usage_machine_totals"');
  }
}
