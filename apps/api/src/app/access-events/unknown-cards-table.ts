import type { EntityManager } from 'typeorm';
import { BACKFILL_UNKNOWN_CARDS } from '../../core/database/migrations/sqlite/1796449500000-UnknownCardsAndKeysetIndexes';
import { type SqlValue, toPostgresPlaceholders } from '../../core/database/sql';
import { MOVE_WHOLE_INBOX } from './inbox-rows';

/** Runs one statement of the `?` dialect through a TypeORM manager (a transaction's, or the pool's). */
export type SqlStatement = (sql: string, params?: readonly SqlValue[]) => Promise<unknown>;

export function statementsOf(em: EntityManager): SqlStatement {
  const sqlite = em.connection.options.type === 'better-sqlite3';
  return (sql, params = []) =>
    sqlite
      ? em.query(
          sql,
          params.map((p) => (typeof p === 'boolean' ? Number(p) : p)),
        )
      : em.query(toPostgresPlaceholders(sql), [...params]);
}

/**
 * One tap of an unknown card, counted in the same transaction as its access event (board path):
 * one UPSERT on the card's primary key. The latest tap (ties: the one written last) names the board.
 */
export const UPSERT_UNKNOWN_TAP = `INSERT INTO "unknown_cards"
    ("cardUid", "firstSeenAt", "lastSeenAt", "taps", "lastTopicId", "lastMachineId")
  VALUES (?, ?, ?, 1, ?, ?)
  ON CONFLICT ("cardUid") DO UPDATE SET
    "taps" = "unknown_cards"."taps" + 1,
    "firstSeenAt" = CASE WHEN excluded."firstSeenAt" < "unknown_cards"."firstSeenAt"
                    THEN excluded."firstSeenAt" ELSE "unknown_cards"."firstSeenAt" END,
    "lastSeenAt" = CASE WHEN excluded."lastSeenAt" >= "unknown_cards"."lastSeenAt"
                   THEN excluded."lastSeenAt" ELSE "unknown_cards"."lastSeenAt" END,
    "lastTopicId" = CASE WHEN excluded."lastSeenAt" >= "unknown_cards"."lastSeenAt"
                    THEN excluded."lastTopicId" ELSE "unknown_cards"."lastTopicId" END,
    "lastMachineId" = CASE WHEN excluded."lastSeenAt" >= "unknown_cards"."lastSeenAt"
                      THEN excluded."lastMachineId" ELSE "unknown_cards"."lastMachineId" END`;

export const unknownTapParams = (tap: {
  cardUid: string;
  occurredAt: number;
  topicId: string;
  machineId: number | null;
}): SqlValue[] => [tap.cardUid, tap.occurredAt, tap.occurredAt, tap.topicId, tap.machineId];

/** Counts again, from the access history, the taps and first tap of the unknown cards `where` selects. */
const recountWhere = (where: string) => {
  const taps = `FROM "access_events" e WHERE e."reason" = 'unknown-card' AND e."cardUid" = "unknown_cards"."cardUid"`;
  return `UPDATE "unknown_cards" SET
       "taps" = (SELECT COALESCE(SUM(e."count"), 0) ${taps}),
       "firstSeenAt" = COALESCE((SELECT MIN(e."occurredAt") ${taps}), "firstSeenAt")
     WHERE ${where}`;
};

/**
 * After access events older than `before` were deleted or lost their card UID (purges): the cards
 * first seen before it are counted again from what is left, on the access events' card index, and
 * those with no tap left go.
 */
export async function recountUnknownCardsBefore(run: SqlStatement, before: number): Promise<void> {
  for (const statement of MOVE_WHOLE_INBOX) await run(statement);
  await run(recountWhere('"firstSeenAt" < ?'), [before]);
  await run(`DELETE FROM "unknown_cards" WHERE "taps" = 0`);
}

/** Recounts these cards' taps and first tap from the access history; a card left without taps goes. */
export async function recountUnknownCards(run: SqlStatement, cardUids: readonly string[]): Promise<void> {
  if (cardUids.length === 0) return;
  for (const statement of MOVE_WHOLE_INBOX) await run(statement);
  const list = cardUids.map(() => '?').join(', ');
  await run(recountWhere(`"cardUid" IN (${list})`), cardUids);
  await run(`DELETE FROM "unknown_cards" WHERE "taps" = 0 AND "cardUid" IN (${list})`, cardUids);
}

/**
 * The migration's backfill, counting each row's taps (`count`: repeated taps of a card on a machine
 * within 10 s share a row; the migration ran before that column existed).
 */
const REBUILD_UNKNOWN_CARDS = [
  `INSERT INTO "unknown_cards" ("cardUid", "firstSeenAt", "lastSeenAt", "taps", "lastTopicId", "lastMachineId")
   SELECT e."cardUid", MIN(e."occurredAt"), MAX(e."occurredAt"), SUM(e."count"), '', NULL
   FROM "access_events" e
   WHERE e."reason" = 'unknown-card' AND e."cardUid" IS NOT NULL
   GROUP BY e."cardUid"`,
  ...BACKFILL_UNKNOWN_CARDS.slice(1),
];

/** Rebuilds the table from the whole access history (imports write history in bulk). */
export async function rebuildUnknownCards(run: SqlStatement): Promise<void> {
  for (const statement of MOVE_WHOLE_INBOX) await run(statement);
  await run('DELETE FROM "unknown_cards"');
  for (const sql of REBUILD_UNKNOWN_CARDS) await run(sql);
}
