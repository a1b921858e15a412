import { Injectable } from '@nestjs/common';
import type {
  BusiestHoursReport,
  MachineMaintenanceStatus,
  MachineWeekUsage,
  MaintenanceReport,
  ReportRange,
  SessionsByMemberReport,
  UsageByWeekReport,
} from '@fabomatic/contracts';
import { ms, type SqlValue } from '../../core/database/sql';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { Clock } from '../../core/time/clock';
import { loadMachineMaintenance, planStatuses } from '../maintenance/maintenance-status';
import { endOfRange, fullName, invalidField } from '../usage/activity-query';
import type { MachineReportQueryDto, ReportRangeQueryDto, SessionsByMemberQueryDto } from './report.dto';
import {
  DAY_MS,
  HOUR_MS,
  MONDAY_EPOCH_MS,
  WEEK_MS,
  isoWeekLabel,
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

const hours = (millis: number) => Math.round(millis / 36_000) / 100;
const seconds = (millis: number) => Math.round(millis / 1000);

interface Range {
  readonly from: number;
  readonly to: number;
  readonly timeZone: string;
}

/**
 * Reports computed by SQL aggregates (never loading a history into memory), the same SQL on SQLite
 * and PostgreSQL: times are epoch-ms integers, bucketed by integer arithmetic on local time, the
 * zone's UTC offsets computed here and passed in as literals. A session counts in the week, weekday
 * and hour it started; hours count closed sessions.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async usageByWeek(query: MachineReportQueryDto): Promise<UsageByWeekReport> {
    const range = this.range(query);
    const local = localTimeSql('s."startedAt"', offsetSegments(range.timeZone, range.from, range.to));
    const { where, params } = closedSessionsIn(range, query.machineId);
    const rows = await this.uow.reader.all<{
      week: string | number;
      machineId: number;
      machineName: string;
      sessions: string | number;
      ms: string | number | null;
    }>(
      `SELECT (${local} - ${MONDAY_EPOCH_MS} + ${SHIFT_MS}) / ${WEEK_MS} - ${SHIFT_WEEKS} AS "week",
              s."machineId" AS "machineId", m."name" AS "machineName",
              COUNT(*) AS "sessions", SUM(s."endedAt" - s."startedAt") AS "ms"
       FROM "usage_sessions" s JOIN "machines" m ON m."id" = s."machineId"
       WHERE ${where}
       GROUP BY 1, s."machineId", m."name"`,
      params,
    );
    const byWeek = new Map<number, MachineWeekUsage[]>();
    for (const row of rows) {
      const millis = ms(row.ms) ?? 0;
      const week = Number(row.week);
      const list = byWeek.get(week) ?? [];
      list.push({
        machineId: Number(row.machineId),
        machineName: row.machineName,
        sessions: Number(row.sessions),
        seconds: seconds(millis),
        hours: hours(millis),
      });
      byWeek.set(week, list);
    }
    const first = weekIndex(range.from + zoneOffset(range.timeZone, range.from));
    const last = weekIndex(range.to - 1 + zoneOffset(range.timeZone, range.to - 1));
    const weeks = [];
    for (let week = first; week <= last; week++) {
      const machines = (byWeek.get(week) ?? []).sort((a, b) => a.machineName.localeCompare(b.machineName));
      const monday = MONDAY_EPOCH_MS + week * WEEK_MS;
      const total = machines.reduce((sum, m) => sum + m.seconds, 0);
      weeks.push({
        week: isoWeekLabel(monday),
        weekStart: new Date(monday).toISOString().slice(0, 10),
        seconds: total,
        hours: hours(total * 1000),
        machines,
      });
    }
    return { ...rangeDto(range), weeks };
  }

  async sessionsByMember(query: SessionsByMemberQueryDto): Promise<SessionsByMemberReport> {
    const range = this.range(query);
    const { where, params } = closedSessionsIn(range, query.machineId);
    const rows = await this.uow.reader.all<{
      memberId: number;
      name: string;
      surname: string;
      sessions: string | number;
      ms: string | number | null;
    }>(
      `SELECT s."memberId" AS "memberId", mb."name" AS "name", mb."surname" AS "surname",
              COUNT(*) AS "sessions", SUM(s."endedAt" - s."startedAt") AS "ms"
       FROM "usage_sessions" s JOIN "members" mb ON mb."id" = s."memberId"
       WHERE ${where}
       GROUP BY s."memberId", mb."name", mb."surname"
       ORDER BY "ms" DESC, "sessions" DESC, s."memberId"
       LIMIT ?`,
      [...params, query.limit ?? 10],
    );
    const counted = await this.uow.reader.get<{ count: string | number }>(
      `SELECT COUNT(DISTINCT s."memberId") AS "count" FROM "usage_sessions" s WHERE ${where}`,
      params,
    );
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
      memberCount: Number(counted?.count ?? 0),
    };
  }

  async busiestHours(query: MachineReportQueryDto): Promise<BusiestHoursReport> {
    const range = this.range(query);
    const local = localTimeSql('s."startedAt"', offsetSegments(range.timeZone, range.from, range.to));
    const params: SqlValue[] = [range.from, range.to];
    let where = 's."startedAt" >= ? AND s."startedAt" < ?';
    if (query.machineId !== undefined) {
      where += ' AND s."machineId" = ?';
      params.push(query.machineId);
    }
    // Day 0 of the epoch was a Thursday: (days + 3) % 7 is 0 on Mondays.
    const rows = await this.uow.reader.all<{
      weekday: string | number;
      hour: string | number;
      sessions: string | number;
    }>(
      `SELECT ((${local} + ${SHIFT_MS}) / ${DAY_MS} + 3) % 7 AS "weekday",
              ((${local} + ${SHIFT_MS}) % ${DAY_MS}) / ${HOUR_MS} AS "hour",
              COUNT(*) AS "sessions"
       FROM "usage_sessions" s
       WHERE ${where}
       GROUP BY 1, 2`,
      params,
    );
    const sessions = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
    let total = 0;
    for (const row of rows) {
      const count = Number(row.sessions);
      const day = sessions[Number(row.weekday)];
      if (day) day[Number(row.hour)] = count;
      total += count;
    }
    return { ...rangeDto(range), sessions, total };
  }

  async maintenance(): Promise<MaintenanceReport> {
    const sql = this.uow.reader;
    const now = this.clock.now().getTime();
    const machines = await sql.all<{
      id: number;
      name: string;
      usageSeconds: string | number;
      plans: string | number;
    }>(
      `SELECT m."id", m."name", m."usageSeconds",
              (SELECT COUNT(*) FROM "maintenance_plans" p WHERE p."machineId" = m."id") AS "plans"
       FROM "machines" m ORDER BY m."name"`,
    );
    const result: MachineMaintenanceStatus[] = [];
    for (const machine of machines) {
      const plans =
        Number(machine.plans) === 0
          ? []
          : planStatuses(await loadMachineMaintenance(sql, Number(machine.id)), now).map((plan) => ({
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
    if (to <= from) throw invalidField('to', 'must be after from');
    if (to - from > MAX_SPAN_MS) throw invalidField('from', 'a report covers ten years at most');
    return { from, to, timeZone: query.tz ?? 'UTC' };
  }
}

function closedSessionsIn(
  range: Range,
  machineId: number | undefined,
): { where: string; params: SqlValue[] } {
  const params: SqlValue[] = [range.from, range.to];
  let where = 's."endedAt" IS NOT NULL AND s."startedAt" >= ? AND s."startedAt" < ?';
  if (machineId !== undefined) {
    where += ' AND s."machineId" = ?';
    params.push(machineId);
  }
  return { where, params };
}

function rangeDto(range: Range): ReportRange {
  return {
    from: new Date(range.from).toISOString(),
    to: new Date(range.to).toISOString(),
    timeZone: range.timeZone,
  };
}
