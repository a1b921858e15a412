import type { SqlRunner } from '../../core/database/sql';
import type { Session } from '../usage/session-ledger';
import { MaintenanceCache } from './maintenance-cache';
import { planStatuses, type MachineMaintenance } from './maintenance-status';

const HOUR = 3_600_000;
const session = (over: Partial<Session>): Session => ({
  id: 1,
  memberId: 1,
  machineId: 7,
  startedAt: 0,
  lastSeenAt: 0,
  endedAt: null,
  endReason: null,
  replay: false,
  ...over,
});

/** A database stand-in that answers the maintenance load once, then refuses to be read again. */
function loadedOnce(value: MachineMaintenance): { sql: SqlRunner; loads: () => number } {
  let loads = 0;
  // The plans' running counters, as `maintenance_plans` keeps them; no open session.
  const rows = value.plans.map((p) => ({
    ...p,
    id: p.planId,
    countedSince: p.lastInterventionAt,
    usedMs: p.closedMs,
  }));
  const sql: SqlRunner = {
    all: async <T>() => {
      loads++;
      return rows as T[];
    },
    get: async <T>() => undefined as T | undefined,
    run: async () => 0,
  };
  return { sql, loads: () => loads };
}

describe('MaintenanceCache', () => {
  const plan = {
    planId: 3,
    hoursBetween: 10,
    description: 'Lens',
    lcdMessage: 'Clean lens',
    lastInterventionAt: 5 * HOUR,
  };

  it('adds closed sessions to the plans they count for, without reading the history again', async () => {
    const cache = new MaintenanceCache();
    const db = loadedOnce({ plans: [{ ...plan, closedMs: 9 * HOUR }], openSessionId: null, openSince: null });
    const t0 = 10 * HOUR;
    const status = async (at: number) => planStatuses(await cache.get(db.sql, 7, at), at)[0];
    expect(await status(t0)).toMatchObject({ due: false, hoursSince: 9 });

    const open = session({ id: 42, startedAt: t0 - 0.5 * HOUR });
    cache.recordSessionChange({ kind: 'opened', session: open, superseded: null });
    expect((await status(t0)).hoursSince).toBeCloseTo(9.5, 5);

    const closed = { ...open, endedAt: t0 + 0.5 * HOUR, endReason: 'stopuse' as const };
    cache.recordSessionChange({ kind: 'closed', session: closed });
    // Closed for an hour: counted once, no longer growing with time.
    expect(await status(t0 + 10_000)).toMatchObject({ due: true, hoursSince: 10 });

    // A session started before the last intervention does not count for the plan.
    cache.recordSessionChange({
      kind: 'closed',
      session: session({ id: 43, startedAt: 1 * HOUR, endedAt: 4 * HOUR, endReason: 'stopuse' }),
    });
    expect((await status(t0 + 20_000)).hoursSince).toBe(10);
    expect(db.loads()).toBe(1);
  });

  it('reloads after a correction, whose old length it cannot know', async () => {
    const cache = new MaintenanceCache();
    const db = loadedOnce({ plans: [{ ...plan, closedMs: 0 }], openSessionId: null, openSince: null });
    await cache.get(db.sql, 7, 6 * HOUR);
    cache.recordSessionChange({
      kind: 'corrected',
      session: session({ startedAt: 5 * HOUR, endedAt: 6 * HOUR }),
    });
    await cache.get(db.sql, 7, 6 * HOUR);
    expect(db.loads()).toBe(2);
  });
});
