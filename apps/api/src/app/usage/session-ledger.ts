import { IsNull, MoreThanOrEqual, type EntityManager, In } from 'typeorm';
import { Machine } from '../machines/machine.entity';
import { UsageSession } from './usage-session.entity';

/** A duplicated `stopuse` (live + replay) is recognised up to this long after the first one. */
export const DUPLICATE_STOP_WINDOW_MS = 7 * 24 * 3600 * 1000;
/** How far an `inuse` may place the start from a session we closed as orphan and still be that one. */
export const REOPEN_TOLERANCE_MS = 120 * 1000;

export type SessionChange =
  | { readonly kind: 'opened'; readonly session: UsageSession; readonly superseded: UsageSession | null }
  | { readonly kind: 'refreshed'; readonly session: UsageSession }
  | { readonly kind: 'reopened'; readonly session: UsageSession }
  | { readonly kind: 'closed'; readonly session: UsageSession }
  | { readonly kind: 'corrected'; readonly session: UsageSession }
  | { readonly kind: 'duplicate'; readonly session: UsageSession | null };

const seconds = (ms: number) => Math.round(ms / 1000);
const span = (s: UsageSession) => (s.endedAt ? s.endedAt.getTime() - s.startedAt.getTime() : 0);

/**
 * Usage sessions from the board's `startuse` / `inuse` / `stopuse`, written inside the caller's
 * transaction with the machine locked. Every operation is idempotent for duplicated and replayed
 * messages, and keeps the machine hour meter equal to the sum of what its closed sessions added.
 */
export class SessionLedger {
  constructor(
    private readonly em: EntityManager,
    private readonly now: Date,
  ) {}

  async start(machineId: number, memberId: number, replay: boolean): Promise<SessionChange> {
    const open = await this.openOnMachine(machineId);
    if (open && open.memberId === memberId) {
      open.lastSeenAt = this.now;
      return { kind: 'duplicate', session: await this.em.save(open) };
    }
    if (replay) {
      // A replayed start of a use that already ended (live + replay): nothing to open.
      const recent = await this.em.findOne(UsageSession, {
        where: { machineId, memberId, endedAt: MoreThanOrEqual(new Date(this.now.getTime() - 3600_000)) },
        order: { endedAt: 'DESC' },
      });
      if (recent && !open) return { kind: 'duplicate', session: recent };
    }
    const superseded = open ? await this.close(open, open.lastSeenAt, 'superseded') : null;
    const session = await this.em.save(
      this.em.create(UsageSession, {
        machineId,
        memberId,
        startedAt: this.now,
        lastSeenAt: this.now,
        endedAt: null,
        endReason: null,
        replay,
      }),
    );
    return { kind: 'opened', session, superseded };
  }

  async heartbeat(machineId: number, memberId: number, durationSeconds: number): Promise<SessionChange> {
    const startFromBoard = new Date(this.now.getTime() - durationSeconds * 1000);
    const open = await this.openOnMachine(machineId);
    if (open && open.memberId === memberId) {
      open.lastSeenAt = this.now;
      // The board's clock knows when the use began: a start we only learnt late is moved back.
      if (startFromBoard < open.startedAt) open.startedAt = startFromBoard;
      return { kind: 'refreshed', session: await this.em.save(open) };
    }
    const orphan = await this.em.findOne(UsageSession, {
      where: { machineId, memberId, endReason: In(['orphan', 'superseded']) },
      order: { startedAt: 'DESC' },
    });
    if (
      !open &&
      orphan &&
      Math.abs(orphan.startedAt.getTime() - startFromBoard.getTime()) <= REOPEN_TOLERANCE_MS
    ) {
      await this.addToMeter(machineId, -span(orphan));
      Object.assign(orphan, { endedAt: null, endReason: null, lastSeenAt: this.now });
      return { kind: 'reopened', session: await this.em.save(orphan) };
    }
    const superseded = open ? await this.close(open, open.lastSeenAt, 'superseded') : null;
    const session = await this.em.save(
      this.em.create(UsageSession, {
        machineId,
        memberId,
        startedAt: startFromBoard,
        lastSeenAt: this.now,
        endedAt: null,
        endReason: null,
        replay: false,
      }),
    );
    return { kind: 'opened', session, superseded };
  }

