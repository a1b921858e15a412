import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddReplayStartsPostgres1796447384553 implements MigrationInterface {
  name = 'AddReplayStartsPostgres1796447384553';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "replay_starts" ("machineId" integer NOT NULL, "memberId" integer NOT NULL, "receivedAt" bigint NOT NULL, CONSTRAINT "PK_302da216c4812fb6358a15db1a8" PRIMARY KEY ("machineId"))',
    );
    await queryRunner.query(
      'ALTER TABLE "replay_starts" ADD CONSTRAINT "FK_302da216c4812fb6358a15db1a8" FOREIGN KEY ("machineId") REFERENCES "machines"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "replay_starts" ADD CONSTRAINT "FK_6352457e93cc7058995d15919a7" FOREIGN KEY ("memberId") REFERENCES "members"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "replay_starts" DROP CONSTRAINT "FK_6352457e93cc7058995d15919a7"');
    await queryRunner.query('ALTER TABLE "replay_starts" DROP CONSTRAINT "FK_302da216c4812fb6358a15db1a8"');
    await queryRunner.query('DROP TABLE "replay_starts"');
  }
}
