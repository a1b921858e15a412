import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddBoardAccountsPostgres1796470000000 implements MigrationInterface {
  name = 'AddBoardAccountsPostgres1796470000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "board_accounts" ("id" SERIAL NOT NULL, "topicId" character varying(5) NOT NULL, "passwordHash" character varying(255) NOT NULL, "issuedAt" bigint NOT NULL, CONSTRAINT "PK_board_accounts_id" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "UQ_board_accounts_topic" ON "board_accounts" ("topicId") ');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."UQ_board_accounts_topic"');
    await queryRunner.query('DROP TABLE "board_accounts"');
  }
}
