import type { EntityManager } from 'typeorm';
import { Intervention } from './intervention.entity';
import { MaintenancePlan } from './maintenance-plan.entity';
import { UsageSession } from '../usage/usage-session.entity';

export interface PlanStatus {
  readonly plan: MaintenancePlan;
  readonly lastInterventionAt: Date | null;
  /** Hours of use since the last intervention (all use when there was none). */
  readonly hoursSince: number;
  readonly due: boolean;
}

/**
 * Maintenance state of every plan of a machine, computed in SQL from the sessions since each plan's
 * last intervention (open sessions count up to `now`), never by loading sessions into memory.
 */
export async function machineMaintenanceStatus(
  em: EntityManager,
  machineId: number,
  now: Date,
): Promise<PlanStatus[]> {
  const plans = await em.find(MaintenancePlan, { where: { machineId }, order: { id: 'ASC' } });
  const result: PlanStatus[] = [];
  for (const plan of plans) {
    const last = await em
      .createQueryBuilder(Intervention, 'i')
      .select('MAX(i.performedAt)', 'last')
      .where('i.planId = :planId', { planId: plan.id })
      .getRawOne<{ last: string | number | null }>();
    const since = last?.last === null || last?.last === undefined ? 0 : Number(last.last);
    const used = await em
      .createQueryBuilder(UsageSession, 's')
      .select('COALESCE(SUM(COALESCE(s.endedAt, :now) - s.startedAt), 0)', 'ms')
      .where('s.machineId = :machineId AND s.startedAt >= :since', { machineId, since, now: now.getTime() })
      .getRawOne<{ ms: string | number }>();
    const hoursSince = Number(used?.ms ?? 0) / 3_600_000;
    result.push({
      plan,
      lastInterventionAt: since ? new Date(since) : null,
      hoursSince,
      due: hoursSince >= plan.hoursBetween,
    });
  }
  return result;
}
