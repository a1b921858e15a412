import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddReplayStartsSqlite1796447384553 implements MigrationInterface {
  name = 'AddReplayStartsSqlite1796447384553';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "replay_starts" ("machineId" integer PRIMARY KEY NOT NULL, "memberId" integer NOT NULL, "receivedAt" bigint NOT NULL)',
    );
    await queryRunner.query(
      'CREATE TABLE "temporary_replay_starts" ("machineId" integer PRIMARY KEY NOT NULL, "memberId" integer NOT NULL, "receivedAt" bigint NOT NULL, CONSTRAINT "FK_302da216c4812fb6358a15db1a8" FOREIGN KEY ("machineId") REFERENCES "machines" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_6352457e93cc7058995d15919a7" FOREIGN KEY ("memberId") REFERENCES "members" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_replay_starts"("machineId", "memberId", "receivedAt") SELECT "machineId", "memberId", "receivedAt" FROM "replay_starts"',
    );
    await queryRunner.query('DROP TABLE "replay_starts"');
    await queryRunner.query('ALTER TABLE "temporary_replay_starts" RENAME TO "replay_starts"');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "replay_starts" RENAME TO "temporary_replay_starts"');
    await queryRunner.query(
      'CREATE TABLE "replay_starts" ("machineId" integer PRIMARY KEY NOT NULL, "memberId" integer NOT NULL, "receivedAt" bigint NOT NULL)',
    );
    await queryRunner.query(
      'INSERT INTO "replay_starts"("machineId", "memberId", "receivedAt") SELECT "machineId", "memberId", "receivedAt" FROM "temporary_replay_starts"',
    );
    await queryRunner.query('DROP TABLE "temporary_replay_starts"');
    await queryRunner.query('DROP TABLE "replay_starts"');
  }
}
