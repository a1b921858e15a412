import { ms, type SqlRunner } from '../../core/database/sql';

/** A board's `startuse` this soon after a supervised start is that first use. */
export const SUPERVISED_START_WINDOW_MS = 2 * 60_000;

/**
 * The trainer of a use that starts now, if it is a supervised first use: a trainer (or a manager)
 * started the machine from the portal with the trainee's card in the last two minutes (the access
 * log's `remote-start` whose member is the trainee and whose actor is someone else), and no session
 * of the trainee on the machine opened since. Read from the access log, so that it holds whichever
 * instance answers the board and needs no state of its own; a session is flagged once. A partial
 * index holds only the remote starts, so the look-up costs the same however busy the machine is
 * (the upper bound's `+` keeps SQLite's planner, without statistics, off the member's index).
 */
export async function supervisingTrainer(
  sql: SqlRunner,
  machineId: number,
  memberId: number,
  now: number,
): Promise<number | null> {
  const command = await sql.get<{ actorMemberId: number; occurredAt: string | number }>(
    `SELECT "actorMemberId", "occurredAt" FROM "access_events"
      WHERE "action" = 'remote-start' AND "machineId" = ? AND "memberId" = ?
        AND "occurredAt" >= ? AND +"occurredAt" <= ?
        AND "actorMemberId" IS NOT NULL AND "actorMemberId" <> "memberId"
      ORDER BY "occurredAt" DESC LIMIT 1`,
    [machineId, memberId, now - SUPERVISED_START_WINDOW_MS, now],
  );
  if (!command) return null;
  const since = ms(command.occurredAt) ?? now;
  const opened = await sql.get<{ id: number }>(
    `SELECT "id" FROM "usage_sessions" WHERE "machineId" = ? AND "memberId" = ? AND "startedAt" >= ? LIMIT 1`,
    [machineId, memberId, since],
  );
  return opened ? null : Number(command.actorMemberId);
}
