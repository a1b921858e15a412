import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddKiosksSqlite1796650000000 implements MigrationInterface {
  name = 'AddKiosksSqlite1796650000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "kiosks" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(60) NOT NULL, "tokenHash" varchar(64) NOT NULL, "createdById" integer, "createdAt" bigint NOT NULL, "lastUsedAt" bigint, "revokedAt" bigint)',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "UQ_kiosks_token_hash" ON "kiosks" ("tokenHash") ');
    await queryRunner.query(
      'CREATE TABLE "lab_settings" ("key" varchar(64) PRIMARY KEY NOT NULL, "value" text NOT NULL)',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "lab_settings"');
    await queryRunner.query('DROP INDEX "UQ_kiosks_token_hash"');
    await queryRunner.query('DROP TABLE "kiosks"');
  }
}
