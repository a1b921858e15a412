import type { AppConfig } from '../core/config/config.schema';
import { rebuildUnknownCards } from '../app/access-events/unknown-cards-table';
import { type AggregateCounts, UsageAggregates } from '../app/usage/usage-aggregates';
import { withDatabase } from './operator-database';

export interface RebuildCounts extends AggregateCounts {
  readonly unknownCards: number;
}

/**
 * `fabomatic rebuild-aggregates`: the report totals, the plans' counters and the unknown-cards table
 * recomputed from the usage history, interventions and access events, in one transaction (the
 * running app's writes wait for it). For after a restore of an old backup, a change of
 * LAB_TIME_ZONE, or a history written by hand (bulk loads, the history benchmark).
 */
export function rebuildAggregates(config: AppConfig): Promise<RebuildCounts> {
  return withDatabase(config, ({ uow }) =>
    uow.runSql(async (sql) => {
      const counts = await new UsageAggregates(sql, config.LAB_TIME_ZONE).rebuild();
      await rebuildUnknownCards((statement, params) => sql.run(statement, params));
      const cards = await sql.get<{ n: string | number }>('SELECT COUNT(*) AS "n" FROM "unknown_cards"');
      return { ...counts, unknownCards: Number(cards?.n ?? 0) };
    }),
  );
}

export function formatRebuild(counts: RebuildCounts, config: AppConfig): string {
  return [
    `Report totals rebuilt from ${counts.sessions} usage session(s), weeks and hours in ${config.LAB_TIME_ZONE}:`,
    `  ${counts.machineTotals} machine total(s) per week and per day`,
    `  ${counts.memberTotals} member total(s) per week and per day`,
    `  ${counts.hours} hour total(s)`,
    `  ${counts.plans} maintenance plan counter(s)`,
    `  ${counts.unknownCards} unknown card(s)`,
  ].join('\n');
}
