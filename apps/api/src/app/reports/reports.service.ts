import { Inject, Injectable } from '@nestjs/common';
import type {
  BusiestHoursReport,
  MachineMaintenanceStatus,
  MaintenanceReport,
  ReportRange,
  SessionsByMemberReport,
  UsageByWeekReport,
} from '@fabomatic/contracts';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { PortalReads } from '../../core/database/portal-reads';
import type { NumberTable } from '../../core/database/read-pool';
import { ms, type SqlValue } from '../../core/database/sql';
import type { JsonBytes } from '../../core/http/json-text';
import { Clock } from '../../core/time/clock';
import { NO_MAINTENANCE, loadAllMaintenance, planStatuses } from '../maintenance/maintenance-status';
import { BLOCK_WEEKS, dayOf, hourOf, weekOf } from '../usage/usage-aggregates';
import { endOfRange, fullName, invalidField } from '../usage/activity-query';
import type { MachineReportQueryDto, ReportRangeQueryDto, SessionsByMemberQueryDto } from './report.dto';
import { SettledWeeks } from './settled-weeks';
import { type WeekRows, hours, usageByWeekJson } from './week-grid';
import {
  DAY_MS,
  HOUR_MS,
  MONDAY_EPOCH_MS,
  WEEK_MS,
  localTimeSql,
  offsetSegments,
  weekIndex,
  zoneOffset,
} from './time-zone';

const DEFAULT_SPAN_MS = 365 * DAY_MS;
/** Longest range a report covers (about ten years: 522 weeks at most). */
const MAX_SPAN_MS = 3660 * DAY_MS;
/**
 * Added to local times before integer division, so that SQL's truncation equals a floor even before
 * 1970; a whole number of weeks, so weekdays do not move.
 */
const SHIFT_WEEKS = 10_000;
const SHIFT_MS = SHIFT_WEEKS * WEEK_MS;

const seconds = (millis: number) => Math.round(millis / 1000);

interface Range {
  readonly from: number;
  readonly to: number;
  readonly timeZone: string;
}

interface MemberRow {
  memberId: number;
  name: string;
  surname: string;
  sessions: string | number;
  ms: string | number | null;
}

interface HourRow {
  weekday: string | number;
  hour: string | number;
  sessions: string | number;
}

/**
 * Restricts a raw read to the sessions started in `[?, ?)`, through the (machineId, startedAt) index
 * (one short range per machine): the only index on start times, so the board path pays for no other.
 */
const RAW_SPAN =
  's."machineId" IN (SELECT "id" FROM "machines") AND s."startedAt" >= ? AND s."startedAt" < ?';

