import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddPasswordResetTokensSqlite1795767985768 implements MigrationInterface {
  name = 'AddPasswordResetTokensSqlite1795767985768';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "password_reset_tokens" ("tokenHash" varchar(64) PRIMARY KEY NOT NULL, "memberId" integer NOT NULL, "createdAt" bigint NOT NULL, "expiresAt" bigint NOT NULL, "usedAt" bigint)',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_ab55b9cf0d501e85527a8e5036" ON "password_reset_tokens" ("memberId") ',
    );
    await queryRunner.query('DROP INDEX "IDX_ab55b9cf0d501e85527a8e5036"');
    await queryRunner.query(
      'CREATE TABLE "temporary_password_reset_tokens" ("tokenHash" varchar(64) PRIMARY KEY NOT NULL, "memberId" integer NOT NULL, "createdAt" bigint NOT NULL, "expiresAt" bigint NOT NULL, "usedAt" bigint, CONSTRAINT "FK_ab55b9cf0d501e85527a8e50368" FOREIGN KEY ("memberId") REFERENCES "members" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_password_reset_tokens"("tokenHash", "memberId", "createdAt", "expiresAt", "usedAt") SELECT "tokenHash", "memberId", "createdAt", "expiresAt", "usedAt" FROM "password_reset_tokens"',
    );
    await queryRunner.query('DROP TABLE "password_reset_tokens"');
    await queryRunner.query(
      'ALTER TABLE "temporary_password_reset_tokens" RENAME TO "password_reset_tokens"',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_ab55b9cf0d501e85527a8e5036" ON "password_reset_tokens" ("memberId") ',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_ab55b9cf0d501e85527a8e5036"');
    await queryRunner.query(
      'ALTER TABLE "password_reset_tokens" RENAME TO "temporary_password_reset_tokens"',
    );
    await queryRunner.query(
      'CREATE TABLE "password_reset_tokens" ("tokenHash" varchar(64) PRIMARY KEY NOT NULL, "memberId" integer NOT NULL, "createdAt" bigint NOT NULL, "expiresAt" bigint NOT NULL, "usedAt" bigint)',
    );
    await queryRunner.query(
      'INSERT INTO "password_reset_tokens"("tokenHash", "memberId", "createdAt", "expiresAt", "usedAt") SELECT "tokenHash", "memberId", "createdAt", "expiresAt", "usedAt" FROM "temporary_password_reset_tokens"',
    );
    await queryRunner.query('DROP TABLE "temporary_password_reset_tokens"');
    await queryRunner.query(
      'CREATE INDEX "IDX_ab55b9cf0d501e85527a8e5036" ON "password_reset_tokens" ("memberId") ',
    );
    await queryRunner.query('DROP INDEX "IDX_ab55b9cf0d501e85527a8e5036"');
    await queryRunner.query('DROP TABLE "password_reset_tokens"');
  }
}
