import type { AccessAction, AccessEventMessage, AccessReason } from '@fabomatic/contracts';
import type { PendingEvents } from '../../core/events/domain-events';
import type { SqlRunner, SqlValue } from '../../core/database/sql';
import { UPSERT_UNKNOWN_TAP, unknownTapParams } from './unknown-cards-table';
import { ACCESS_EVENT_INBOX, settleInboxIds, takeInboxId } from './inbox-rows';

/** Taps of one unknown card on one machine this close together share an access event row. */
export const UNKNOWN_CARD_MERGE_MS = 10_000;

/**
 * The row each unknown card's taps on a machine last went to, per process: the next tap within the
 * window adds to it by primary key instead of searching the card's history (31 µs a tap, 4 % of the
 * board path's CPU under the firmware's mix). A hint only: the update checks the row still is that
 * card's on that machine and in the window, and falls back to the search when it is not (a rolled-back
 * transaction, another instance's newer row).
 */
const lastUnknownRows = new Map<string, { readonly id: number; readonly at: number }>();
/** Hints kept at most; expired ones are dropped first, then the oldest. */
const MAX_UNKNOWN_ROW_HINTS = 4096;

const mergeKey = (entry: AccessEntry): string =>
  `${entry.cardUid}\u0000${entry.topicId}\u0000${entry.action}`;

function rememberRow(key: string, id: number, at: number): void {
  lastUnknownRows.delete(key);
  if (lastUnknownRows.size >= MAX_UNKNOWN_ROW_HINTS) {
    for (const [k, hint] of lastUnknownRows)
      if (hint.at < at - UNKNOWN_CARD_MERGE_MS) lastUnknownRows.delete(k);
    if (lastUnknownRows.size >= MAX_UNKNOWN_ROW_HINTS) {
      const oldest = lastUnknownRows.keys().next().value;
      if (oldest !== undefined) lastUnknownRows.delete(oldest);
    }
  }
  lastUnknownRows.set(key, { id, at });
}

/**
 * Adds this tap to the row of the same unknown card on the same machine within the window, if there
 * is one: the row keeps the time of the latest tap (the window slides), as the unknown-cards table
 * does. Answers that row as it was before this tap, or undefined (a new row is needed). With
 * `inbox`, the remembered row is looked for in the inbox first (it may not have moved yet); the
 * search without a remembered row reads the history only (the inbox has no index to search by card:
 * a tap that misses a row still in the inbox gets a row of its own, its taps counted the same).
 */
async function mergeUnknownTap(
  sql: SqlRunner,
  key: string,
  entry: AccessEntry,
  inbox: boolean,
): Promise<{ id: number; count: number | string } | undefined> {
  const since = entry.occurredAt - UNKNOWN_CARD_MERGE_MS;
  const hint = lastUnknownRows.get(key);
  if (hint && hint.at >= since) {
    const params = [entry.occurredAt, hint.id, entry.cardUid, entry.topicId, entry.action, since];
    // The inbox is SQLite's only: RETURNING on an UPDATE (TypeORM answers PostgreSQL's UPDATE with
    // [rows, count], hence the history's separate read).
    const merged =
      (inbox ? await sql.get<{ count: number | string }>(MERGE_INTO_INBOX, params) : undefined) ??
      ((await sql.run(MERGE_INTO_HISTORY, params)) === 1
        ? await sql.get<{ count: number | string }>('SELECT "count" FROM "access_events" WHERE "id" = ?', [
            hint.id,
          ])
        : undefined);
    if (merged) return { id: hint.id, count: Number(merged.count) - 1 };
  }
  const previous = await sql.get<{ id: number; count: number | string }>(
    `SELECT "id", "count" FROM "access_events"
     WHERE "cardUid" = ? AND "occurredAt" >= ? AND "topicId" = ? AND "action" = ?
       AND "reason" = 'unknown-card'
     ORDER BY "occurredAt" DESC LIMIT 1`,
    [entry.cardUid, since, entry.topicId, entry.action],
  );
  if (previous) {
    await sql.run('UPDATE "access_events" SET "count" = "count" + 1, "occurredAt" = ? WHERE "id" = ?', [
      entry.occurredAt,
      previous.id,
    ]);
  }
  return previous;
}

