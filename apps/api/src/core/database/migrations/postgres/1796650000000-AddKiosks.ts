import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddKiosksPostgres1796650000000 implements MigrationInterface {
  name = 'AddKiosksPostgres1796650000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "kiosks" ("id" SERIAL NOT NULL, "name" character varying(60) NOT NULL, "tokenHash" character varying(64) NOT NULL, "createdById" integer, "createdAt" bigint NOT NULL, "lastUsedAt" bigint, "revokedAt" bigint, CONSTRAINT "PK_kiosks_id" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "UQ_kiosks_token_hash" ON "kiosks"  ("tokenHash") ');
    await queryRunner.query(
      'CREATE TABLE "lab_settings" ("key" character varying(64) NOT NULL, "value" text NOT NULL, CONSTRAINT "PK_lab_settings_key" PRIMARY KEY ("key"))',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "lab_settings"');
    await queryRunner.query('DROP INDEX "public"."UQ_kiosks_token_hash"');
    await queryRunner.query('DROP TABLE "kiosks"');
  }
}
