import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddPortalSessionsSqlite1795767717292 implements MigrationInterface {
  name = 'AddPortalSessionsSqlite1795767717292';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "portal_sessions" ("tokenHash" varchar(64) PRIMARY KEY NOT NULL, "memberId" integer NOT NULL, "createdAt" bigint NOT NULL, "lastSeenAt" bigint NOT NULL, "expiresAt" bigint NOT NULL)',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_2620917c75183b300b1c470982" ON "portal_sessions" ("memberId") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_fdd8f185f63fab687e37315e3f" ON "portal_sessions" ("expiresAt") ',
    );
    await queryRunner.query('DROP INDEX "IDX_2620917c75183b300b1c470982"');
    await queryRunner.query('DROP INDEX "IDX_fdd8f185f63fab687e37315e3f"');
    await queryRunner.query(
      'CREATE TABLE "temporary_portal_sessions" ("tokenHash" varchar(64) PRIMARY KEY NOT NULL, "memberId" integer NOT NULL, "createdAt" bigint NOT NULL, "lastSeenAt" bigint NOT NULL, "expiresAt" bigint NOT NULL, CONSTRAINT "FK_2620917c75183b300b1c4709823" FOREIGN KEY ("memberId") REFERENCES "members" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_portal_sessions"("tokenHash", "memberId", "createdAt", "lastSeenAt", "expiresAt") SELECT "tokenHash", "memberId", "createdAt", "lastSeenAt", "expiresAt" FROM "portal_sessions"',
    );
    await queryRunner.query('DROP TABLE "portal_sessions"');
    await queryRunner.query('ALTER TABLE "temporary_portal_sessions" RENAME TO "portal_sessions"');
    await queryRunner.query(
      'CREATE INDEX "IDX_2620917c75183b300b1c470982" ON "portal_sessions" ("memberId") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_fdd8f185f63fab687e37315e3f" ON "portal_sessions" ("expiresAt") ',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_fdd8f185f63fab687e37315e3f"');
    await queryRunner.query('DROP INDEX "IDX_2620917c75183b300b1c470982"');
    await queryRunner.query('ALTER TABLE "portal_sessions" RENAME TO "temporary_portal_sessions"');
    await queryRunner.query(
      'CREATE TABLE "portal_sessions" ("tokenHash" varchar(64) PRIMARY KEY NOT NULL, "memberId" integer NOT NULL, "createdAt" bigint NOT NULL, "lastSeenAt" bigint NOT NULL, "expiresAt" bigint NOT NULL)',
    );
    await queryRunner.query(
      'INSERT INTO "portal_sessions"("tokenHash", "memberId", "createdAt", "lastSeenAt", "expiresAt") SELECT "tokenHash", "memberId", "createdAt", "lastSeenAt", "expiresAt" FROM "temporary_portal_sessions"',
    );
    await queryRunner.query('DROP TABLE "temporary_portal_sessions"');
    await queryRunner.query(
      'CREATE INDEX "IDX_fdd8f185f63fab687e37315e3f" ON "portal_sessions" ("expiresAt") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_2620917c75183b300b1c470982" ON "portal_sessions" ("memberId") ',
    );
    await queryRunner.query('DROP INDEX "IDX_fdd8f185f63fab687e37315e3f"');
    await queryRunner.query('DROP INDEX "IDX_2620917c75183b300b1c470982"');
    await queryRunner.query('DROP TABLE "portal_sessions"');
  }
}
