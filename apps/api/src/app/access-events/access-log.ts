import type { AccessAction, AccessEventMessage, AccessReason } from '@fabomatic/contracts';
import type { PendingEvents } from '../../core/events/domain-events';
import type { SqlRunner } from '../../core/database/sql';
import { UPSERT_UNKNOWN_TAP, unknownTapParams } from './unknown-cards-table';

/** Taps of one unknown card on one machine this close together share an access event row. */
const UNKNOWN_CARD_MERGE_MS = 10_000;

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
 * does. Answers that row as it was before this tap, or undefined (a new row is needed).
 */
async function mergeUnknownTap(
  sql: SqlRunner,
  key: string,
  entry: AccessEntry,
): Promise<{ id: number; count: number | string } | undefined> {
  const since = entry.occurredAt - UNKNOWN_CARD_MERGE_MS;
  const hint = lastUnknownRows.get(key);
  if (hint && hint.at >= since) {
    const changed = await sql.run(
      `UPDATE "access_events" SET "count" = "count" + 1, "occurredAt" = ?
       WHERE "id" = ? AND "cardUid" = ? AND "topicId" = ? AND "action" = ? AND "reason" = 'unknown-card'
         AND "occurredAt" >= ?`,
      [entry.occurredAt, hint.id, entry.cardUid, entry.topicId, entry.action, since],
    );
    const merged =
      changed === 1
        ? await sql.get<{ count: number | string }>('SELECT "count" FROM "access_events" WHERE "id" = ?', [
            hint.id,
          ])
        : undefined;
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
 */
export async function recordAccessEvent(
  sql: SqlRunner,
  events: PendingEvents,
  entry: AccessEntry,
): Promise<AccessEventMessage> {
  const { occurredAt, reason } = entry;
  const merge = reason === 'unknown-card' ? mergeKey(entry) : null;
  const previous = merge === null ? undefined : await mergeUnknownTap(sql, merge, entry);
  const row =
    previous ??
    (await sql.get<{ id: number }>(
      `INSERT INTO "access_events"
       ("occurredAt", "topicId", "machineId", "cardUid", "memberId", "action", "reason", "granted", "level", "replay", "actorMemberId")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING "id"`,
      [
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
      ],
    ));
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
