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

/** Reads a machine's maintenance inputs in SQL (sums, never loading sessions into memory). */
export async function loadMachineMaintenance(sql: SqlReader, machineId: number): Promise<MachineMaintenance> {
  const rows = await sql.all<{
    id: number;
    hoursBetween: number;
    description: string;
    lcdMessage: string;
    lastAt: string | number | null;
  }>(
    `SELECT p."id", p."hoursBetween", p."description", p."lcdMessage",
            (SELECT MAX(i."performedAt") FROM "interventions" i WHERE i."planId" = p."id") AS "lastAt"
     FROM "maintenance_plans" p WHERE p."machineId" = ? ORDER BY p."id"`,
    [machineId],
  );
  const plans: PlanUsage[] = [];
  for (const row of rows) {
    const since = ms(row.lastAt) ?? 0;
    const used = await sql.get<{ closedMs: string | number | null }>(
      `SELECT SUM("endedAt" - "startedAt") AS "closedMs" FROM "usage_sessions"
       WHERE "machineId" = ? AND "startedAt" >= ? AND "endedAt" IS NOT NULL`,
      [machineId, since],
    );
    plans.push({
      planId: Number(row.id),
      hoursBetween: Number(row.hoursBetween),
      description: row.description,
      lcdMessage: row.lcdMessage,
      lastInterventionAt: since,
      closedMs: ms(used?.closedMs) ?? 0,
    });
  }
  const open = await sql.get<{ id: number; startedAt: string | number }>(
    'SELECT "id", "startedAt" FROM "usage_sessions" WHERE "machineId" = ? AND "endedAt" IS NULL',
    [machineId],
  );
  return { plans, openSessionId: open ? Number(open.id) : null, openSince: ms(open?.startedAt) };
}

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