/**
 * Reports, the same SQL on SQLite and PostgreSQL: times are epoch-ms integers, bucketed by integer
 * arithmetic on local time, the zone's UTC offsets computed here and passed in as literals. A session
 * counts in the week, weekday and hour it started; hours count closed sessions.
 *
 * In the lab's zone (LAB_TIME_ZONE) they read the running totals (`usage_machine_totals`,
 * `usage_member_totals` per week and day, `usage_hours`) for the weeks the range covers whole, then
 * the whole days at its edges, and the raw sessions of the partial day (or hour) at each end only:
 * their cost does not grow
 * with the history. In another zone they read the history (the totals' buckets are lab-local).
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly reads: PortalReads,
    private readonly clock: Clock,
    private readonly settledWeeks: SettledWeeks,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'LAB_TIME_ZONE'>,
  ) {}

  /** The report as JSON bytes (see {@link usageByWeekJson}: no object graph on the event loop). */
  async usageByWeek(query: MachineReportQueryDto): Promise<JsonBytes<UsageByWeekReport>> {
    const range = this.range(query);
    const firstWeek = weekIndex(range.from + zoneOffset(range.timeZone, range.from));
    const lastWeek = weekIndex(range.to - 1 + zoneOffset(range.timeZone, range.to - 1));
    const names = new Map(
      (
        await this.reads.all<{ id: number; name: string }>(
          `SELECT "id", "name" FROM "machines"${query.machineId === undefined ? '' : ' WHERE "id" = ?'}`,
          query.machineId === undefined ? [] : [query.machineId],
        )
      ).map((m) => [Number(m.id), m.name]),
    );
    const tables =
      range.timeZone === this.config.LAB_TIME_ZONE
        ? await this.weekCellsFromTotals(range, query.machineId)
        : [await this.weekCellsFromHistory(range, query.machineId)];
    return usageByWeekJson({
      range: rangeDto(range),
      firstWeek,
      weekCount: lastWeek - firstWeek + 1,
      names,
      tables,
    });
  }

  async sessionsByMember(query: SessionsByMemberQueryDto): Promise<SessionsByMemberReport> {
    const range = this.range(query);
    const limit = query.limit ?? 10;
    // One machine's sessions are few (its index range); the whole lab's come from the totals, whose
    // weeks are lab-local but whose range is instants: right in any zone.
    const { rows, memberCount } =
      query.machineId === undefined
        ? await this.memberRowsFromTotals(range, limit)
        : await this.memberRowsFromHistory(range, query.machineId, limit);
    return {
      ...rangeDto(range),
      members: rows.map((row) => {
        const millis = ms(row.ms) ?? 0;
        return {
          memberId: Number(row.memberId),
          memberName: fullName(row),
          sessions: Number(row.sessions),
          seconds: seconds(millis),
          hours: hours(millis),
        };
      }),
      memberCount,
    };
  }

  async busiestHours(query: MachineReportQueryDto): Promise<BusiestHoursReport> {
    const range = this.range(query);
    const rows =
      range.timeZone === this.config.LAB_TIME_ZONE && query.machineId === undefined
        ? await this.hourRowsFromTotals(range)
        : await this.hourRowsFromHistory(range, query.machineId);
    const sessions = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
    let total = 0;
    for (const row of rows) {
      const count = Number(row.sessions);
      const day = sessions[Number(row.weekday)];
      if (day) day[Number(row.hour)] = (day[Number(row.hour)] ?? 0) + count;
      total += count;
    }
    return { ...rangeDto(range), sessions, total };
  }

  /** From current state: hour meters, the plans' running counters and the open sessions. */
  async maintenance(): Promise<MaintenanceReport> {
    const now = this.clock.now().getTime();
    const machines = await this.reads.all<{ id: number; name: string; usageSeconds: string | number }>(
      // A retired machine needs no maintenance: its usage reports keep it, this current state does not.
      'SELECT m."id", m."name", m."usageSeconds" FROM "machines" m WHERE m."retiredAt" IS NULL ORDER BY m."nameSortKey", m."name", m."id"',
    );
    const maintenance = await loadAllMaintenance(this.reads);
    const result: MachineMaintenanceStatus[] = [];
    for (const machine of machines) {
      const plans = planStatuses(maintenance.get(Number(machine.id)) ?? NO_MAINTENANCE, now).map((plan) => ({
        planId: plan.planId,
        description: plan.description,
        hoursBetween: plan.hoursBetween,
        hoursSince: Math.round(plan.hoursSince * 100) / 100,
        hoursRemaining: Math.round(Math.max(0, plan.hoursBetween - plan.hoursSince) * 100) / 100,
        due: plan.due,
        lastInterventionAt:
          plan.lastInterventionAt === 0 ? null : new Date(plan.lastInterventionAt).toISOString(),
      }));
      result.push({
        machineId: Number(machine.id),
        machineName: machine.name,
        usageHours: hours((ms(machine.usageSeconds) ?? 0) * 1000),
        plans,
      });
    }
    return { generatedAt: new Date(now).toISOString(), machines: result };
  }

  private range(query: ReportRangeQueryDto): Range {
    const to = query.to === undefined ? this.clock.now().getTime() : endOfRange(query.to, false);
    const from = query.from === undefined ? to - DEFAULT_SPAN_MS : Date.parse(query.from);
    if (to <= from) throw invalidField('to', 'must be after from', { rule: 'afterFrom' });
    if (to - from > MAX_SPAN_MS) {
      throw invalidField('from', 'a report covers ten years at most', { rule: 'maxYears', max: 10 });
    }
    return { from, to, timeZone: query.tz ?? 'UTC' };
  }

  private async weekCellsFromTotals(range: Range, machineId: number | undefined): Promise<WeekRows[]> {
    const tz = this.config.LAB_TIME_ZONE;
    const { spans, raw } = cover(range, [weekLevel(tz), dayLevel(tz)]);
    const tables: WeekRows[] = [];
    for (const span of spans) {
      // The whole lab's settled weeks are kept in memory (SettledWeeks); the last two are read.
      const settled = Math.min(span.end, SettledWeeks.settledBefore(tz, Date.now()));
      const kept =
        span.period === 'w' && machineId === undefined
          ? await this.settledWeeks.table(span.first, settled)
          : null;
      if (kept) {
        tables.push(kept);
        if (settled < span.end) tables.push(await this.machineTotals({ ...span, first: settled }, undefined));
      } else {
        tables.push(await this.machineTotals(span, machineId));
      }
    }
    for (const [from, to] of raw) {
      tables.push(await this.weekCellsFromHistory({ from, to, timeZone: tz }, machineId));
    }
    return tables;
  }

  /** Rows `[week, machineId, sessions, ms]` of the machines' totals of one span of buckets. */
  private machineTotals(span: Span, machineId: number | undefined): Promise<NumberTable> {
    const params: SqlValue[] = [span.period, span.first, span.end];
    if (machineId !== undefined) params.push(machineId);
    // Day d (local) is in week floor((d - 4) / 7): 1970-01-05, day 4, was the first Monday.
    const week =
      span.period === 'w' ? 'a."bucket"' : `(a."bucket" + ${SHIFT_WEEKS * 7} - 4) / 7 - ${SHIFT_WEEKS}`;
    return this.reads.numbers(
      `SELECT ${week} AS "week", a."machineId" AS "machineId", a."sessions" AS "sessions", a."ms" AS "ms"
       FROM "usage_machine_totals" a
       WHERE a."period" = ? AND a."bucket" >= ? AND a."bucket" < ?${machineId === undefined ? '' : ' AND a."machineId" = ?'}`,
      params,
    );
  }

  private weekCellsFromHistory(range: Range, machineId: number | undefined): Promise<NumberTable> {
    const local = localTimeSql('s."startedAt"', offsetSegments(range.timeZone, range.from, range.to));
    const { where, params } = closedSessionsIn(range, machineId);
    return this.reads.numbers(
      `SELECT (${local} - ${MONDAY_EPOCH_MS} + ${SHIFT_MS}) / ${WEEK_MS} - ${SHIFT_WEEKS} AS "week",
              s."machineId" AS "machineId", COUNT(*) AS "sessions", SUM(s."endedAt" - s."startedAt") AS "ms"
       FROM "usage_sessions" s
       WHERE ${where}
       GROUP BY 1, s."machineId"`,
      params,
    );
  }

  /**
   * Every member's totals over the range (whole weeks from the totals, the two partial weeks raw),
   * summed and ranked in SQL; the window count is the number of members before the LIMIT.
   */
  private async memberRowsFromTotals(
    range: Range,
    limit: number,
  ): Promise<{ rows: MemberRow[]; memberCount: number }> {
    const tz = this.config.LAB_TIME_ZONE;
    const { spans, raw } = cover(range, [blockLevel(tz), weekLevel(tz), dayLevel(tz)]);
    const parts: string[] = [];
    const params: SqlValue[] = [];
    for (const span of spans) {
      parts.push(
        `SELECT a."memberId" AS "memberId", a."sessions" AS "sessions", a."ms" AS "ms" FROM "usage_member_totals" a
         WHERE a."period" = ? AND a."bucket" >= ? AND a."bucket" < ?`,
      );
      params.push(span.period, span.first, span.end);
    }
    for (const [from, to] of raw) {
      parts.push(
        `SELECT s."memberId" AS "memberId", 1 AS "sessions", s."endedAt" - s."startedAt" AS "ms" FROM "usage_sessions" s
         WHERE s."endedAt" IS NOT NULL AND ${RAW_SPAN}`,
      );
      params.push(from, to);
    }
    const rows = await this.reads.all<MemberRow & { memberCount: string | number }>(
      `SELECT t."memberId" AS "memberId", mb."name" AS "name", mb."surname" AS "surname",
              t."sessions" AS "sessions", t."ms" AS "ms", t."memberCount" AS "memberCount"
       FROM (SELECT u."memberId", SUM(u."sessions") AS "sessions", SUM(u."ms") AS "ms",
                    COUNT(*) OVER () AS "memberCount"
             FROM (${parts.join(' UNION ALL ')}) u
             GROUP BY u."memberId" HAVING SUM(u."sessions") > 0) t
       JOIN "members" mb ON mb."id" = t."memberId"
       ORDER BY t."ms" DESC, t."sessions" DESC, t."memberId"
       LIMIT ?`,
      [...params, limit],
    );
    return { rows, memberCount: Number(rows[0]?.memberCount ?? 0) };
  }

  private async memberRowsFromHistory(
    range: Range,
    machineId: number | undefined,
    limit: number,
  ): Promise<{ rows: MemberRow[]; memberCount: number }> {
    const { where, params } = closedSessionsIn(range, machineId);
    const rows = await this.reads.all<MemberRow>(
      `SELECT s."memberId" AS "memberId", mb."name" AS "name", mb."surname" AS "surname",
              COUNT(*) AS "sessions", SUM(s."endedAt" - s."startedAt") AS "ms"
       FROM "usage_sessions" s JOIN "members" mb ON mb."id" = s."memberId"
       WHERE ${where}
       GROUP BY s."memberId", mb."name", mb."surname"
       ORDER BY "ms" DESC, "sessions" DESC, s."memberId"
       LIMIT ?`,
      [...params, limit],
    );
    const counted = await this.reads.get<{ count: string | number }>(
      `SELECT COUNT(DISTINCT s."memberId") AS "count" FROM "usage_sessions" s WHERE ${where}`,
      params,
    );
    return { rows, memberCount: Number(counted?.count ?? 0) };
  }

  private async hourRowsFromTotals(range: Range): Promise<HourRow[]> {
    const tz = this.config.LAB_TIME_ZONE;
    const { spans, raw } = cover(range, [hourLevel(tz)]);
    const rows: HourRow[] = [];
    for (const span of spans) {
      // Hour 0 (1970-01-01 00:00 local) was on a Thursday: (days + 3) % 7 is 0 on Mondays.
      const shifted = `(h."hour" + ${SHIFT_WEEKS * 168})`;
      rows.push(
        ...(await this.reads.all<HourRow>(
          `SELECT (${shifted} / 24 + 3) % 7 AS "weekday", ${shifted} % 24 AS "hour", SUM(h."sessions") AS "sessions"
           FROM "usage_hours" h WHERE h."hour" >= ? AND h."hour" < ?
           GROUP BY 1, 2`,
          [span.first, span.end],
        )),
      );
    }
    for (const [from, to] of raw) {
      rows.push(...(await this.hourRowsFromHistory({ from, to, timeZone: tz }, undefined)));
    }
    return rows;
  }

  private hourRowsFromHistory(range: Range, machineId: number | undefined): Promise<HourRow[]> {
    const local = localTimeSql('s."startedAt"', offsetSegments(range.timeZone, range.from, range.to));
    const params: SqlValue[] = [range.from, range.to];
    let where = RAW_SPAN;
    if (machineId !== undefined) {
      where = 's."machineId" = ? AND s."startedAt" >= ? AND s."startedAt" < ?';
      params.unshift(machineId);
    }
    // Day 0 of the epoch was a Thursday: (days + 3) % 7 is 0 on Mondays.
    return this.reads.all<HourRow>(
      `SELECT ((${local} + ${SHIFT_MS}) / ${DAY_MS} + 3) % 7 AS "weekday",
              ((${local} + ${SHIFT_MS}) % ${DAY_MS}) / ${HOUR_MS} AS "hour",
              COUNT(*) AS "sessions"
       FROM "usage_sessions" s
       WHERE ${where}
       GROUP BY 1, 2`,
      params,
    );
  }
}

