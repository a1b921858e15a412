import type { SessionEndReason } from '@fabomatic/contracts';
import { ms, type SqlRunner, type SqlValue } from '../../core/database/sql';
import { type SessionFacts, UsageAggregates } from './usage-aggregates';

/** A duplicated `stopuse` (live + replay) is recognised up to this long after the first one. */
export const DUPLICATE_STOP_WINDOW_MS = 7 * 24 * 3600 * 1000;
/** How far an `inuse` may place the start from a session we closed early and still be that one. */
const REOPEN_TOLERANCE_MS = 120 * 1000;
/** A replayed `startuse` after a session of the same member ended this recently may be its duplicate. */
const DUPLICATE_START_WINDOW_MS = 3600 * 1000;
/**
 * A replayed `stopuse` this soon after a replayed `startuse` is its pair: the board sends its buffer
 * one message at a time, each as soon as the previous one is answered.
 */
const REPLAY_PAIR_WINDOW_MS = 60 * 1000;

export interface Session {
  readonly id: number;
  readonly memberId: number;
  readonly machineId: number;
  startedAt: number;
  lastSeenAt: number;
  endedAt: number | null;
  endReason: SessionEndReason | null;
  replay: boolean;
}

export type SessionChange =
  | { readonly kind: 'opened'; readonly session: Session; readonly superseded: Session | null }
  | { readonly kind: 'refreshed'; readonly session: Session }
  | { readonly kind: 'reopened'; readonly session: Session }
  | { readonly kind: 'closed'; readonly session: Session }
  | { readonly kind: 'corrected'; readonly session: Session }
  | { readonly kind: 'duplicate'; readonly session: Session | null };

interface SessionRow {
  id: number;
  memberId: number;
  machineId: number;
  startedAt: string | number;
  lastSeenAt: string | number;
  endedAt: string | number | null;
  endReason: SessionEndReason | null;
  replay: boolean | number;
}

const COLUMNS = '"id", "memberId", "machineId", "startedAt", "lastSeenAt", "endedAt", "endReason", "replay"';
const FROM = `SELECT ${COLUMNS} FROM "usage_sessions"`;

/**
 * A session's UPDATE by which of its indexed columns change (bit 1: `startedAt`, bit 2: `endedAt`):
 * SQLite rewrites the index entries of every column named in SET, the same value or not, so a stop
 * that named an unchanged `startedAt` dirtied two more index pages (the member's and the history's).
 */
const UPDATE_SESSION = [0, 1, 2, 3].map((moved) => {
  const sets = ['"lastSeenAt" = ?', '"endReason" = ?', '"replay" = ?'];
  if (moved & 1) sets.push('"startedAt" = ?');
  if (moved & 2) sets.push('"endedAt" = ?');
  return `UPDATE "usage_sessions" SET ${sets.join(', ')} WHERE "id" = ?`;
});

/**
 * What each session read or written here counted for in the report totals and plan counters when it
 * was stored, so that `update` moves them by exactly what changed.
 */
const stored = new WeakMap<Session, SessionFacts>();

const factsOf = (s: Session): SessionFacts => ({
  machineId: s.machineId,
  memberId: s.memberId,
  startedAt: s.startedAt,
  endedAt: s.endedAt,
});

function toSession(row: SessionRow | undefined): Session | null {
  if (!row) return null;
  const session: Session = {
    id: Number(row.id),
    memberId: Number(row.memberId),
    machineId: Number(row.machineId),
    startedAt: ms(row.startedAt) ?? 0,
    lastSeenAt: ms(row.lastSeenAt) ?? 0,
    endedAt: ms(row.endedAt),
    endReason: row.endReason,
    replay: Boolean(row.replay),
  };
  stored.set(session, factsOf(session));
  return session;
}

const seconds = (millis: number) => Math.round(millis / 1000);
const span = (s: Session) => (s.endedAt === null ? 0 : s.endedAt - s.startedAt);

/**
 * Usage sessions from the board's `startuse` / `inuse` / `stopuse`, written inside the caller's
 * transaction with the machine locked. Every operation is idempotent for duplicated and replayed
 * messages, and the machine hour meter moves by exactly what the sessions add or lose.
 */
export class SessionLedger {
  private readonly aggregates: UsageAggregates;

