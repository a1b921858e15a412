import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddJobRunsPostgres1795784395021 implements MigrationInterface {
  name = 'AddJobRunsPostgres1795784395021';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "job_runs" ("id" SERIAL NOT NULL, "job" character varying(40) NOT NULL, "scheduledFor" bigint NOT NULL, "instance" character varying(120) NOT NULL, "startedAt" bigint NOT NULL, "finishedAt" bigint, "outcome" character varying(10), "error" character varying(500), CONSTRAINT "PK_4d0012c04fcfc287550b76be7e9" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "UQ_job_runs_job_scheduled" ON "job_runs"  ("job", "scheduledFor") ',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."UQ_job_runs_job_scheduled"');
    await queryRunner.query('DROP TABLE "job_runs"');
  }
}
