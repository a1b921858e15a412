import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddPasswordResetTokensPostgres1795767985768 implements MigrationInterface {
  name = 'AddPasswordResetTokensPostgres1795767985768';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "password_reset_tokens" ("tokenHash" character varying(64) NOT NULL, "memberId" integer NOT NULL, "createdAt" bigint NOT NULL, "expiresAt" bigint NOT NULL, "usedAt" bigint, CONSTRAINT "PK_1143abb8c3fad8b06dd857a8c9c" PRIMARY KEY ("tokenHash"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_ab55b9cf0d501e85527a8e5036" ON "password_reset_tokens"  ("memberId") ',
    );
    await queryRunner.query(
      'ALTER TABLE "password_reset_tokens" ADD CONSTRAINT "FK_ab55b9cf0d501e85527a8e50368" FOREIGN KEY ("memberId") REFERENCES "members"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "password_reset_tokens" DROP CONSTRAINT "FK_ab55b9cf0d501e85527a8e50368"',
    );
    await queryRunner.query('DROP INDEX "public"."IDX_ab55b9cf0d501e85527a8e5036"');
    await queryRunner.query('DROP TABLE "password_reset_tokens"');
  }
}
