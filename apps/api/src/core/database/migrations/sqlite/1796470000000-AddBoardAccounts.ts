import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddBoardAccountsSqlite1796470000000 implements MigrationInterface {
  name = 'AddBoardAccountsSqlite1796470000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "board_accounts" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "topicId" varchar(5) NOT NULL, "passwordHash" varchar(255) NOT NULL, "issuedAt" bigint NOT NULL)',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "UQ_board_accounts_topic" ON "board_accounts" ("topicId") ');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "UQ_board_accounts_topic"');
    await queryRunner.query('DROP TABLE "board_accounts"');
  }
}
