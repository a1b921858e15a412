import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialPostgres1795765516374 implements MigrationInterface {
  name = 'InitialPostgres1795765516374';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "access_events" ("id" SERIAL NOT NULL, "occurredAt" bigint NOT NULL, "topicId" character varying(5) NOT NULL, "machineId" integer, "cardUid" character varying(20), "memberId" integer, "action" character varying(16) NOT NULL, "reason" character varying(32) NOT NULL, "granted" boolean NOT NULL, "level" integer, "replay" boolean NOT NULL DEFAULT false, "actorMemberId" integer, CONSTRAINT "PK_b5edb54463ff60f59a3d40f71e3" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_2d8572d1250610b97a2fcb8bc8" ON "access_events"  ("occurredAt") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_b2d7d871739b9564e0c4167f2c" ON "access_events"  ("machineId") ',
    );
    await queryRunner.query('CREATE INDEX "IDX_435f71f789b70c41de24f46aec" ON "access_events"  ("cardUid") ');
    await queryRunner.query(
      'CREATE INDEX "IDX_ce489061b80a0983be7fb3bb75" ON "access_events"  ("memberId") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_08cbae137c0088933aa32d3ab3" ON "access_events"  ("reason", "occurredAt") ',
    );
    await queryRunner.query(
      'CREATE TABLE "audit_log" ("id" SERIAL NOT NULL, "occurredAt" bigint NOT NULL, "actorMemberId" integer, "actorLabel" character varying(254) NOT NULL, "action" character varying(64) NOT NULL, "entityType" character varying(64) NOT NULL, "entityId" character varying(64), "before" text, "after" text, CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_2a311d5dab3e802e7d50512fb0" ON "audit_log"  ("occurredAt") ');
    await queryRunner.query(
      'CREATE INDEX "IDX_7253c576c9bcaf94fe064341dd" ON "audit_log"  ("entityType", "entityId") ',
    );
    await queryRunner.query(
      'CREATE TABLE "machine_types" ("id" SERIAL NOT NULL, "name" character varying(100) NOT NULL, "autoLogoffMinutes" integer NOT NULL DEFAULT \'1440\', "graceMinutes" integer NOT NULL DEFAULT \'2\', "accessManagement" character varying(16) NOT NULL DEFAULT \'authorization\', "createdAt" TIMESTAMP NOT NULL DEFAULT now(), "updatedAt" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "UQ_b190c8967cfae779ab448838c18" UNIQUE ("name"), CONSTRAINT "PK_619f25685fdfcd545089e70d5c3" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "machines" ("id" SERIAL NOT NULL, "topicId" character varying(5) NOT NULL, "name" character varying(100) NOT NULL, "typeId" integer, "blocked" boolean NOT NULL DEFAULT false, "usageSeconds" bigint NOT NULL DEFAULT \'0\', "lastSeenAt" bigint, "createdAt" TIMESTAMP NOT NULL DEFAULT now(), "updatedAt" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "UQ_005481cad20f051f1ea2126bc01" UNIQUE ("name"), CONSTRAINT "PK_7b0817c674bb984650c5274e713" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_b42e2893927c62fdcb68e06bfa" ON "machines"  ("topicId") ',
    );
    await queryRunner.query('CREATE INDEX "IDX_47f3c8cecc051d062497e0d6e0" ON "machines"  ("typeId") ');
    await queryRunner.query(
      'CREATE TABLE "roles" ("id" SERIAL NOT NULL, "name" character varying(100) NOT NULL, "authorizeAll" boolean NOT NULL DEFAULT false, "maintenance" boolean NOT NULL DEFAULT false, "portalAccess" character varying(16) NOT NULL DEFAULT \'none\', "reserved" boolean NOT NULL DEFAULT false, "createdAt" TIMESTAMP NOT NULL DEFAULT now(), "updatedAt" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "UQ_648e3f5447f725579d7d4ffdfb7" UNIQUE ("name"), CONSTRAINT "PK_c1433d71a4838793a49dcad46ab" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "members" ("id" SERIAL NOT NULL, "name" character varying(100) NOT NULL, "surname" character varying(100) NOT NULL DEFAULT \'\', "email" character varying(254), "cardUid" character varying(20), "roleId" integer NOT NULL, "disabled" boolean NOT NULL DEFAULT false, "deletedAt" bigint, "passwordHash" character varying(255), "mustChangePassword" boolean NOT NULL DEFAULT false, "receiveWeeklySummary" boolean NOT NULL DEFAULT false, "language" character varying(5) NOT NULL DEFAULT \'en\', "createdAt" TIMESTAMP NOT NULL DEFAULT now(), "updatedAt" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_28b53062261b996d9c99fa12404" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "IDX_2714af51e3f7dd42cf66eeb08d" ON "members"  ("email") ');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_c78ff2838fcca03ea170db55d6" ON "members"  ("cardUid") ',
    );
    await queryRunner.query('CREATE INDEX "IDX_cd453dd56273a142fb4baf62d1" ON "members"  ("roleId") ');
    await queryRunner.query(
      'CREATE TABLE "authorizations" ("id" SERIAL NOT NULL, "memberId" integer NOT NULL, "machineId" integer NOT NULL, "expiresAt" bigint, "createdAt" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_03e79e63bef1d024d38b8556b8c" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_a5fd6487f123157f83c792a22c" ON "authorizations"  ("machineId") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_7d48b3f15985e0fdf76cd5f1ad" ON "authorizations"  ("memberId", "machineId") ',
    );
    await queryRunner.query(
      'CREATE TABLE "boards" ("id" SERIAL NOT NULL, "serial" character varying(12), "topicId" character varying(5) NOT NULL, "machineId" integer, "ipAddress" character varying(64), "firmwareVersion" character varying(128), "freeHeap" integer, "lastSeenAt" bigint NOT NULL, "createdAt" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_606923b0b068ef262dfdcd18f44" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "IDX_3d5410d1fd9e8dd60dd0923f69" ON "boards"  ("serial") ');
    await queryRunner.query('CREATE INDEX "IDX_204af5b555b4c26694ca320d67" ON "boards"  ("topicId") ');
    await queryRunner.query('CREATE INDEX "IDX_7eba46060374dbc043e98c6d29" ON "boards"  ("machineId") ');
    await queryRunner.query(
      'CREATE TABLE "maintenance_plans" ("id" SERIAL NOT NULL, "machineId" integer NOT NULL, "hoursBetween" double precision NOT NULL, "description" character varying(500) NOT NULL, "lcdMessage" character varying(100) NOT NULL DEFAULT \'\', "instructionsUrl" character varying(500), "createdAt" TIMESTAMP NOT NULL DEFAULT now(), "updatedAt" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_bc2a330993cedb65505a154ac5d" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_42f1fa218340c5472c1e483caa" ON "maintenance_plans"  ("machineId") ',
    );
    await queryRunner.query(
      'CREATE TABLE "interventions" ("id" SERIAL NOT NULL, "planId" integer, "machineId" integer NOT NULL, "memberId" integer, "performedAt" bigint NOT NULL, "replay" boolean NOT NULL DEFAULT false, "source" character varying(16) NOT NULL DEFAULT \'board\', "createdAt" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_39babe074cbaa90750582bfc38d" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_706c094a441374bc72a771cbc4" ON "interventions"  ("machineId") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_20066b2ecab059ddbe559d0dae" ON "interventions"  ("planId", "performedAt") ',
    );
    await queryRunner.query(
      'CREATE TABLE "usage_sessions" ("id" SERIAL NOT NULL, "memberId" integer NOT NULL, "machineId" integer NOT NULL, "startedAt" bigint NOT NULL, "lastSeenAt" bigint NOT NULL, "endedAt" bigint, "endReason" character varying(16), "replay" boolean NOT NULL DEFAULT false, "createdAt" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_42692592ebe042eacacc1647dc7" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_6cb5d13da900cbc14780d35c38" ON "usage_sessions"  ("endedAt") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "UQ_usage_sessions_open_per_machine" ON "usage_sessions"  ("machineId") WHERE "endedAt" IS NULL',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_e0a83b230f28ba15ad9244f0f0" ON "usage_sessions"  ("memberId", "machineId", "endedAt") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_6e6f337b02209bcbbe3b060f10" ON "usage_sessions"  ("machineId", "startedAt") ',
    );
    await queryRunner.query(
      'ALTER TABLE "machines" ADD CONSTRAINT "FK_47f3c8cecc051d062497e0d6e0a" FOREIGN KEY ("typeId") REFERENCES "machine_types"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "members" ADD CONSTRAINT "FK_cd453dd56273a142fb4baf62d19" FOREIGN KEY ("roleId") REFERENCES "roles"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "authorizations" ADD CONSTRAINT "FK_8ddff53e67a3f045dec48d2af78" FOREIGN KEY ("memberId") REFERENCES "members"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "authorizations" ADD CONSTRAINT "FK_a5fd6487f123157f83c792a22cc" FOREIGN KEY ("machineId") REFERENCES "machines"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "maintenance_plans" ADD CONSTRAINT "FK_42f1fa218340c5472c1e483caad" FOREIGN KEY ("machineId") REFERENCES "machines"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "interventions" ADD CONSTRAINT "FK_7771bc90d6fc56a0dd18fa971a1" FOREIGN KEY ("planId") REFERENCES "maintenance_plans"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "interventions" ADD CONSTRAINT "FK_706c094a441374bc72a771cbc49" FOREIGN KEY ("machineId") REFERENCES "machines"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "interventions" ADD CONSTRAINT "FK_0383920fdbe0510615ded87084d" FOREIGN KEY ("memberId") REFERENCES "members"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "usage_sessions" ADD CONSTRAINT "FK_16c7159716b0a5658b4a44eacc2" FOREIGN KEY ("memberId") REFERENCES "members"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "usage_sessions" ADD CONSTRAINT "FK_63497c97d82afa96b4236e53cdb" FOREIGN KEY ("machineId") REFERENCES "machines"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "usage_sessions" DROP CONSTRAINT "FK_63497c97d82afa96b4236e53cdb"');
    await queryRunner.query('ALTER TABLE "usage_sessions" DROP CONSTRAINT "FK_16c7159716b0a5658b4a44eacc2"');
    await queryRunner.query('ALTER TABLE "interventions" DROP CONSTRAINT "FK_0383920fdbe0510615ded87084d"');
    await queryRunner.query('ALTER TABLE "interventions" DROP CONSTRAINT "FK_706c094a441374bc72a771cbc49"');
    await queryRunner.query('ALTER TABLE "interventions" DROP CONSTRAINT "FK_7771bc90d6fc56a0dd18fa971a1"');
    await queryRunner.query(
      'ALTER TABLE "maintenance_plans" DROP CONSTRAINT "FK_42f1fa218340c5472c1e483caad"',
    );
    await queryRunner.query('ALTER TABLE "authorizations" DROP CONSTRAINT "FK_a5fd6487f123157f83c792a22cc"');
    await queryRunner.query('ALTER TABLE "authorizations" DROP CONSTRAINT "FK_8ddff53e67a3f045dec48d2af78"');
    await queryRunner.query('ALTER TABLE "members" DROP CONSTRAINT "FK_cd453dd56273a142fb4baf62d19"');
    await queryRunner.query('ALTER TABLE "machines" DROP CONSTRAINT "FK_47f3c8cecc051d062497e0d6e0a"');
    await queryRunner.query('DROP INDEX "public"."IDX_6e6f337b02209bcbbe3b060f10"');
    await queryRunner.query('DROP INDEX "public"."IDX_e0a83b230f28ba15ad9244f0f0"');
    await queryRunner.query('DROP INDEX "public"."UQ_usage_sessions_open_per_machine"');
    await queryRunner.query('DROP INDEX "public"."IDX_6cb5d13da900cbc14780d35c38"');
    await queryRunner.query('DROP TABLE "usage_sessions"');
    await queryRunner.query('DROP INDEX "public"."IDX_20066b2ecab059ddbe559d0dae"');
    await queryRunner.query('DROP INDEX "public"."IDX_706c094a441374bc72a771cbc4"');
    await queryRunner.query('DROP TABLE "interventions"');
    await queryRunner.query('DROP INDEX "public"."IDX_42f1fa218340c5472c1e483caa"');
    await queryRunner.query('DROP TABLE "maintenance_plans"');
    await queryRunner.query('DROP INDEX "public"."IDX_7eba46060374dbc043e98c6d29"');
    await queryRunner.query('DROP INDEX "public"."IDX_204af5b555b4c26694ca320d67"');
    await queryRunner.query('DROP INDEX "public"."IDX_3d5410d1fd9e8dd60dd0923f69"');
    await queryRunner.query('DROP TABLE "boards"');
    await queryRunner.query('DROP INDEX "public"."IDX_7d48b3f15985e0fdf76cd5f1ad"');
    await queryRunner.query('DROP INDEX "public"."IDX_a5fd6487f123157f83c792a22c"');
    await queryRunner.query('DROP TABLE "authorizations"');
    await queryRunner.query('DROP INDEX "public"."IDX_cd453dd56273a142fb4baf62d1"');
    await queryRunner.query('DROP INDEX "public"."IDX_c78ff2838fcca03ea170db55d6"');
    await queryRunner.query('DROP INDEX "public"."IDX_2714af51e3f7dd42cf66eeb08d"');
    await queryRunner.query('DROP TABLE "members"');
    await queryRunner.query('DROP TABLE "roles"');
    await queryRunner.query('DROP INDEX "public"."IDX_47f3c8cecc051d062497e0d6e0"');
    await queryRunner.query('DROP INDEX "public"."IDX_b42e2893927c62fdcb68e06bfa"');
    await queryRunner.query('DROP TABLE "machines"');
    await queryRunner.query('DROP TABLE "machine_types"');
    await queryRunner.query('DROP INDEX "public"."IDX_7253c576c9bcaf94fe064341dd"');
    await queryRunner.query('DROP INDEX "public"."IDX_2a311d5dab3e802e7d50512fb0"');
    await queryRunner.query('DROP TABLE "audit_log"');
    await queryRunner.query('DROP INDEX "public"."IDX_08cbae137c0088933aa32d3ab3"');
    await queryRunner.query('DROP INDEX "public"."IDX_ce489061b80a0983be7fb3bb75"');
    await queryRunner.query('DROP INDEX "public"."IDX_435f71f789b70c41de24f46aec"');
    await queryRunner.query('DROP INDEX "public"."IDX_b2d7d871739b9564e0c4167f2c"');
    await queryRunner.query('DROP INDEX "public"."IDX_2d8572d1250610b97a2fcb8bc8"');
    await queryRunner.query('DROP TABLE "access_events"');
  }
}