/** A kind of lab-local bucket of the totals: its period code, an instant's bucket, a bucket's local start. */
interface Level {
  readonly period: 'b' | 'w' | 'd' | 'h';
  readonly bucketOf: (at: number) => number;
  readonly localStart: (bucket: number) => number;
}

const blockLevel = (tz: string): Level => ({
  period: 'b',
  bucketOf: (t) => Math.floor(weekOf(tz, t) / BLOCK_WEEKS),
  localStart: (b) => MONDAY_EPOCH_MS + b * BLOCK_WEEKS * WEEK_MS,
});
const weekLevel = (tz: string): Level => ({
  period: 'w',
  bucketOf: (t) => weekOf(tz, t),
  localStart: (w) => MONDAY_EPOCH_MS + w * WEEK_MS,
});
const dayLevel = (tz: string): Level => ({
  period: 'd',
  bucketOf: (t) => dayOf(tz, t),
  localStart: (d) => d * DAY_MS,
});
const hourLevel = (tz: string): Level => ({
  period: 'h',
  bucketOf: (t) => hourOf(tz, t),
  localStart: (h) => h * HOUR_MS,
});

/** Buckets `[first, end)` of one period, read from the totals. */
interface Span {
  readonly period: Level['period'];
  readonly first: number;
  readonly end: number;
}

