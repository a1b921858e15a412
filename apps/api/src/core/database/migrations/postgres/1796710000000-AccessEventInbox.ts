import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The access events' inbox (ADR 0010). PostgreSQL writes `access_events` directly and leaves it
 * empty; it exists so that the SQL which moves it (the unknown-cards recount of the purges) is the
 * same on both databases.
 */
export class AccessEventInboxPostgres1796710000000 implements MigrationInterface {
  name = 'AccessEventInboxPostgres1796710000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "access_event_inbox" ("id" integer NOT NULL, "occurredAt" bigint NOT NULL, "topicId" character varying(5) NOT NULL, "machineId" integer, "cardUid" character varying(20), "memberId" integer, "action" character varying(16) NOT NULL, "reason" character varying(32) NOT NULL, "granted" boolean NOT NULL, "level" integer, "replay" boolean NOT NULL DEFAULT false, "count" integer NOT NULL DEFAULT 1, "actorMemberId" integer, CONSTRAINT "PK_access_event_inbox" PRIMARY KEY ("id"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "access_event_inbox"');
  }
}
