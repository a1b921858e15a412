import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SQLite only: the inbox of the boards' access events (ADR 0010). A board's tap is committed here,
 * one row appended to a table without secondary indexes, and moved to `access_events` in batches
 * (app/access-events/access-event-inbox.ts). Each row carries its final `access_events` id, taken
 * from that table's AUTOINCREMENT counter, so ids never change when rows move. PostgreSQL writes
 * `access_events` directly and leaves its inbox empty.
 */
export class AccessEventInboxSqlite1796710000000 implements MigrationInterface {
  name = 'AccessEventInboxSqlite1796710000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "access_event_inbox" ("id" integer PRIMARY KEY NOT NULL, "occurredAt" bigint NOT NULL, "topicId" varchar(5) NOT NULL, "machineId" integer, "cardUid" varchar(20), "memberId" integer, "action" varchar(16) NOT NULL, "reason" varchar(32) NOT NULL, "granted" boolean NOT NULL, "level" integer, "replay" boolean NOT NULL DEFAULT (0), "count" integer NOT NULL DEFAULT (1), "actorMemberId" integer)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // What the inbox still holds goes to the history first: nothing acknowledged is lost.
    await queryRunner.query(
      `INSERT INTO "access_events" ("id", "occurredAt", "topicId", "machineId", "cardUid", "memberId", "action", "reason", "granted", "level", "replay", "count", "actorMemberId")
       SELECT "id", "occurredAt", "topicId", "machineId", "cardUid", "memberId", "action", "reason", "granted", "level", "replay", "count", "actorMemberId"
       FROM "access_event_inbox" ORDER BY "id"`,
    );
    await queryRunner.query('DROP TABLE "access_event_inbox"');
  }
}