  /** `timeZone`: LAB_TIME_ZONE, the zone of the report totals' buckets. */
  constructor(
    private readonly sql: SqlRunner,
    private readonly now: number,
    timeZone: string,
  ) {
    this.aggregates = new UsageAggregates(sql, timeZone);
  }

  /** `trainerId`: a supervised first use (issue 15), recorded on the session it opens. */
  async start(
    machineId: number,
    memberId: number,
    replay: boolean,
    trainerId: number | null = null,
  ): Promise<SessionChange> {
    const open = await this.openOnMachine(machineId);
    if (open && open.memberId === memberId) {
      open.lastSeenAt = this.now;
      await this.touch(open);
      return { kind: 'duplicate', session: open };
    }
    if (replay && !open) {
      const recent = toSession(
        await this.sql.get<SessionRow>(
          `${FROM} WHERE "machineId" = ? AND "memberId" = ? AND "endedAt" >= ? ORDER BY "endedAt" DESC LIMIT 1`,
          [machineId, memberId, this.now - DUPLICATE_START_WINDOW_MS],
        ),
      );
      if (recent) {
        // Either the replay of that use's start (its reply was lost) or the start of another use the
        // board buffered: only a replayed stopuse right after it can tell (see `stop`). Opening nothing
        // now keeps a lone duplicate from showing the machine in use.
        if (recent.endReason === 'stopuse') await this.notePendingReplayStart(machineId, memberId);
        return { kind: 'duplicate', session: recent };
      }
    }
    const superseded = open ? await this.close(open, open.lastSeenAt, 'superseded') : null;
    const session = await this.insert({ machineId, memberId, startedAt: this.now, replay, trainerId });
    return { kind: 'opened', session, superseded };
  }

  async heartbeat(machineId: number, memberId: number, durationSeconds: number): Promise<SessionChange> {
    const startFromBoard = this.now - durationSeconds * 1000;
    const open = await this.openOnMachine(machineId);
    if (open && open.memberId === memberId) {
      open.lastSeenAt = this.now;
      if (startFromBoard < open.startedAt) {
        // The board's clock knows when the use began: a start we only learnt late moves back.
        open.startedAt = startFromBoard;
        await this.update(open);
      } else {
        await this.touch(open);
      }
      return { kind: 'refreshed', session: open };
    }
    const closedEarly = open ? null : await this.latestClosedEarly(machineId, memberId);
    if (closedEarly && Math.abs(closedEarly.startedAt - startFromBoard) <= REOPEN_TOLERANCE_MS) {
      await this.addToMeter(machineId, -span(closedEarly));
      Object.assign(closedEarly, { endedAt: null, endReason: null, lastSeenAt: this.now });
      await this.update(closedEarly);
      return { kind: 'reopened', session: closedEarly };
    }
    const superseded = open ? await this.close(open, open.lastSeenAt, 'superseded') : null;
    const session = await this.insert({ machineId, memberId, startedAt: startFromBoard, replay: false });
    return { kind: 'opened', session, superseded };
  }

  async stop(
    machineId: number,
    memberId: number,
    durationSeconds: number,
    replay: boolean,
  ): Promise<SessionChange> {
    const durationMs = durationSeconds * 1000;
    const open = toSession(
      await this.sql.get<SessionRow>(
        `${FROM} WHERE "machineId" = ? AND "memberId" = ? AND "endedAt" IS NULL`,
        [machineId, memberId],
      ),
    );
    if (open) {
      this.placeEnd(open, durationMs);
      open.replay ||= replay;
      return { kind: 'closed', session: await this.close(open, open.endedAt ?? this.now, 'stopuse') };
    }
    const previous = toSession(
      await this.sql.get<SessionRow>(
        `${FROM} WHERE "machineId" = ? AND "memberId" = ? AND "endReason" = 'stopuse' AND "endedAt" >= ?
         ORDER BY "endedAt" DESC LIMIT 1`,
        [machineId, memberId, this.now - DUPLICATE_STOP_WINDOW_MS],
      ),
    );
    if (replay && (await this.takePendingReplayStart(machineId, memberId, previous))) {
      // The pair of a buffered startuse: a use of its own, however alike its duration.
      return { kind: 'closed', session: await this.insertWhole(machineId, memberId, durationMs, replay) };
    }
    // A duplicate is the same message sent again: it repeats the duration to the second (the session it
    // closed lasts exactly that long, see `placeEnd`).
    if (previous && seconds(span(previous)) === durationSeconds) {
      return { kind: 'duplicate', session: previous };
    }
    const closedEarly = await this.latestClosedEarly(machineId, memberId);
    if (closedEarly && closedEarly.startedAt + durationMs <= this.now + REOPEN_TOLERANCE_MS) {
      // We closed it at its last heartbeat; the board now tells how long it really lasted.
      const before = span(closedEarly);
      this.placeEnd(closedEarly, durationMs);
      closedEarly.endReason = 'stopuse';
      closedEarly.replay ||= replay;
      await this.update(closedEarly);
      await this.addToMeter(machineId, span(closedEarly) - before);
      return { kind: 'corrected', session: closedEarly };
    }
    // Never saw this use start: record it whole, ending now (it may overlap someone's open session).
    return { kind: 'closed', session: await this.insertWhole(machineId, memberId, durationMs, replay) };
  }