/**
 * How to read `range`: the buckets of the first level it covers whole, then those of the next level
 * in the pieces left at its edges, and the instants left after the last level (read raw). Buckets
 * must not go back in time (true of these: zones move clocks back within an hour, and not across
 * midnight in the zones labs are in).
 */
function cover(range: Range, levels: readonly Level[]): { spans: Span[]; raw: [number, number][] } {
  const [level, ...finer] = levels;
  if (!level || range.to <= range.from) {
    return { spans: [], raw: range.to > range.from ? [[range.from, range.to]] : [] };
  }
  /** The first instant of `bucket`: bisection around its local start (offsets are under a day). */
  const startOf = (bucket: number) => {
    const guess = level.localStart(bucket);
    let lo = guess - 2 * DAY_MS;
    let hi = guess + 2 * DAY_MS;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (level.bucketOf(mid) >= bucket) hi = mid;
      else lo = mid;
    }
    return hi;
  };
  const firstBucket = level.bucketOf(range.from);
  const first = startOf(firstBucket) === range.from ? firstBucket : firstBucket + 1;
  const end = level.bucketOf(range.to);
  if (end <= first) return cover(range, finer);
  const head = cover({ ...range, to: startOf(first) }, finer);
  const tail = cover({ ...range, from: startOf(end) }, finer);
  return {
    spans: [...head.spans, { period: level.period, first, end }, ...tail.spans],
    raw: [...head.raw, ...tail.raw],
  };
}

function closedSessionsIn(
  range: Range,
  machineId: number | undefined,
): { where: string; params: SqlValue[] } {
  if (machineId === undefined) {
    return { where: `s."endedAt" IS NOT NULL AND ${RAW_SPAN}`, params: [range.from, range.to] };
  }
  return {
    where: 's."endedAt" IS NOT NULL AND s."machineId" = ? AND s."startedAt" >= ? AND s."startedAt" < ?',
    params: [machineId, range.from, range.to],
  };
}

function rangeDto(range: Range): ReportRange {
  return {
    from: new Date(range.from).toISOString(),
    to: new Date(range.to).toISOString(),
    timeZone: range.timeZone,
  };
}
