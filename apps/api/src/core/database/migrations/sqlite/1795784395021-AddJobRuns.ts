import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddJobRunsSqlite1795784395021 implements MigrationInterface {
  name = 'AddJobRunsSqlite1795784395021';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "job_runs" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "job" varchar(40) NOT NULL, "scheduledFor" bigint NOT NULL, "instance" varchar(120) NOT NULL, "startedAt" bigint NOT NULL, "finishedAt" bigint, "outcome" varchar(10), "error" varchar(500))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "UQ_job_runs_job_scheduled" ON "job_runs" ("job", "scheduledFor") ',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "UQ_job_runs_job_scheduled"');
    await queryRunner.query('DROP TABLE "job_runs"');
  }
}