  private async insertWhole(
    machineId: number,
    memberId: number,
    durationMs: number,
    replay: boolean,
  ): Promise<Session> {
    const session = await this.insert({
      machineId,
      memberId,
      startedAt: this.now - durationMs,
      replay,
      endedAt: this.now,
      endReason: 'stopuse',
    });
    await this.addToMeter(machineId, span(session));
    return session;
  }

  private async notePendingReplayStart(machineId: number, memberId: number): Promise<void> {
    await this.sql.run(
      `INSERT INTO "replay_starts" ("machineId", "memberId", "receivedAt") VALUES (?, ?, ?)
       ON CONFLICT ("machineId") DO UPDATE SET "memberId" = excluded."memberId", "receivedAt" = excluded."receivedAt"`,
      [machineId, memberId, this.now],
    );
  }

  /**
   * Whether a replayed startuse of this member came just before, after its previous session ended
   * (then this stop is its pair); the note is used once.
   */
  private async takePendingReplayStart(
    machineId: number,
    memberId: number,
    previous: Session | null,
  ): Promise<boolean> {
    const pending = await this.sql.get<{ memberId: number; receivedAt: string | number }>(
      'SELECT "memberId", "receivedAt" FROM "replay_starts" WHERE "machineId" = ?',
      [machineId],
    );
    if (!pending) return false;
    await this.sql.run('DELETE FROM "replay_starts" WHERE "machineId" = ?', [machineId]);
    const receivedAt = ms(pending.receivedAt) ?? 0;
    return (
      Number(pending.memberId) === memberId &&
      this.now - receivedAt <= REPLAY_PAIR_WINDOW_MS &&
      receivedAt >= (previous?.endedAt ?? 0)
    );
  }

  /** Closes sessions without heartbeat since `before`, at their last heartbeat. */
  async closeOrphans(before: number): Promise<Session[]> {
    const rows = await this.sql.all<SessionRow>(`${FROM} WHERE "endedAt" IS NULL AND "lastSeenAt" < ?`, [
      before,
    ]);
    const closed: Session[] = [];
    for (const session of rows.map(toSession)) {
      if (session) closed.push(await this.close(session, session.lastSeenAt, 'orphan'));
    }
    return closed;
  }

  /**
   * Closes now, as staff did it (`manual`), the open sessions of a member being deleted or of a
   * machine being retired: their hours counted, not lost to a board that can no longer be answered.
   * The caller holds the lock of every machine concerned.
   */
  async closeOpenNow(of: 'memberId' | 'machineId', id: number): Promise<Session[]> {
    const rows = await this.sql.all<SessionRow>(`${FROM} WHERE "${of}" = ? AND "endedAt" IS NULL`, [id]);
    const closed: Session[] = [];
    for (const session of rows.map(toSession)) {
      if (session) closed.push(await this.close(session, Math.max(this.now, session.lastSeenAt), 'manual'));
    }
    return closed;
  }

  /** end = start + duration as the board counts it; never in the future (then the start moves back). */
  private placeEnd(session: Session, durationMs: number): void {
    let end = session.startedAt + durationMs;
    if (end > this.now) {
      end = this.now;
      session.startedAt = end - durationMs;
    }
    session.endedAt = end;
    session.lastSeenAt = Math.max(session.lastSeenAt, end);
  }

  private async close(session: Session, endedAt: number, reason: SessionEndReason): Promise<Session> {
    session.endedAt = Math.max(endedAt, session.startedAt);
    session.endReason = reason;
    await this.update(session);
    await this.addToMeter(session.machineId, span(session));
    return session;
  }