  async stop(
    machineId: number,
    memberId: number,
    durationSeconds: number,
    replay: boolean,
  ): Promise<SessionChange> {
    const durationMs = durationSeconds * 1000;
    const open = await this.em.findOne(UsageSession, { where: { machineId, memberId, endedAt: IsNull() } });
    if (open) {
      this.placeEnd(open, durationMs);
      open.replay ||= replay;
      return { kind: 'closed', session: await this.close(open, open.endedAt ?? this.now, 'stopuse') };
    }
    const duplicate = await this.em.findOne(UsageSession, {
      where: {
        machineId,
        memberId,
        endReason: 'stopuse',
        endedAt: MoreThanOrEqual(new Date(this.now.getTime() - DUPLICATE_STOP_WINDOW_MS)),
      },
      order: { endedAt: 'DESC' },
    });
    if (duplicate && Math.abs(seconds(span(duplicate)) - durationSeconds) <= 1) {
      return { kind: 'duplicate', session: duplicate };
    }
    const closedEarly = await this.em.findOne(UsageSession, {
      where: { machineId, memberId, endReason: In(['orphan', 'superseded']) },
      order: { startedAt: 'DESC' },
    });
    if (
      closedEarly &&
      closedEarly.startedAt.getTime() + durationMs <= this.now.getTime() + REOPEN_TOLERANCE_MS
    ) {
      // We closed it at its last heartbeat; the board now tells how long it really lasted.
      const before = span(closedEarly);
      this.placeEnd(closedEarly, durationMs);
      Object.assign(closedEarly, { endReason: 'stopuse', replay: closedEarly.replay || replay });
      await this.addToMeter(machineId, span(closedEarly) - before);
      return { kind: 'corrected', session: await this.em.save(closedEarly) };
    }
    const session = this.em.create(UsageSession, {
      machineId,
      memberId,
      startedAt: new Date(this.now.getTime() - durationMs),
      lastSeenAt: this.now,
      endedAt: null,
      endReason: null,
      replay,
    });
    return { kind: 'closed', session: await this.close(session, this.now, 'stopuse') };
  }

  /** Closes sessions without heartbeat since `before`, at their last heartbeat. */
  async closeOrphans(before: Date): Promise<UsageSession[]> {
    const stale = await this.em
      .createQueryBuilder(UsageSession, 's')
      .where('s.endedAt IS NULL AND s.lastSeenAt < :before', { before: before.getTime() })
      .getMany();
    const closed: UsageSession[] = [];
    for (const session of stale) closed.push(await this.close(session, session.lastSeenAt, 'orphan'));
    return closed;
  }

  /** end = start + duration as the board counts it; never in the future (then the start moves back). */
  private placeEnd(session: UsageSession, durationMs: number): void {
    let end = session.startedAt.getTime() + durationMs;
    if (end > this.now.getTime()) {
      end = this.now.getTime();
      session.startedAt = new Date(end - durationMs);
    }
    session.endedAt = new Date(end);
    session.lastSeenAt = new Date(Math.max(session.lastSeenAt.getTime(), end));
  }

  private async close(
    session: UsageSession,
    endedAt: Date,
    reason: NonNullable<UsageSession['endReason']>,
  ): Promise<UsageSession> {
    session.endedAt = endedAt < session.startedAt ? session.startedAt : endedAt;
    session.endReason = reason;
    const saved = await this.em.save(session);
    await this.addToMeter(session.machineId, span(saved));
    return saved;
  }

  private async addToMeter(machineId: number, ms: number): Promise<void> {
    const delta = seconds(ms);
    if (delta === 0) return;
    await this.em
      .createQueryBuilder()
      .update(Machine)
      .set({ usageSeconds: () => `"usageSeconds" + ${delta}` })
      .where('id = :machineId', { machineId })
      .execute();
  }

  private openOnMachine(machineId: number): Promise<UsageSession | null> {
    return this.em.findOne(UsageSession, { where: { machineId, endedAt: IsNull() } });
  }
}
