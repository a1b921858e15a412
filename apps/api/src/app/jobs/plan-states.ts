import { ms, type SqlRunner } from '../../core/database/sql';
import { loadMachineMaintenance, planStatuses } from '../maintenance/maintenance-status';

export interface PlanState {
  readonly planId: number;
  readonly machineId: number;
  readonly machineName: string;
  readonly description: string;
  readonly instructionsUrl: string | null;
  readonly hoursBetween: number;
  readonly hoursSince: number;
  readonly due: boolean;
  /** Epoch ms of the last intervention; 0 when there was none. */
  readonly lastInterventionAt: number;
  /** Epoch ms the maintainers were told it is due; null when not told. */
  readonly dueNotifiedAt: number | null;
}

/**
 * Every maintenance plan of the machines in service with whether it is due at `now` (the same rule as
 * the boards and dashboard): a retired machine's plans notify nobody.
 */
export async function planStates(sql: SqlRunner, now: number): Promise<PlanState[]> {
  const plans = await sql.all<{
    id: number;
    machineId: number;
    machineName: string;
    instructionsUrl: string | null;
    dueNotifiedAt: string | number | null;
  }>(
    `SELECT p."id", p."machineId", m."name" AS "machineName", p."instructionsUrl", p."dueNotifiedAt"
     FROM "maintenance_plans" p JOIN "machines" m ON m."id" = p."machineId"
     WHERE m."retiredAt" IS NULL
     ORDER BY m."nameSortKey", m."name", p."id"`,
  );
  const byMachine = new Map<number, typeof plans>();
  for (const plan of plans) {
    const machineId = Number(plan.machineId);
    byMachine.set(machineId, [...(byMachine.get(machineId) ?? []), plan]);
  }
  const states: PlanState[] = [];
  for (const [machineId, rows] of byMachine) {
    const statuses = new Map(
      planStatuses(await loadMachineMaintenance(sql, machineId), now).map((s) => [s.planId, s]),
    );
    for (const row of rows) {
      const status = statuses.get(Number(row.id));
      if (!status) continue;
      states.push({
        planId: status.planId,
        machineId,
        machineName: row.machineName,
        description: status.description,
        instructionsUrl: row.instructionsUrl,
        hoursBetween: status.hoursBetween,
        hoursSince: status.hoursSince,
        due: status.due,
        lastInterventionAt: status.lastInterventionAt,
        dueNotifiedAt: ms(row.dueNotifiedAt),
      });
    }
  }
  return states;
}