  private async insert(fields: {
    machineId: number;
    memberId: number;
    startedAt: number;
    replay: boolean;
    endedAt?: number;
    endReason?: SessionEndReason;
    trainerId?: number | null;
  }): Promise<Session> {
    const endedAt = fields.endedAt ?? null;
    const endReason = fields.endReason ?? null;
    const row = await this.sql.get<{ id: number }>(
      `INSERT INTO "usage_sessions" ("memberId", "machineId", "startedAt", "lastSeenAt", "endedAt", "endReason", "replay", "trainerId")
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING "id"`,
      [
        fields.memberId,
        fields.machineId,
        fields.startedAt,
        this.now,
        endedAt,
        endReason,
        fields.replay,
        fields.trainerId ?? null,
      ],
    );
    if (!row) throw new Error('session insert returned no id');
    const session: Session = {
      id: Number(row.id),
      memberId: fields.memberId,
      machineId: fields.machineId,
      startedAt: fields.startedAt,
      lastSeenAt: this.now,
      endedAt,
      endReason,
      replay: fields.replay,
    };
    const facts = factsOf(session);
    await this.aggregates.change(null, facts);
    stored.set(session, facts);
    await this.renewUse(fields.memberId, fields.machineId, fields.startedAt);
    return session;
  }

  /**
   * Usage decay (issue 15): a session on a machine renews the member's authorizations on every
   * machine of its type (the machine alone when it has none). One indexed UPDATE (member × machine);
   * a replayed older session never moves the last use back. The caller forgets the member's cached
   * grants once committed (DirectoryCache.forgetGrants).
   */
  private async renewUse(memberId: number, machineId: number, startedAt: number): Promise<void> {
    await this.sql.run(
      `UPDATE "authorizations" SET "lastUsedAt" = ?
       WHERE "memberId" = ? AND ("lastUsedAt" IS NULL OR "lastUsedAt" < ?)
         AND ("machineId" = ? OR "machineId" IN (
           SELECT o."id" FROM "machines" m JOIN "machines" o ON o."typeId" = m."typeId" WHERE m."id" = ?))`,
      [startedAt, memberId, startedAt, machineId, machineId],
    );
  }

  private async update(s: Session): Promise<void> {
    const before = stored.get(s);
    // Every session updated here was read or inserted here (toSession/insert), its totals known.
    if (!before) throw new Error(`session ${s.id} was not read through the ledger`);
    const startMoved = s.startedAt !== before.startedAt;
    const endMoved = s.endedAt !== before.endedAt;
    const params: SqlValue[] = [s.lastSeenAt, s.endReason, s.replay];
    if (startMoved) params.push(s.startedAt);
    if (endMoved) params.push(s.endedAt);
    params.push(s.id);
    await this.sql.run(UPDATE_SESSION[(startMoved ? 1 : 0) + (endMoved ? 2 : 0)], params);
    const facts = factsOf(s);
    await this.aggregates.change(before, facts);
    stored.set(s, facts);
  }

  /**
   * A heartbeat of an open session: only `lastSeenAt` changes (no index covers it), so SQLite leaves
   * the session's index entries alone: the commonest write of a busy lab dirties one page, not five.
   */
  private async touch(s: Session): Promise<void> {
    await this.sql.run('UPDATE "usage_sessions" SET "lastSeenAt" = ? WHERE "id" = ?', [s.lastSeenAt, s.id]);
  }

  private async addToMeter(machineId: number, millis: number): Promise<void> {
    const delta = seconds(millis);
    if (delta === 0) return;
    await this.sql.run('UPDATE "machines" SET "usageSeconds" = "usageSeconds" + ? WHERE "id" = ?', [
      delta,
      machineId,
    ]);
  }

  private async latestClosedEarly(machineId: number, memberId: number): Promise<Session | null> {
    return toSession(
      await this.sql.get<SessionRow>(
        `${FROM} WHERE "machineId" = ? AND "memberId" = ? AND "endReason" IN ('orphan', 'superseded')
         ORDER BY "startedAt" DESC LIMIT 1`,
        [machineId, memberId],
      ),
    );
  }

  private async openOnMachine(machineId: number): Promise<Session | null> {
    return toSession(
      await this.sql.get<SessionRow>(`${FROM} WHERE "machineId" = ? AND "endedAt" IS NULL`, [machineId]),
    );
  }
}
