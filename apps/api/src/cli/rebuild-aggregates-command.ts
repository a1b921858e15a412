import type { AppConfig } from '../core/config/config.schema';
import { type AggregateCounts, UsageAggregates } from '../app/usage/usage-aggregates';
import { withDatabase } from './operator-database';

/**
 * `fabomatic rebuild-aggregates`: the report totals and the plans' counters recomputed from the
 * usage history and interventions, in one transaction (the running app's writes wait for it). For
 * after a restore of an old backup, a change of LAB_TIME_ZONE, or a history edited by hand.
 */
export function rebuildAggregates(config: AppConfig): Promise<AggregateCounts> {
  return withDatabase(config, ({ uow }) =>
    uow.runSql((sql) => new UsageAggregates(sql, config.LAB_TIME_ZONE).rebuild()),
  );
}

export function formatRebuild(counts: AggregateCounts, config: AppConfig): string {
  return [
    `Report totals rebuilt from ${counts.sessions} usage session(s), weeks and hours in ${config.LAB_TIME_ZONE}:`,
    `  ${counts.machineTotals} machine total(s) per week and per day`,
    `  ${counts.memberTotals} member total(s) per week and per day`,
    `  ${counts.hours} hour total(s)`,
    `  ${counts.plans} maintenance plan counter(s)`,
  ].join('\n');
}
