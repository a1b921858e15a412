import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ProblemReportsPostgres1796620000000 implements MigrationInterface {
  name = 'ProblemReportsPostgres1796620000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "machine_outages" ("id" SERIAL NOT NULL, "machineId" integer NOT NULL, "startedAt" bigint NOT NULL, "endedAt" bigint, CONSTRAINT "PK_f61dc214c43b08d3e6fc19e57fb" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_b6953c05dc42276cbe0940c34d" ON "machine_outages"  ("endedAt") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_machine_outages_machine_started" ON "machine_outages"  ("machineId", "startedAt") ',
    );
    await queryRunner.query(
      'CREATE TABLE "problem_reports" ("id" SERIAL NOT NULL, "machineId" integer NOT NULL, "reporterId" integer NOT NULL, "severity" character varying(16) NOT NULL, "hardLock" boolean NOT NULL DEFAULT false, "description" character varying(2000) NOT NULL, "state" character varying(16) NOT NULL DEFAULT \'open\', "hasPhoto" boolean NOT NULL DEFAULT false, "createdAt" bigint NOT NULL, "resolvedAt" bigint, "resolvedById" integer, "resolution" character varying(2000), "cancelledAt" bigint, "outageId" integer, CONSTRAINT "PK_e2eab5c6c6d242af67bc5ec2e7d" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_7fd615e62c910d9ffbd5824fc0" ON "problem_reports"  ("reporterId") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_f2eb17c94ff16782a8b9028eba" ON "problem_reports"  ("outageId") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_problem_reports_state_created" ON "problem_reports"  ("state", "createdAt") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_problem_reports_machine_state" ON "problem_reports"  ("machineId", "state") ',
    );
    await queryRunner.query(
      'CREATE TABLE "problem_photos" ("reportId" integer NOT NULL, "mime" character varying(32) NOT NULL, "bytes" text NOT NULL, CONSTRAINT "PK_8b12cf2d8fdb22d9ba84952e40f" PRIMARY KEY ("reportId"))',
    );
    await queryRunner.query('ALTER TABLE "members" ADD "machineStatusEmails" boolean NOT NULL DEFAULT true');
    await queryRunner.query(
      'ALTER TABLE "machine_types" ADD "membersMayDeclareOutOfOrder" boolean NOT NULL DEFAULT true',
    );
    await queryRunner.query('ALTER TABLE "machines" ADD "outOfOrderSince" bigint');
    await queryRunner.query('ALTER TABLE "machines" ADD "outOfOrderHardLock" boolean NOT NULL DEFAULT false');
    await queryRunner.query(
      'ALTER TABLE "machine_outages" ADD CONSTRAINT "FK_3954e9d4c128942d9a4b7f01676" FOREIGN KEY ("machineId") REFERENCES "machines"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "problem_reports" ADD CONSTRAINT "FK_b5a61133be4d40b76668d255bbe" FOREIGN KEY ("machineId") REFERENCES "machines"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "problem_reports" ADD CONSTRAINT "FK_7fd615e62c910d9ffbd5824fc00" FOREIGN KEY ("reporterId") REFERENCES "members"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "problem_reports" ADD CONSTRAINT "FK_6ae28d2e148d3c9e1a485acd20c" FOREIGN KEY ("resolvedById") REFERENCES "members"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "problem_reports" ADD CONSTRAINT "FK_f2eb17c94ff16782a8b9028eba9" FOREIGN KEY ("outageId") REFERENCES "machine_outages"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "problem_photos" ADD CONSTRAINT "FK_8b12cf2d8fdb22d9ba84952e40f" FOREIGN KEY ("reportId") REFERENCES "problem_reports"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "problem_photos" DROP CONSTRAINT "FK_8b12cf2d8fdb22d9ba84952e40f"');
    await queryRunner.query('ALTER TABLE "problem_reports" DROP CONSTRAINT "FK_f2eb17c94ff16782a8b9028eba9"');
    await queryRunner.query('ALTER TABLE "problem_reports" DROP CONSTRAINT "FK_6ae28d2e148d3c9e1a485acd20c"');
    await queryRunner.query('ALTER TABLE "problem_reports" DROP CONSTRAINT "FK_7fd615e62c910d9ffbd5824fc00"');
    await queryRunner.query('ALTER TABLE "problem_reports" DROP CONSTRAINT "FK_b5a61133be4d40b76668d255bbe"');
    await queryRunner.query('ALTER TABLE "machine_outages" DROP CONSTRAINT "FK_3954e9d4c128942d9a4b7f01676"');
    await queryRunner.query('ALTER TABLE "machines" DROP COLUMN "outOfOrderHardLock"');
    await queryRunner.query('ALTER TABLE "machines" DROP COLUMN "outOfOrderSince"');
    await queryRunner.query('ALTER TABLE "machine_types" DROP COLUMN "membersMayDeclareOutOfOrder"');
    await queryRunner.query('ALTER TABLE "members" DROP COLUMN "machineStatusEmails"');
    await queryRunner.query('DROP TABLE "problem_photos"');
    await queryRunner.query('DROP INDEX "public"."IDX_problem_reports_machine_state"');
    await queryRunner.query('DROP INDEX "public"."IDX_problem_reports_state_created"');
    await queryRunner.query('DROP INDEX "public"."IDX_f2eb17c94ff16782a8b9028eba"');
    await queryRunner.query('DROP INDEX "public"."IDX_7fd615e62c910d9ffbd5824fc0"');
    await queryRunner.query('DROP TABLE "problem_reports"');
    await queryRunner.query('DROP INDEX "public"."IDX_machine_outages_machine_started"');
    await queryRunner.query('DROP INDEX "public"."IDX_b6953c05dc42276cbe0940c34d"');
    await queryRunner.query('DROP TABLE "machine_outages"');
  }
}
