import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Unknown-card taps per card, backfilled from the access history (same SQL on both drivers). */
export const BACKFILL_UNKNOWN_CARDS = [
  `INSERT INTO "unknown_cards" ("cardUid", "firstSeenAt", "lastSeenAt", "taps", "lastTopicId", "lastMachineId")
   SELECT e."cardUid", MIN(e."occurredAt"), MAX(e."occurredAt"), COUNT(*), '', NULL
   FROM "access_events" e
   WHERE e."reason" = 'unknown-card' AND e."cardUid" IS NOT NULL
   GROUP BY e."cardUid"`,
  `UPDATE "unknown_cards" SET
     "lastTopicId" = (SELECT e."topicId" FROM "access_events" e
                      WHERE e."reason" = 'unknown-card' AND e."cardUid" = "unknown_cards"."cardUid"
                      ORDER BY e."occurredAt" DESC, e."id" DESC LIMIT 1),
     "lastMachineId" = (SELECT e."machineId" FROM "access_events" e
                        WHERE e."reason" = 'unknown-card' AND e."cardUid" = "unknown_cards"."cardUid"
                        ORDER BY e."occurredAt" DESC, e."id" DESC LIMIT 1)`,
];

export class UnknownCardsAndKeysetIndexesSqlite1796449500000 implements MigrationInterface {
  name = 'UnknownCardsAndKeysetIndexesSqlite1796449500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "unknown_cards" ("cardUid" varchar(20) PRIMARY KEY NOT NULL, "firstSeenAt" bigint NOT NULL, "lastSeenAt" bigint NOT NULL, "taps" integer NOT NULL, "lastTopicId" varchar(5) NOT NULL, "lastMachineId" integer)',
    );
    await queryRunner.query('CREATE INDEX "IDX_unknown_cards_lastSeenAt" ON "unknown_cards" ("lastSeenAt") ');
    for (const sql of BACKFILL_UNKNOWN_CARDS) await queryRunner.query(sql);
    await queryRunner.query('DROP INDEX "IDX_b2d7d871739b9564e0c4167f2c"');
    await queryRunner.query(
      'CREATE INDEX "IDX_access_events_machine_occurred" ON "access_events" ("machineId", "occurredAt") ',
    );
    await queryRunner.query('DROP INDEX "IDX_435f71f789b70c41de24f46aec"');
    await queryRunner.query(
      'CREATE INDEX "IDX_access_events_card_occurred" ON "access_events" ("cardUid", "occurredAt") ',
    );
    await queryRunner.query('DROP INDEX "IDX_ce489061b80a0983be7fb3bb75"');
    await queryRunner.query(
      'CREATE INDEX "IDX_access_events_member_occurred" ON "access_events" ("memberId", "occurredAt") ',
    );
    await queryRunner.query('DROP INDEX "IDX_2d8572d1250610b97a2fcb8bc8"');
    await queryRunner.query(
      'CREATE INDEX "IDX_access_events_occurred_id" ON "access_events" ("occurredAt", "id") ',
    );
    await queryRunner.query('DROP INDEX "IDX_2a311d5dab3e802e7d50512fb0"');
    await queryRunner.query('CREATE INDEX "IDX_audit_log_occurred_id" ON "audit_log" ("occurredAt", "id") ');
    await queryRunner.query(
      'CREATE INDEX "IDX_usage_sessions_started_id" ON "usage_sessions" ("startedAt", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_usage_sessions_member_started" ON "usage_sessions" ("memberId", "startedAt") ',
    );
    // The usage list's duration sort expression (an open session counts up to its last heartbeat).
    await queryRunner.query(
      'CREATE INDEX "IDX_usage_sessions_duration_id" ON "usage_sessions" ((COALESCE("endedAt", "lastSeenAt") - "startedAt"), "id")',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_usage_sessions_duration_id"');
    await queryRunner.query('DROP INDEX "IDX_usage_sessions_member_started"');
    await queryRunner.query('DROP INDEX "IDX_access_events_machine_occurred"');
    await queryRunner.query(
      'CREATE INDEX "IDX_b2d7d871739b9564e0c4167f2c" ON "access_events" ("machineId") ',
    );
    await queryRunner.query('DROP INDEX "IDX_access_events_card_occurred"');
    await queryRunner.query('CREATE INDEX "IDX_435f71f789b70c41de24f46aec" ON "access_events" ("cardUid") ');
    await queryRunner.query('DROP INDEX "IDX_access_events_member_occurred"');
    await queryRunner.query('CREATE INDEX "IDX_ce489061b80a0983be7fb3bb75" ON "access_events" ("memberId") ');
    await queryRunner.query('DROP INDEX "IDX_usage_sessions_started_id"');
    await queryRunner.query('DROP INDEX "IDX_audit_log_occurred_id"');
    await queryRunner.query('CREATE INDEX "IDX_2a311d5dab3e802e7d50512fb0" ON "audit_log" ("occurredAt") ');
    await queryRunner.query('DROP INDEX "IDX_access_events_occurred_id"');
    await queryRunner.query(
      'CREATE INDEX "IDX_2d8572d1250610b97a2fcb8bc8" ON "access_events" ("occurredAt") ',
    );
    await queryRunner.query('DROP INDEX "IDX_unknown_cards_lastSeenAt"');
    await queryRunner.query('DROP TABLE "unknown_cards"');
  }
}
