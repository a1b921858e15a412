import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddPlanDueNoticePostgres1795769307409 implements MigrationInterface {
  name = 'AddPlanDueNoticePostgres1795769307409';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "maintenance_plans" ADD "dueNotifiedAt" bigint');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "maintenance_plans" DROP COLUMN "dueNotifiedAt"');
  }
}
