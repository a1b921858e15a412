import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSqlite1795765516374 implements MigrationInterface {
  name = 'InitialSqlite1795765516374';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "access_events" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "occurredAt" bigint NOT NULL, "topicId" varchar(5) NOT NULL, "machineId" integer, "cardUid" varchar(20), "memberId" integer, "action" varchar(16) NOT NULL, "reason" varchar(32) NOT NULL, "granted" boolean NOT NULL, "level" integer, "replay" boolean NOT NULL DEFAULT (0), "actorMemberId" integer)',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_2d8572d1250610b97a2fcb8bc8" ON "access_events" ("occurredAt") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_b2d7d871739b9564e0c4167f2c" ON "access_events" ("machineId") ',
    );
    await queryRunner.query('CREATE INDEX "IDX_435f71f789b70c41de24f46aec" ON "access_events" ("cardUid") ');
    await queryRunner.query('CREATE INDEX "IDX_ce489061b80a0983be7fb3bb75" ON "access_events" ("memberId") ');
    await queryRunner.query(
      'CREATE INDEX "IDX_08cbae137c0088933aa32d3ab3" ON "access_events" ("reason", "occurredAt") ',
    );
    await queryRunner.query(
      'CREATE TABLE "audit_log" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "occurredAt" bigint NOT NULL, "actorMemberId" integer, "actorLabel" varchar(254) NOT NULL, "action" varchar(64) NOT NULL, "entityType" varchar(64) NOT NULL, "entityId" varchar(64), "before" text, "after" text)',
    );
    await queryRunner.query('CREATE INDEX "IDX_2a311d5dab3e802e7d50512fb0" ON "audit_log" ("occurredAt") ');
    await queryRunner.query(
      'CREATE INDEX "IDX_7253c576c9bcaf94fe064341dd" ON "audit_log" ("entityType", "entityId") ',
    );
    await queryRunner.query(
      'CREATE TABLE "machine_types" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(100) NOT NULL, "autoLogoffMinutes" integer NOT NULL DEFAULT (1440), "graceMinutes" integer NOT NULL DEFAULT (2), "accessManagement" varchar(16) NOT NULL DEFAULT (\'authorization\'), "createdAt" datetime NOT NULL DEFAULT (datetime(\'now\')), "updatedAt" datetime NOT NULL DEFAULT (datetime(\'now\')), CONSTRAINT "UQ_b190c8967cfae779ab448838c18" UNIQUE ("name"))',
    );
    await queryRunner.query(
      'CREATE TABLE "machines" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "topicId" varchar(5) NOT NULL, "name" varchar(100) NOT NULL, "typeId" integer, "blocked" boolean NOT NULL DEFAULT (0), "usageSeconds" bigint NOT NULL DEFAULT (0), "lastSeenAt" bigint, "createdAt" datetime NOT NULL DEFAULT (datetime(\'now\')), "updatedAt" datetime NOT NULL DEFAULT (datetime(\'now\')), CONSTRAINT "UQ_005481cad20f051f1ea2126bc01" UNIQUE ("name"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_b42e2893927c62fdcb68e06bfa" ON "machines" ("topicId") ',
    );
    await queryRunner.query('CREATE INDEX "IDX_47f3c8cecc051d062497e0d6e0" ON "machines" ("typeId") ');
    await queryRunner.query(
      'CREATE TABLE "roles" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(100) NOT NULL, "authorizeAll" boolean NOT NULL DEFAULT (0), "maintenance" boolean NOT NULL DEFAULT (0), "portalAccess" varchar(16) NOT NULL DEFAULT (\'none\'), "reserved" boolean NOT NULL DEFAULT (0), "createdAt" datetime NOT NULL DEFAULT (datetime(\'now\')), "updatedAt" datetime NOT NULL DEFAULT (datetime(\'now\')), CONSTRAINT "UQ_648e3f5447f725579d7d4ffdfb7" UNIQUE ("name"))',
    );
    await queryRunner.query(
      'CREATE TABLE "members" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(100) NOT NULL, "surname" varchar(100) NOT NULL DEFAULT (\'\'), "email" varchar(254), "cardUid" varchar(20), "roleId" integer NOT NULL, "disabled" boolean NOT NULL DEFAULT (0), "deletedAt" bigint, "passwordHash" varchar(255), "mustChangePassword" boolean NOT NULL DEFAULT (0), "receiveWeeklySummary" boolean NOT NULL DEFAULT (0), "language" varchar(5) NOT NULL DEFAULT (\'en\'), "createdAt" datetime NOT NULL DEFAULT (datetime(\'now\')), "updatedAt" datetime NOT NULL DEFAULT (datetime(\'now\')))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "IDX_2714af51e3f7dd42cf66eeb08d" ON "members" ("email") ');
    await queryRunner.query('CREATE UNIQUE INDEX "IDX_c78ff2838fcca03ea170db55d6" ON "members" ("cardUid") ');
    await queryRunner.query('CREATE INDEX "IDX_cd453dd56273a142fb4baf62d1" ON "members" ("roleId") ');
    await queryRunner.query(
      'CREATE TABLE "authorizations" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "memberId" integer NOT NULL, "machineId" integer NOT NULL, "expiresAt" bigint, "createdAt" datetime NOT NULL DEFAULT (datetime(\'now\')))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_a5fd6487f123157f83c792a22c" ON "authorizations" ("machineId") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_7d48b3f15985e0fdf76cd5f1ad" ON "authorizations" ("memberId", "machineId") ',
    );
    await queryRunner.query(
      'CREATE TABLE "boards" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "serial" varchar(12), "topicId" varchar(5) NOT NULL, "machineId" integer, "ipAddress" varchar(64), "firmwareVersion" varchar(128), "freeHeap" integer, "lastSeenAt" bigint NOT NULL, "createdAt" datetime NOT NULL DEFAULT (datetime(\'now\')))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "IDX_3d5410d1fd9e8dd60dd0923f69" ON "boards" ("serial") ');
    await queryRunner.query('CREATE INDEX "IDX_204af5b555b4c26694ca320d67" ON "boards" ("topicId") ');
    await queryRunner.query('CREATE INDEX "IDX_7eba46060374dbc043e98c6d29" ON "boards" ("machineId") ');
    await queryRunner.query(
      'CREATE TABLE "maintenance_plans" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "machineId" integer NOT NULL, "hoursBetween" double precision NOT NULL, "description" varchar(500) NOT NULL, "lcdMessage" varchar(100) NOT NULL DEFAULT (\'\'), "instructionsUrl" varchar(500), "createdAt" datetime NOT NULL DEFAULT (datetime(\'now\')), "updatedAt" datetime NOT NULL DEFAULT (datetime(\'now\')))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_42f1fa218340c5472c1e483caa" ON "maintenance_plans" ("machineId") ',
    );
    await queryRunner.query(
      'CREATE TABLE "interventions" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "planId" integer, "machineId" integer NOT NULL, "memberId" integer, "performedAt" bigint NOT NULL, "replay" boolean NOT NULL DEFAULT (0), "source" varchar(16) NOT NULL DEFAULT (\'board\'), "createdAt" datetime NOT NULL DEFAULT (datetime(\'now\')))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_706c094a441374bc72a771cbc4" ON "interventions" ("machineId") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_20066b2ecab059ddbe559d0dae" ON "interventions" ("planId", "performedAt") ',
    );
    await queryRunner.query(
      'CREATE TABLE "usage_sessions" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "memberId" integer NOT NULL, "machineId" integer NOT NULL, "startedAt" bigint NOT NULL, "lastSeenAt" bigint NOT NULL, "endedAt" bigint, "endReason" varchar(16), "replay" boolean NOT NULL DEFAULT (0), "createdAt" datetime NOT NULL DEFAULT (datetime(\'now\')))',
    );
    await queryRunner.query('CREATE INDEX "IDX_6cb5d13da900cbc14780d35c38" ON "usage_sessions" ("endedAt") ');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "UQ_usage_sessions_open_per_machine" ON "usage_sessions" ("machineId") WHERE "endedAt" IS NULL',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_e0a83b230f28ba15ad9244f0f0" ON "usage_sessions" ("memberId", "machineId", "endedAt") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_6e6f337b02209bcbbe3b060f10" ON "usage_sessions" ("machineId", "startedAt") ',
    );
    await queryRunner.query('DROP INDEX "IDX_b42e2893927c62fdcb68e06bfa"');
    await queryRunner.query('DROP INDEX "IDX_47f3c8cecc051d062497e0d6e0"');
    await queryRunner.query(
      'CREATE TABLE "temporary_machines" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "topicId" varchar(5) NOT NULL, "name" varchar(100) NOT NULL, "typeId" integer, "blocked" boolean NOT NULL DEFAULT (0), "usageSeconds" bigint NOT NULL DEFAULT (0), "lastSeenAt" bigint, "createdAt" datetime NOT NULL DEFAULT (datetime(\'now\')), "updatedAt" datetime NOT NULL DEFAULT (datetime(\'now\')), CONSTRAINT "UQ_005481cad20f051f1ea2126bc01" UNIQUE ("name"), CONSTRAINT "FK_47f3c8cecc051d062497e0d6e0a" FOREIGN KEY ("typeId") REFERENCES "machine_types" ("id") ON DELETE SET NULL ON UPDATE NO ACTION)',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_machines"("id", "topicId", "name", "typeId", "blocked", "usageSeconds", "lastSeenAt", "createdAt", "updatedAt") SELECT "id", "topicId", "name", "typeId", "blocked", "usageSeconds", "lastSeenAt", "createdAt", "updatedAt" FROM "machines"',
    );
    await queryRunner.query('DROP TABLE "machines"');
    await queryRunner.query('ALTER TABLE "temporary_machines" RENAME TO "machines"');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_b42e2893927c62fdcb68e06bfa" ON "machines" ("topicId") ',
    );
    await queryRunner.query('CREATE INDEX "IDX_47f3c8cecc051d062497e0d6e0" ON "machines" ("typeId") ');
    await queryRunner.query('DROP INDEX "IDX_2714af51e3f7dd42cf66eeb08d"');
    await queryRunner.query('DROP INDEX "IDX_c78ff2838fcca03ea170db55d6"');
    await queryRunner.query('DROP INDEX "IDX_cd453dd56273a142fb4baf62d1"');
    await queryRunner.query(
      'CREATE TABLE "temporary_members" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(100) NOT NULL, "surname" varchar(100) NOT NULL DEFAULT (\'\'), "email" varchar(254), "cardUid" varchar(20), "roleId" integer NOT NULL, "disabled" boolean NOT NULL DEFAULT (0), "deletedAt" bigint, "passwordHash" varchar(255), "mustChangePassword" boolean NOT NULL DEFAULT (0), "receiveWeeklySummary" boolean NOT NULL DEFAULT (0), "language" varchar(5) NOT NULL DEFAULT (\'en\'), "createdAt" datetime NOT NULL DEFAULT (datetime(\'now\')), "updatedAt" datetime NOT NULL DEFAULT (datetime(\'now\')), CONSTRAINT "FK_cd453dd56273a142fb4baf62d19" FOREIGN KEY ("roleId") REFERENCES "roles" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_members"("id", "name", "surname", "email", "cardUid", "roleId", "disabled", "deletedAt", "passwordHash", "mustChangePassword", "receiveWeeklySummary", "language", "createdAt", "updatedAt") SELECT "id", "name", "surname", "email", "cardUid", "roleId", "disabled", "deletedAt", "passwordHash", "mustChangePassword", "receiveWeeklySummary", "language", "createdAt", "updatedAt" FROM "members"',
    );
    await queryRunner.query('DROP TABLE "members"');
    await queryRunner.query('ALTER TABLE "temporary_members" RENAME TO "members"');
    await queryRunner.query('CREATE UNIQUE INDEX "IDX_2714af51e3f7dd42cf66eeb08d" ON "members" ("email") ');
    await queryRunner.query('CREATE UNIQUE INDEX "IDX_c78ff2838fcca03ea170db55d6" ON "members" ("cardUid") ');
    await queryRunner.query('CREATE INDEX "IDX_cd453dd56273a142fb4baf62d1" ON "members" ("roleId") ');
    await queryRunner.query('DROP INDEX "IDX_a5fd6487f123157f83c792a22c"');
    await queryRunner.query('DROP INDEX "IDX_7d48b3f15985e0fdf76cd5f1ad"');
    await queryRunner.query(
      'CREATE TABLE "temporary_authorizations" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "memberId" integer NOT NULL, "machineId" integer NOT NULL, "expiresAt" bigint, "createdAt" datetime NOT NULL DEFAULT (datetime(\'now\')), CONSTRAINT "FK_8ddff53e67a3f045dec48d2af78" FOREIGN KEY ("memberId") REFERENCES "members" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_a5fd6487f123157f83c792a22cc" FOREIGN KEY ("machineId") REFERENCES "machines" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_authorizations"("id", "memberId", "machineId", "expiresAt", "createdAt") SELECT "id", "memberId", "machineId", "expiresAt", "createdAt" FROM "authorizations"',
    );
    await queryRunner.query('DROP TABLE "authorizations"');
    await queryRunner.query('ALTER TABLE "temporary_authorizations" RENAME TO "authorizations"');
    await queryRunner.query(
      'CREATE INDEX "IDX_a5fd6487f123157f83c792a22c" ON "authorizations" ("machineId") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_7d48b3f15985e0fdf76cd5f1ad" ON "authorizations" ("memberId", "machineId") ',
    );
    await queryRunner.query('DROP INDEX "IDX_42f1fa218340c5472c1e483caa"');
    await queryRunner.query(
      'CREATE TABLE "temporary_maintenance_plans" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "machineId" integer NOT NULL, "hoursBetween" double precision NOT NULL, "description" varchar(500) NOT NULL, "lcdMessage" varchar(100) NOT NULL DEFAULT (\'\'), "instructionsUrl" varchar(500), "createdAt" datetime NOT NULL DEFAULT (datetime(\'now\')), "updatedAt" datetime NOT NULL DEFAULT (datetime(\'now\')), CONSTRAINT "FK_42f1fa218340c5472c1e483caad" FOREIGN KEY ("machineId") REFERENCES "machines" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_maintenance_plans"("id", "machineId", "hoursBetween", "description", "lcdMessage", "instructionsUrl", "createdAt", "updatedAt") SELECT "id", "machineId", "hoursBetween", "description", "lcdMessage", "instructionsUrl", "createdAt", "updatedAt" FROM "maintenance_plans"',
    );
    await queryRunner.query('DROP TABLE "maintenance_plans"');
    await queryRunner.query('ALTER TABLE "temporary_maintenance_plans" RENAME TO "maintenance_plans"');
    await queryRunner.query(
      'CREATE INDEX "IDX_42f1fa218340c5472c1e483caa" ON "maintenance_plans" ("machineId") ',
    );
    await queryRunner.query('DROP INDEX "IDX_706c094a441374bc72a771cbc4"');
    await queryRunner.query('DROP INDEX "IDX_20066b2ecab059ddbe559d0dae"');
    await queryRunner.query(
      'CREATE TABLE "temporary_interventions" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "planId" integer, "machineId" integer NOT NULL, "memberId" integer, "performedAt" bigint NOT NULL, "replay" boolean NOT NULL DEFAULT (0), "source" varchar(16) NOT NULL DEFAULT (\'board\'), "createdAt" datetime NOT NULL DEFAULT (datetime(\'now\')), CONSTRAINT "FK_7771bc90d6fc56a0dd18fa971a1" FOREIGN KEY ("planId") REFERENCES "maintenance_plans" ("id") ON DELETE SET NULL ON UPDATE NO ACTION, CONSTRAINT "FK_706c094a441374bc72a771cbc49" FOREIGN KEY ("machineId") REFERENCES "machines" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_0383920fdbe0510615ded87084d" FOREIGN KEY ("memberId") REFERENCES "members" ("id") ON DELETE SET NULL ON UPDATE NO ACTION)',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_interventions"("id", "planId", "machineId", "memberId", "performedAt", "replay", "source", "createdAt") SELECT "id", "planId", "machineId", "memberId", "performedAt", "replay", "source", "createdAt" FROM "interventions"',
    );
    await queryRunner.query('DROP TABLE "interventions"');
    await queryRunner.query('ALTER TABLE "temporary_interventions" RENAME TO "interventions"');
    await queryRunner.query(
      'CREATE INDEX "IDX_706c094a441374bc72a771cbc4" ON "interventions" ("machineId") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_20066b2ecab059ddbe559d0dae" ON "interventions" ("planId", "performedAt") ',
    );
    await queryRunner.query('DROP INDEX "IDX_6cb5d13da900cbc14780d35c38"');
    await queryRunner.query('DROP INDEX "UQ_usage_sessions_open_per_machine"');
    await queryRunner.query('DROP INDEX "IDX_e0a83b230f28ba15ad9244f0f0"');
    await queryRunner.query('DROP INDEX "IDX_6e6f337b02209bcbbe3b060f10"');
    await queryRunner.query(
      'CREATE TABLE "temporary_usage_sessions" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "memberId" integer NOT NULL, "machineId" integer NOT NULL, "startedAt" bigint NOT NULL, "lastSeenAt" bigint NOT NULL, "endedAt" bigint, "endReason" varchar(16), "replay" boolean NOT NULL DEFAULT (0), "createdAt" datetime NOT NULL DEFAULT (datetime(\'now\')), CONSTRAINT "FK_16c7159716b0a5658b4a44eacc2" FOREIGN KEY ("memberId") REFERENCES "members" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_63497c97d82afa96b4236e53cdb" FOREIGN KEY ("machineId") REFERENCES "machines" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_usage_sessions"("id", "memberId", "machineId", "startedAt", "lastSeenAt", "endedAt", "endReason", "replay", "createdAt") SELECT "id", "memberId", "machineId", "startedAt", "lastSeenAt", "endedAt", "endReason", "replay", "createdAt" FROM "usage_sessions"',
    );
    await queryRunner.query('DROP TABLE "usage_sessions"');
    await queryRunner.query('ALTER TABLE "temporary_usage_sessions" RENAME TO "usage_sessions"');
    await queryRunner.query('CREATE INDEX "IDX_6cb5d13da900cbc14780d35c38" ON "usage_sessions" ("endedAt") ');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "UQ_usage_sessions_open_per_machine" ON "usage_sessions" ("machineId") WHERE "endedAt" IS NULL',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_e0a83b230f28ba15ad9244f0f0" ON "usage_sessions" ("memberId", "machineId", "endedAt") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_6e6f337b02209bcbbe3b060f10" ON "usage_sessions" ("machineId", "startedAt") ',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_6e6f337b02209bcbbe3b060f10"');
    await queryRunner.query('DROP INDEX "IDX_e0a83b230f28ba15ad9244f0f0"');
    await queryRunner.query('DROP INDEX "UQ_usage_sessions_open_per_machine"');
    await queryRunner.query('DROP INDEX "IDX_6cb5d13da900cbc14780d35c38"');
    await queryRunner.query('ALTER TABLE "usage_sessions" RENAME TO "temporary_usage_sessions"');
    await queryRunner.query(
      'CREATE TABLE "usage_sessions" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "memberId" integer NOT NULL, "machineId" integer NOT NULL, "startedAt" bigint NOT NULL, "lastSeenAt" bigint NOT NULL, "endedAt" bigint, "endReason" varchar(16), "replay" boolean NOT NULL DEFAULT (0), "createdAt" datetime NOT NULL DEFAULT (datetime(\'now\')))',
    );
    await queryRunner.query(
      'INSERT INTO "usage_sessions"("id", "memberId", "machineId", "startedAt", "lastSeenAt", "endedAt", "endReason", "replay", "createdAt") SELECT "id", "memberId", "machineId", "startedAt", "lastSeenAt", "endedAt", "endReason", "replay", "createdAt" FROM "temporary_usage_sessions"',
    );
    await queryRunner.query('DROP TABLE "temporary_usage_sessions"');
    await queryRunner.query(
      'CREATE INDEX "IDX_6e6f337b02209bcbbe3b060f10" ON "usage_sessions" ("machineId", "startedAt") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_e0a83b230f28ba15ad9244f0f0" ON "usage_sessions" ("memberId", "machineId", "endedAt") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "UQ_usage_sessions_open_per_machine" ON "usage_sessions" ("machineId") WHERE "endedAt" IS NULL',
    );
    await queryRunner.query('CREATE INDEX "IDX_6cb5d13da900cbc14780d35c38" ON "usage_sessions" ("endedAt") ');
    await queryRunner.query('DROP INDEX "IDX_20066b2ecab059ddbe559d0dae"');
    await queryRunner.query('DROP INDEX "IDX_706c094a441374bc72a771cbc4"');
    await queryRunner.query('ALTER TABLE "interventions" RENAME TO "temporary_interventions"');
    await queryRunner.query(
      'CREATE TABLE "interventions" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "planId" integer, "machineId" integer NOT NULL, "memberId" integer, "performedAt" bigint NOT NULL, "replay" boolean NOT NULL DEFAULT (0), "source" varchar(16) NOT NULL DEFAULT (\'board\'), "createdAt" datetime NOT NULL DEFAULT (datetime(\'now\')))',
    );
    await queryRunner.query(
      'INSERT INTO "interventions"("id", "planId", "machineId", "memberId", "performedAt", "replay", "source", "createdAt") SELECT "id", "planId", "machineId", "memberId", "performedAt", "replay", "source", "createdAt" FROM "temporary_interventions"',
    );
    await queryRunner.query('DROP TABLE "temporary_interventions"');
    await queryRunner.query(
      'CREATE INDEX "IDX_20066b2ecab059ddbe559d0dae" ON "interventions" ("planId", "performedAt") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_706c094a441374bc72a771cbc4" ON "interventions" ("machineId") ',
    );
    await queryRunner.query('DROP INDEX "IDX_42f1fa218340c5472c1e483caa"');
    await queryRunner.query('ALTER TABLE "maintenance_plans" RENAME TO "temporary_maintenance_plans"');
    await queryRunner.query(
      'CREATE TABLE "maintenance_plans" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "machineId" integer NOT NULL, "hoursBetween" double precision NOT NULL, "description" varchar(500) NOT NULL, "lcdMessage" varchar(100) NOT NULL DEFAULT (\'\'), "instructionsUrl" varchar(500), "createdAt" datetime NOT NULL DEFAULT (datetime(\'now\')), "updatedAt" datetime NOT NULL DEFAULT (datetime(\'now\')))',
    );
    await queryRunner.query(
      'INSERT INTO "maintenance_plans"("id", "machineId", "hoursBetween", "description", "lcdMessage", "instructionsUrl", "createdAt", "updatedAt") SELECT "id", "machineId", "hoursBetween", "description", "lcdMessage", "instructionsUrl", "createdAt", "updatedAt" FROM "temporary_maintenance_plans"',
    );
    await queryRunner.query('DROP TABLE "temporary_maintenance_plans"');
    await queryRunner.query(
      'CREATE INDEX "IDX_42f1fa218340c5472c1e483caa" ON "maintenance_plans" ("machineId") ',
    );
    await queryRunner.query('DROP INDEX "IDX_7d48b3f15985e0fdf76cd5f1ad"');
    await queryRunner.query('DROP INDEX "IDX_a5fd6487f123157f83c792a22c"');
    await queryRunner.query('ALTER TABLE "authorizations" RENAME TO "temporary_authorizations"');
    await queryRunner.query(
      'CREATE TABLE "authorizations" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "memberId" integer NOT NULL, "machineId" integer NOT NULL, "expiresAt" bigint, "createdAt" datetime NOT NULL DEFAULT (datetime(\'now\')))',
    );
    await queryRunner.query(
      'INSERT INTO "authorizations"("id", "memberId", "machineId", "expiresAt", "createdAt") SELECT "id", "memberId", "machineId", "expiresAt", "createdAt" FROM "temporary_authorizations"',
    );
    await queryRunner.query('DROP TABLE "temporary_authorizations"');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_7d48b3f15985e0fdf76cd5f1ad" ON "authorizations" ("memberId", "machineId") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_a5fd6487f123157f83c792a22c" ON "authorizations" ("machineId") ',
    );
    await queryRunner.query('DROP INDEX "IDX_cd453dd56273a142fb4baf62d1"');
    await queryRunner.query('DROP INDEX "IDX_c78ff2838fcca03ea170db55d6"');
    await queryRunner.query('DROP INDEX "IDX_2714af51e3f7dd42cf66eeb08d"');
    await queryRunner.query('ALTER TABLE "members" RENAME TO "temporary_members"');
    await queryRunner.query(
      'CREATE TABLE "members" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(100) NOT NULL, "surname" varchar(100) NOT NULL DEFAULT (\'\'), "email" varchar(254), "cardUid" varchar(20), "roleId" integer NOT NULL, "disabled" boolean NOT NULL DEFAULT (0), "deletedAt" bigint, "passwordHash" varchar(255), "mustChangePassword" boolean NOT NULL DEFAULT (0), "receiveWeeklySummary" boolean NOT NULL DEFAULT (0), "language" varchar(5) NOT NULL DEFAULT (\'en\'), "createdAt" datetime NOT NULL DEFAULT (datetime(\'now\')), "updatedAt" datetime NOT NULL DEFAULT (datetime(\'now\')))',
    );
    await queryRunner.query(
      'INSERT INTO "members"("id", "name", "surname", "email", "cardUid", "roleId", "disabled", "deletedAt", "passwordHash", "mustChangePassword", "receiveWeeklySummary", "language", "createdAt", "updatedAt") SELECT "id", "name", "surname", "email", "cardUid", "roleId", "disabled", "deletedAt", "passwordHash", "mustChangePassword", "receiveWeeklySummary", "language", "createdAt", "updatedAt" FROM "temporary_members"',
    );
    await queryRunner.query('DROP TABLE "temporary_members"');
    await queryRunner.query('CREATE INDEX "IDX_cd453dd56273a142fb4baf62d1" ON "members" ("roleId") ');
    await queryRunner.query('CREATE UNIQUE INDEX "IDX_c78ff2838fcca03ea170db55d6" ON "members" ("cardUid") ');
    await queryRunner.query('CREATE UNIQUE INDEX "IDX_2714af51e3f7dd42cf66eeb08d" ON "members" ("email") ');
    await queryRunner.query('DROP INDEX "IDX_47f3c8cecc051d062497e0d6e0"');
    await queryRunner.query('DROP INDEX "IDX_b42e2893927c62fdcb68e06bfa"');
    await queryRunner.query('ALTER TABLE "machines" RENAME TO "temporary_machines"');
    await queryRunner.query(
      'CREATE TABLE "machines" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "topicId" varchar(5) NOT NULL, "name" varchar(100) NOT NULL, "typeId" integer, "blocked" boolean NOT NULL DEFAULT (0), "usageSeconds" bigint NOT NULL DEFAULT (0), "lastSeenAt" bigint, "createdAt" datetime NOT NULL DEFAULT (datetime(\'now\')), "updatedAt" datetime NOT NULL DEFAULT (datetime(\'now\')), CONSTRAINT "UQ_005481cad20f051f1ea2126bc01" UNIQUE ("name"))',
    );
    await queryRunner.query(
      'INSERT INTO "machines"("id", "topicId", "name", "typeId", "blocked", "usageSeconds", "lastSeenAt", "createdAt", "updatedAt") SELECT "id", "topicId", "name", "typeId", "blocked", "usageSeconds", "lastSeenAt", "createdAt", "updatedAt" FROM "temporary_machines"',
    );
    await queryRunner.query('DROP TABLE "temporary_machines"');
    await queryRunner.query('CREATE INDEX "IDX_47f3c8cecc051d062497e0d6e0" ON "machines" ("typeId") ');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_b42e2893927c62fdcb68e06bfa" ON "machines" ("topicId") ',
    );
    await queryRunner.query('DROP INDEX "IDX_6e6f337b02209bcbbe3b060f10"');
    await queryRunner.query('DROP INDEX "IDX_e0a83b230f28ba15ad9244f0f0"');
    await queryRunner.query('DROP INDEX "UQ_usage_sessions_open_per_machine"');
    await queryRunner.query('DROP INDEX "IDX_6cb5d13da900cbc14780d35c38"');
    await queryRunner.query('DROP TABLE "usage_sessions"');
    await queryRunner.query('DROP INDEX "IDX_20066b2ecab059ddbe559d0dae"');
    await queryRunner.query('DROP INDEX "IDX_706c094a441374bc72a771cbc4"');
    await queryRunner.query('DROP TABLE "interventions"');
    await queryRunner.query('DROP INDEX "IDX_42f1fa218340c5472c1e483caa"');
    await queryRunner.query('DROP TABLE "maintenance_plans"');
    await queryRunner.query('DROP INDEX "IDX_7eba46060374dbc043e98c6d29"');
    await queryRunner.query('DROP INDEX "IDX_204af5b555b4c26694ca320d67"');
    await queryRunner.query('DROP INDEX "IDX_3d5410d1fd9e8dd60dd0923f69"');
    await queryRunner.query('DROP TABLE "boards"');
    await queryRunner.query('DROP INDEX "IDX_7d48b3f15985e0fdf76cd5f1ad"');
    await queryRunner.query('DROP INDEX "IDX_a5fd6487f123157f83c792a22c"');
    await queryRunner.query('DROP TABLE "authorizations"');
    await queryRunner.query('DROP INDEX "IDX_cd453dd56273a142fb4baf62d1"');
    await queryRunner.query('DROP INDEX "IDX_c78ff2838fcca03ea170db55d6"');
    await queryRunner.query('DROP INDEX "IDX_2714af51e3f7dd42cf66eeb08d"');
    await queryRunner.query('DROP TABLE "members"');
    await queryRunner.query('DROP TABLE "roles"');
    await queryRunner.query('DROP INDEX "IDX_47f3c8cecc051d062497e0d6e0"');
    await queryRunner.query('DROP INDEX "IDX_b42e2893927c62fdcb68e06bfa"');
    await queryRunner.query('DROP TABLE "machines"');
    await queryRunner.query('DROP TABLE "machine_types"');
    await queryRunner.query('DROP INDEX "IDX_7253c576c9bcaf94fe064341dd"');
    await queryRunner.query('DROP INDEX "IDX_2a311d5dab3e802e7d50512fb0"');
    await queryRunner.query('DROP TABLE "audit_log"');
    await queryRunner.query('DROP INDEX "IDX_08cbae137c0088933aa32d3ab3"');
    await queryRunner.query('DROP INDEX "IDX_ce489061b80a0983be7fb3bb75"');
    await queryRunner.query('DROP INDEX "IDX_435f71f789b70c41de24f46aec"');
    await queryRunner.query('DROP INDEX "IDX_b2d7d871739b9564e0c4167f2c"');
    await queryRunner.query('DROP INDEX "IDX_2d8572d1250610b97a2fcb8bc8"');
    await queryRunner.query('DROP TABLE "access_events"');
  }
}
