import { ms, type SqlReader } from '../../core/database/sql';

export interface PlanUsage {
  readonly planId: number;
  readonly hoursBetween: number;
  readonly description: string;
  readonly lcdMessage: string;
  /** Epoch ms of the last intervention on this plan; 0 when there was none. */
  readonly lastInterventionAt: number;
  /** Use of closed sessions started since the last intervention, ms. */
  readonly closedMs: number;
}

/** A machine's plans with the use they have seen; `openSince` is the start of its open session. */
export interface MachineMaintenance {
  readonly plans: readonly PlanUsage[];
  readonly openSessionId: number | null;
  readonly openSince: number | null;
}

export interface PlanStatus extends PlanUsage {
  readonly hoursSince: number;
  readonly due: boolean;
}

interface PlanRow {
  id: number;
  machineId: number;
  hoursBetween: number;
  description: string;
  lcdMessage: string;
  countedSince: string | number;
  usedMs: string | number;
}

const PLAN_COLUMNS = `p."id", p."machineId", p."hoursBetween", p."description", p."lcdMessage", p."countedSince", p."usedMs"`;

const toPlanUsage = (row: PlanRow): PlanUsage => ({
  planId: Number(row.id),
  hoursBetween: Number(row.hoursBetween),
  description: row.description,
  lcdMessage: row.lcdMessage,
  lastInterventionAt: ms(row.countedSince) ?? 0,
  closedMs: ms(row.usedMs) ?? 0,
});

/**
 * A machine's maintenance inputs from current state: the plans' running counters (kept with every
 * session write, see `UsageAggregates`) and the open session. Never sums the history.
 */
export async function loadMachineMaintenance(sql: SqlReader, machineId: number): Promise<MachineMaintenance> {
  const rows = await sql.all<PlanRow>(
    `SELECT ${PLAN_COLUMNS} FROM "maintenance_plans" p WHERE p."machineId" = ? ORDER BY p."id"`,
    [machineId],
  );
  const open = await sql.get<{ id: number; startedAt: string | number }>(
    'SELECT "id", "startedAt" FROM "usage_sessions" WHERE "machineId" = ? AND "endedAt" IS NULL',
    [machineId],
  );
  return {
    plans: rows.map(toPlanUsage),
    openSessionId: open ? Number(open.id) : null,
    openSince: ms(open?.startedAt),
  };
}

/** Every machine's maintenance inputs in two queries (the dashboard, the maintenance report). */
export async function loadAllMaintenance(sql: SqlReader): Promise<Map<number, MachineMaintenance>> {
  const plans = await sql.all<PlanRow>(
    `SELECT ${PLAN_COLUMNS} FROM "maintenance_plans" p ORDER BY p."machineId", p."id"`,
  );
  const open = await sql.all<{ id: number; machineId: number; startedAt: string | number }>(
    'SELECT "id", "machineId", "startedAt" FROM "usage_sessions" WHERE "endedAt" IS NULL',
  );
  const openByMachine = new Map(open.map((o) => [Number(o.machineId), o]));
  const byMachine = new Map<number, PlanUsage[]>();
  for (const row of plans) {
    const machineId = Number(row.machineId);
    const list = byMachine.get(machineId) ?? [];
    list.push(toPlanUsage(row));
    byMachine.set(machineId, list);
  }
  const result = new Map<number, MachineMaintenance>();
  for (const machineId of new Set([...byMachine.keys(), ...openByMachine.keys()])) {
    const session = openByMachine.get(machineId);
    result.set(machineId, {
      plans: byMachine.get(machineId) ?? [],
      openSessionId: session ? Number(session.id) : null,
      openSince: ms(session?.startedAt),
    });
  }
  return result;
}

/** A machine without plans nor open session. */
export const NO_MAINTENANCE: MachineMaintenance = { plans: [], openSessionId: null, openSince: null };

/** Whether each plan is due at `now`: the open session counts up to `now`. */
export function planStatuses(maintenance: MachineMaintenance, now: number): PlanStatus[] {
  return maintenance.plans.map((plan) => {
    const openMs =
      maintenance.openSince !== null && maintenance.openSince >= plan.lastInterventionAt
        ? Math.max(0, now - maintenance.openSince)
        : 0;
    const hoursSince = (plan.closedMs + openMs) / 3_600_000;
    return { ...plan, hoursSince, due: hoursSince >= plan.hoursBetween };
  });
}
