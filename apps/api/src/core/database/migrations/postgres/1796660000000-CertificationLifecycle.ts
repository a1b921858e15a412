import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Training and certification (issue 15): an authorization's lifecycle (status, grant, last use) and
 * history, the machine types' certification policy, trainers, training requests and sessions, the
 * reminders sent, and the trainer of a supervised first use. Existing authorizations stay active
 * without expiry until a policy is set; their last use is read from the history once, here.
 */
export class CertificationLifecyclePostgres1796660000000 implements MigrationInterface {
  name = 'CertificationLifecyclePostgres1796660000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "trainers" ("id" SERIAL NOT NULL, "memberId" integer NOT NULL, "machineTypeId" integer NOT NULL, "grantedAt" bigint NOT NULL, "grantedById" integer, "revokedAt" bigint, "revokedById" integer, CONSTRAINT "PK_198da56395c269936d351ab774b" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_8be7bb9eab9d38adf1f74549b5" ON "trainers"  ("memberId", "revokedAt") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_c5c6817667fc43217dfad50ae0" ON "trainers"  ("machineTypeId", "revokedAt") ',
    );
    await queryRunner.query(
      'CREATE TABLE "authorization_changes" ("id" SERIAL NOT NULL, "authorizationId" integer NOT NULL, "memberId" integer NOT NULL, "machineId" integer NOT NULL, "at" bigint NOT NULL, "change" character varying(16) NOT NULL, "fromStatus" character varying(16), "toStatus" character varying(16) NOT NULL, "reason" character varying(500), "actorId" integer, "expiresAt" bigint, CONSTRAINT "PK_9926a10f56b162be990f68af07a" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_a2a40d3a8ac42ca538d2c0502a" ON "authorization_changes"  ("memberId", "at") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_baaf928edc40edb62aa9c8579f" ON "authorization_changes"  ("authorizationId", "at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "certification_reminders" ("id" SERIAL NOT NULL, "authorizationId" integer NOT NULL, "daysBefore" integer NOT NULL, "expiresAt" bigint NOT NULL, "sentAt" bigint NOT NULL, CONSTRAINT "PK_22d778a7a02613cfa012661c681" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_c06d41625a2ecbd2cce1096dd4" ON "certification_reminders"  ("authorizationId", "daysBefore", "expiresAt") ',
    );
    await queryRunner.query(
      'CREATE TABLE "training_requests" ("id" SERIAL NOT NULL, "memberId" integer NOT NULL, "machineTypeId" integer NOT NULL, "note" character varying(500), "state" character varying(16) NOT NULL DEFAULT \'open\', "trainingSessionId" integer, "createdAt" bigint NOT NULL, "updatedAt" bigint NOT NULL, CONSTRAINT "PK_b63534b199679e013128ef0ed28" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_8f294e4c36ef71445422435518" ON "training_requests"  ("memberId", "createdAt") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_715c921b667ed3c24671fd1d36" ON "training_requests"  ("machineTypeId", "state", "createdAt") ',
    );
    await queryRunner.query(
      'CREATE TABLE "training_sessions" ("id" SERIAL NOT NULL, "machineTypeId" integer NOT NULL, "trainerId" integer NOT NULL, "startsAt" bigint NOT NULL, "place" character varying(200) NOT NULL, "capacity" integer NOT NULL, "createdAt" bigint NOT NULL, "completedAt" bigint, CONSTRAINT "PK_6678399f77ed9db5176459befa9" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_7e10c748502d69f3cf762a6dd0" ON "training_sessions"  ("trainerId", "startsAt") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_06093082fcc35cd37001003585" ON "training_sessions"  ("machineTypeId", "startsAt") ',
    );
    await queryRunner.query(
      'CREATE TABLE "training_attendees" ("id" SERIAL NOT NULL, "sessionId" integer NOT NULL, "memberId" integer NOT NULL, "requestId" integer, "outcome" character varying(16) NOT NULL DEFAULT \'pending\', CONSTRAINT "PK_7ea941a8f1b93bd7f8acb8cfa6e" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_645376425b5864f724beb5b6f5" ON "training_attendees"  ("memberId") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_50b45a3b7f0bf0097e4ed304a2" ON "training_attendees"  ("sessionId", "memberId") ',
    );
    await queryRunner.query(`ALTER TABLE "machine_types" ADD "validityDays" integer`);
    await queryRunner.query(`ALTER TABLE "machine_types" ADD "decayDays" integer`);
    await queryRunner.query(
      `ALTER TABLE "machine_types" ADD "reminderDays" character varying(64) NOT NULL DEFAULT ''`,
    );
    await queryRunner.query(
      `ALTER TABLE "authorizations" ADD "status" character varying(16) NOT NULL DEFAULT 'active'`,
    );
    await queryRunner.query(`ALTER TABLE "authorizations" ADD "grantedAt" bigint`);
    await queryRunner.query(`ALTER TABLE "authorizations" ADD "grantedById" integer`);
    await queryRunner.query(`ALTER TABLE "authorizations" ADD "lastUsedAt" bigint`);
    await queryRunner.query(`ALTER TABLE "usage_sessions" ADD "trainerId" integer`);
    await queryRunner.query(
      `UPDATE "authorizations" SET "grantedAt" = (EXTRACT(EPOCH FROM "createdAt") * 1000)::bigint`,
    );
    await queryRunner.query(`UPDATE "authorizations" SET "lastUsedAt" = (
        SELECT MAX(s."startedAt") FROM "usage_sessions" s
        JOIN "machines" m ON m."id" = s."machineId"
        JOIN "machines" own ON own."id" = "authorizations"."machineId"
        WHERE s."memberId" = "authorizations"."memberId"
          AND (m."id" = own."id" OR m."typeId" = own."typeId"))`);
    await queryRunner.query(`INSERT INTO "authorization_changes" ("authorizationId", "memberId", "machineId", "at", "change", "fromStatus", "toStatus", "reason", "actorId", "expiresAt")
        SELECT "id", "memberId", "machineId", "grantedAt", 'granted', NULL, 'active', NULL, NULL, "expiresAt" FROM "authorizations"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "usage_sessions" DROP COLUMN "trainerId"`);
    await queryRunner.query(`ALTER TABLE "authorizations" DROP COLUMN "lastUsedAt"`);
    await queryRunner.query(`ALTER TABLE "authorizations" DROP COLUMN "grantedById"`);
    await queryRunner.query(`ALTER TABLE "authorizations" DROP COLUMN "grantedAt"`);
    await queryRunner.query(`ALTER TABLE "authorizations" DROP COLUMN "status"`);
    await queryRunner.query(`ALTER TABLE "machine_types" DROP COLUMN "reminderDays"`);
    await queryRunner.query(`ALTER TABLE "machine_types" DROP COLUMN "decayDays"`);
    await queryRunner.query(`ALTER TABLE "machine_types" DROP COLUMN "validityDays"`);
    await queryRunner.query(`DROP TABLE "training_attendees"`);
    await queryRunner.query(`DROP TABLE "training_sessions"`);
    await queryRunner.query(`DROP TABLE "training_requests"`);
    await queryRunner.query(`DROP TABLE "trainers"`);
    await queryRunner.query(`DROP TABLE "certification_reminders"`);
    await queryRunner.query(`DROP TABLE "authorization_changes"`);
  }
}
