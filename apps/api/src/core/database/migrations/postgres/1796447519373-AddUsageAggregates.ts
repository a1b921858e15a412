import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DEFAULT_LAB_TIME_ZONE } from '../../../config/config.schema';
import { UsageAggregates } from '../../../../app/usage/usage-aggregates';
import { sqlRunnerOf } from '../../sql';

export class AddUsageAggregatesPostgres1796447519373 implements MigrationInterface {
  name = 'AddUsageAggregatesPostgres1796447519373';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "usage_machine_weeks" ("week" integer NOT NULL, "machineId" integer NOT NULL, "sessions" integer NOT NULL DEFAULT \'0\', "ms" bigint NOT NULL DEFAULT \'0\', CONSTRAINT "PK_ae52aedbc8879c935043bf704f4" PRIMARY KEY ("week", "machineId"))',
    );
    await queryRunner.query(
      'CREATE TABLE "usage_member_weeks" ("week" integer NOT NULL, "memberId" integer NOT NULL, "sessions" integer NOT NULL DEFAULT \'0\', "ms" bigint NOT NULL DEFAULT \'0\', CONSTRAINT "PK_2b5e90676ddf9558d9254c10121" PRIMARY KEY ("week", "memberId"))',
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
    await new UsageAggregates(
      sqlRunnerOf(queryRunner),
      process.env['LAB_TIME_ZONE'] || DEFAULT_LAB_TIME_ZONE,
    ).rebuild();
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "maintenance_plans" DROP COLUMN "usedMs"');
    await queryRunner.query('ALTER TABLE "maintenance_plans" DROP COLUMN "countedSince"');
    await queryRunner.query('DROP TABLE "usage_hours"');
    await queryRunner.query('DROP TABLE "usage_member_weeks"');
    await queryRunner.query('DROP TABLE "usage_machine_weeks"');
  }
}