/** One more tap on a remembered row, if it still is that card's on that machine and in the window. */
const mergeInto = (table: string) =>
  `UPDATE "${table}" SET "count" = "count" + 1, "occurredAt" = ?
   WHERE "id" = ? AND "cardUid" = ? AND "topicId" = ? AND "action" = ? AND "reason" = 'unknown-card'
     AND "occurredAt" >= ?`;
const MERGE_INTO_HISTORY = mergeInto('access_events');
const MERGE_INTO_INBOX = `${mergeInto(ACCESS_EVENT_INBOX)} RETURNING "count"`;

const EVENT_COLUMNS =
  '"occurredAt", "topicId", "machineId", "cardUid", "memberId", "action", "reason", "granted", "level", "replay", "actorMemberId"';
const INSERT_INTO_HISTORY = `INSERT INTO "access_events" (${EVENT_COLUMNS})
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING "id"`;
const INSERT_INTO_INBOX = `INSERT INTO "${ACCESS_EVENT_INBOX}" ("id", ${EVENT_COLUMNS})
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** One access decision or remote command, as written to `access_events` and told to dashboards. */
export interface AccessEntry {
  readonly occurredAt: number;
  readonly topicId: string;
  readonly machine: { readonly id: number; readonly name: string } | null;
  /** The member the card belongs to; `name` is what dashboards show (null: not looked up). */
  readonly member: { readonly id: number; readonly name: string | null } | null;
  readonly cardUid: string;
  readonly action: AccessAction;
  readonly reason: AccessReason;
  readonly granted: boolean;
  readonly level: number | null;
  readonly replay: boolean;
  /** The portal user who issued a remote command. */
  readonly actorMemberId?: number | null;
}

/**
 * The one way an access event is written (board decisions and the portal's remote commands alike):
 * plain SQL inside the caller's transaction, published as `access-event` once it commits. An unknown
 * card tapped again on the same machine within 10 s adds one to the same row, and every unknown tap
 * is counted per card in the same transaction (the unknown-cards page reads that, not this history).
 * `inbox` (the boards' events on SQLite, ADR 0010) appends the row to the access events' inbox with
 * its final id, from where {@link AccessEventInbox} moves it to `access_events` in batches.
 */
export async function recordAccessEvent(
  sql: SqlRunner,
  events: PendingEvents,
  entry: AccessEntry,
  inbox = false,
): Promise<AccessEventMessage> {
  const { occurredAt, reason } = entry;
  const merge = reason === 'unknown-card' ? mergeKey(entry) : null;
  const previous = merge === null ? undefined : await mergeUnknownTap(sql, merge, entry, inbox);
  const values: SqlValue[] = [
    occurredAt,
    entry.topicId,
    entry.machine?.id ?? null,
    entry.cardUid,
    entry.member?.id ?? null,
    entry.action,
    reason,
    entry.granted,
    entry.level,
    entry.replay,
    entry.actorMemberId ?? null,
  ];
  let row: { id: number } | undefined = previous;
  if (!row && inbox) {
    const id = await takeInboxId(sql);
    await sql.run(INSERT_INTO_INBOX, [id, ...values]);
    row = { id };
  }
  if (!row) {
    // AUTOINCREMENT takes the next id from `sqlite_sequence`: the ids the inbox took are written first.
    await settleInboxIds(sql);
    row = await sql.get<{ id: number }>(INSERT_INTO_HISTORY, values);
  }
  if (merge !== null) {
    rememberRow(merge, Number(row?.id), occurredAt);
    const tap = {
      cardUid: entry.cardUid,
      occurredAt,
      topicId: entry.topicId,
      machineId: entry.machine?.id ?? null,
    };
    await sql.run(UPSERT_UNKNOWN_TAP, unknownTapParams(tap));
  }
  const message: AccessEventMessage = {
    id: Number(row?.id),
    occurredAt: new Date(occurredAt).toISOString(),
    topicId: entry.topicId,
    machineId: entry.machine?.id ?? null,
    machineName: entry.machine?.name ?? null,
    cardUid: entry.cardUid,
    memberId: entry.member?.id ?? null,
    memberName: entry.member?.name ?? null,
    action: entry.action,
    reason,
    granted: entry.granted,
    level: entry.level,
    replay: entry.replay,
    count: previous ? Number(previous.count) + 1 : 1,
  };
  events.publish('access-event', message);
  return message;
}
