import type { SqlRunner } from '../../core/database/sql';
import type { GroupTransactionHook, UnitOfWork } from '../../core/database/unit-of-work';

/**
 * SQLite's inbox of the boards' access events (ADR 0010): rows appended in the board's commit,
 * without the six indexes of `access_events`, and moved there in batches by `AccessEventInbox`.
 */
export const ACCESS_EVENT_INBOX = 'access_event_inbox';

const COLUMNS =
  '"id", "occurredAt", "topicId", "machineId", "cardUid", "memberId", "action", "reason", "granted", "level", "replay", "count", "actorMemberId"';

/**
 * Every row of the inbox to `access_events`, as plain statements for the caller's transaction (any
 * database: PostgreSQL's inbox is empty). Work that counts an unknown card's taps from the history
 * runs them first: the rows of a card still taking taps stay in the inbox otherwise.
 */
export const MOVE_WHOLE_INBOX = [
  `INSERT INTO "access_events" (${COLUMNS}) SELECT ${COLUMNS} FROM "${ACCESS_EVENT_INBOX}" ORDER BY "id"`,
  `DELETE FROM "${ACCESS_EVENT_INBOX}"`,
] as const;

/**
 * The id the next access event gets, taken from the AUTOINCREMENT counter of `access_events`
 * (`sqlite_sequence`) in the caller's transaction: a row keeps its id when it moves, and a row
 * written to `access_events` directly (a remote command, another process) gets a later one. Inside a
 * group transaction of the board path ({@link INBOX_IDS}), the counter is read once and written back
 * before the commit, instead of once an event (10 µs an event, ~3 % of the board path's CPU).
 */
export async function takeInboxId(sql: SqlRunner): Promise<number> {
  const open = openGroups.get(sql);
  if (open && open.last > 0) return ++open.last;
  const id = await reserveInboxId(sql);
  if (open) open.last = open.written = id;
  return id;
}

/**
 * Writes the ids taken in the open group transaction back to `sqlite_sequence`, if any were taken
 * in memory: before a row is written to `access_events` directly, which takes the next id from it.
 */
export function settleInboxIds(sql: SqlRunner): Promise<unknown> | null {
  const open = openGroups.get(sql);
  if (!open || open.last === 0) return null;
  const { last, written } = open;
  open.last = open.written = 0; // the next id is read again (after whatever comes between)
  return last > written ? sql.run(WRITE_SEQUENCE, [last]) : null;
}

/** Ids handed out in a group transaction: the last, and the last `sqlite_sequence` holds (0: none). */
const openGroups = new WeakMap<SqlRunner, { last: number; written: number }>();

/** The board path's group transactions keep the access events' ids in memory (see `takeInboxId`). */
export const INBOX_IDS: GroupTransactionHook = {
  began: (sql) => void openGroups.set(sql, { last: 0, written: 0 }),
  settle: settleInboxIds,
  ended: (sql) => void openGroups.delete(sql),
};

/** Never lowers the counter: moved rows and direct writes may have raised it past the ids in memory. */
const WRITE_SEQUENCE = `UPDATE "sqlite_sequence" SET "seq" = MAX("seq", ?) WHERE "name" = 'access_events'`;

async function reserveInboxId(sql: SqlRunner): Promise<number> {
  const taken = await sql.get<{ seq: number }>(
    `UPDATE "sqlite_sequence" SET "seq" = "seq" + 1 WHERE "name" = 'access_events' RETURNING "seq"`,
  );
  if (taken) return Number(taken.seq);
  // No access event written yet: the counter starts after any row there is.
  const first = await sql.get<{ seq: number }>(
    `INSERT INTO "sqlite_sequence" ("name", "seq")
     SELECT 'access_events', MAX(COALESCE((SELECT MAX("id") FROM "access_events"), 0),
                                 COALESCE((SELECT MAX("id") FROM "${ACCESS_EVENT_INBOX}"), 0)) + 1
     RETURNING "seq"`,
  );
  return Number(first?.seq);
}

/**
 * Moves the inbox's oldest rows, at most `limit` (all without one), to `access_events` in the
 * caller's transaction, ids and all. With `keepUnknownSince`, the rows of unknown cards tapped since
 * then stay: the card's next tap on that machine may still add to them (access-log.ts), cheaply while
 * they are here, and they move once that window has passed. Answers how many moved and how many
 * rows the inbox still holds (limit aside).
 */
export async function moveInboxRows(
  sql: SqlRunner,
  options: { readonly limit?: number; readonly keepUnknownSince?: number } = {},
): Promise<{ moved: number; kept: number }> {
  // Bound, not written into the SQL: the board path's runner keeps a statement per SQL text.
  const keep = options.keepUnknownSince ?? Number.MAX_SAFE_INTEGER;
  const limit = options.limit === undefined ? -1 : Math.max(1, Math.floor(options.limit));
  const batch = await sql.get<{ last: number | null; rows: number }>(MOVABLE_BATCH, [keep, limit]);
  const last = batch?.last ?? null;
  if (last !== null) {
    await sql.run(MOVE_BATCH, [last, keep]);
    await sql.run(DELETE_BATCH, [last, keep]);
  }
  const left = await sql.get<{ rows: number }>(`SELECT COUNT(*) AS "rows" FROM "${ACCESS_EVENT_INBOX}"`);
  return { moved: Number(batch?.rows ?? 0), kept: Number(left?.rows ?? 0) };
}

/** The rows that may move: all but the rows of unknown cards tapped since the bound time. */
const MOVABLE = `NOT ("reason" = 'unknown-card' AND "occurredAt" >= ?)`;
/** The last id and the count of the oldest movable rows, at most the bound limit (-1: all). */
const MOVABLE_BATCH = `SELECT MAX("id") AS "last", COUNT(*) AS "rows"
  FROM (SELECT "id" FROM "${ACCESS_EVENT_INBOX}" WHERE ${MOVABLE} ORDER BY "id" LIMIT ?)`;
const MOVE_BATCH = `INSERT INTO "access_events" (${COLUMNS})
  SELECT ${COLUMNS} FROM "${ACCESS_EVENT_INBOX}" WHERE "id" <= ? AND ${MOVABLE} ORDER BY "id"`;
const DELETE_BATCH = `DELETE FROM "${ACCESS_EVENT_INBOX}" WHERE "id" <= ? AND ${MOVABLE}`;

/**
 * Moves every row of the inbox to `access_events` now, in a transaction of its own (nothing to do on
 * PostgreSQL): for work that reads the access events on the writer's connection, in the app or in an
 * operator command beside it.
 */
export async function moveAccessEventInbox(uow: UnitOfWork): Promise<void> {
  if (uow.writesBlockEventLoop) await uow.runSql((sql) => moveInboxRows(sql));
}
