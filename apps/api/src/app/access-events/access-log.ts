import type { AccessAction, AccessEventMessage, AccessReason } from '@fabomatic/contracts';
import type { PendingEvents } from '../../core/events/domain-events';
import type { SqlRunner } from '../../core/database/sql';
import { UPSERT_UNKNOWN_TAP, unknownTapParams } from './unknown-cards-table';

/** Taps of one unknown card on one machine this close together share an access event row. */
const UNKNOWN_CARD_MERGE_MS = 10_000;

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
  const previous =
    reason === 'unknown-card'
      ? await sql.get<{ id: number; count: number | string }>(
          `SELECT "id", "count" FROM "access_events"
           WHERE "cardUid" = ? AND "occurredAt" >= ? AND "topicId" = ? AND "action" = ?
             AND "reason" = 'unknown-card'
           ORDER BY "occurredAt" DESC LIMIT 1`,
          [entry.cardUid, occurredAt - UNKNOWN_CARD_MERGE_MS, entry.topicId, entry.action],
        )
      : undefined;
  if (previous) {
    // The row keeps the time of the latest tap (the window slides), as the unknown-cards table does.
    await sql.run('UPDATE "access_events" SET "count" = "count" + 1, "occurredAt" = ? WHERE "id" = ?', [
      occurredAt,
      previous.id,
    ]);
  }
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
  if (reason === 'unknown-card') {
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
