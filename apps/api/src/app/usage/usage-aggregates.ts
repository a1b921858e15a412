import type { PageWarmer } from '../../core/database/page-warmer';
import { ms, type SqlRunner, type SqlValue } from '../../core/database/sql';
import type { TotalPeriod } from './usage-aggregate.entity';
import {
  DAY_MS,
  HOUR_MS,
  MONDAY_EPOCH_MS,
  type OffsetSegment,
  WEEK_MS,
  localTimeSql,
  offsetSegments,
  weekIndex,
  zoneOffset,
} from '../reports/time-zone';

/** What a session counts for in the totals: its machine, member, start and (once closed) end. */
export interface SessionFacts {
  readonly machineId: number;
  readonly memberId: number;
  readonly startedAt: number;
  readonly endedAt: number | null;
}

/**
 * Added to local times before integer division, so that SQL's truncation equals a floor even before
 * 1970; a whole number of weeks, so weekdays do not move.
 */
const SHIFT_WEEKS = 10_000;
const SHIFT_MS = SHIFT_WEEKS * WEEK_MS;
const HOURS_PER_WEEK = 168;

/** The offsets of recently asked days: `Intl` costs ~15 µs a call, a session write needs several. */
const offsetDays = new Map<string, readonly OffsetSegment[]>();

/** `zoneOffset`, from the day's offsets computed once (zones change offset at most once a day). */
function offsetAt(timeZone: string, at: number): number {
  const day = Math.floor(at / DAY_MS);
  const key = `${timeZone} ${day}`;
  let segments = offsetDays.get(key);
  if (!segments) {
    if (offsetDays.size >= 1024) offsetDays.clear();
    segments = offsetSegments(timeZone, day * DAY_MS, (day + 1) * DAY_MS);
    offsetDays.set(key, segments);
  }
  for (const segment of segments) if (segment.until === null || at < segment.until) return segment.offsetMs;
  return zoneOffset(timeZone, at);
}

/** The lab-local ISO week (`weekIndex`), day and hour (since 1970-01-01 00:00 local) of an instant. */
export function weekOf(timeZone: string, at: number): number {
  return weekIndex(at + offsetAt(timeZone, at));
}
export function dayOf(timeZone: string, at: number): number {
  return Math.floor((at + offsetAt(timeZone, at)) / DAY_MS);
}
export function hourOf(timeZone: string, at: number): number {
  return Math.floor((at + offsetAt(timeZone, at)) / HOUR_MS);
}

/** The same buckets as SQL expressions over a local time (integer arithmetic, both drivers). */
function weekSql(local: string): string {
  return `((${local} - ${MONDAY_EPOCH_MS} + ${SHIFT_MS}) / ${WEEK_MS} - ${SHIFT_WEEKS})`;
}
function daySql(local: string): string {
  return `((${local} + ${SHIFT_MS}) / ${DAY_MS} - ${SHIFT_WEEKS * 7})`;
}
function hourSql(local: string): string {
  return `((${local} + ${SHIFT_MS}) / ${HOUR_MS} - ${SHIFT_WEEKS * HOURS_PER_WEEK})`;
}

/** Weeks per block (`b` totals): members' totals over years are read in blocks, then weeks, days. */
export const BLOCK_WEEKS = 8;
function blockSql(local: string): string {
  return `((${local} - ${MONDAY_EPOCH_MS} + ${SHIFT_MS}) / ${BLOCK_WEEKS * WEEK_MS} - ${SHIFT_WEEKS / BLOCK_WEEKS})`;
}

type Period = TotalPeriod;

/**
 * The two tables of closed-session totals. Machines per week (the weekly report's rows) and day (a
 * range's edges); members also per block of weeks, as the members report sums every member's use
 * over the range and a range may span ten years.
 */
const TOTALS = [
  { table: 'usage_machine_totals', column: 'machineId', periods: ['w', 'd'] },
  { table: 'usage_member_totals', column: 'memberId', periods: ['b', 'w', 'd'] },
] as const satisfies readonly { table: string; column: string; periods: readonly Period[] }[];
type Totals = (typeof TOTALS)[number];

/** One statement per table and close: a row per period. */
const upsertTotals = ({ table, column, periods }: Totals) =>
  `INSERT INTO "${table}" ("period", "bucket", "${column}", "sessions", "ms")
   VALUES ${periods.map((p) => `('${p}', ?, ?, ?, ?)`).join(', ')}
   ON CONFLICT ("period", "bucket", "${column}") DO UPDATE SET "sessions" = "${table}"."sessions" + excluded."sessions",
   "ms" = "${table}"."ms" + excluded."ms"`;
const dropEmptyTotals = ({ table, column, periods }: Totals) =>
  `DELETE FROM "${table}" WHERE "${column}" = ? AND "sessions" = 0
   AND (${periods.map((p) => `("period" = '${p}' AND "bucket" = ?)`).join(' OR ')})`;
const UPSERT_HOUR = `INSERT INTO "usage_hours" ("hour", "sessions") VALUES (?, ?)
  ON CONFLICT ("hour") DO UPDATE SET "sessions" = "usage_hours"."sessions" + excluded."sessions"`;
const ADD_TO_PLANS = `UPDATE "maintenance_plans" SET "usedMs" = "usedMs" + ?
  WHERE "machineId" = ? AND "countedSince" <= ?`;

interface Closed {
  readonly block: number;
  readonly week: number;
  readonly day: number;
  readonly machineId: number;
  readonly memberId: number;
  readonly startedAt: number;
  readonly ms: number;
}

export interface AggregateCounts {
  readonly machineTotals: number;
  readonly memberTotals: number;
  readonly hours: number;
  readonly plans: number;
  readonly sessions: number;
}

/** What a session counts in the totals, closed; null while it is open (or for no session). */
function closedOf(timeZone: string, s: SessionFacts | null): Closed | null {
  if (!s || s.endedAt === null) return null;
  const week = weekOf(timeZone, s.startedAt);
  return {
    block: Math.floor(week / BLOCK_WEEKS),
    week,
    day: dayOf(timeZone, s.startedAt),
    machineId: s.machineId,
    memberId: s.memberId,
    startedAt: s.startedAt,
    ms: s.endedAt - s.startedAt,
  };
}

/**
 * Reads ahead (see {@link PageWarmer}) the totals the sessions with these ids count in, and the
 * member's totals they move to (`toMemberId`), so that `addSessions` or `reassign` in a bulk job's
 * next transaction finds those pages in memory: years of totals are mostly on disk. Answers the
 * totals rows found.
 */
export async function warmTotals(
  warmer: PageWarmer,
  timeZone: string,
  ids: readonly number[],
  toMemberId?: number,
): Promise<number> {
  const sessions = await warmer.select<{
    machineId: number;
    memberId: number;
    startedAt: number | string;
    endedAt: number | string | null;
  }>(
    `SELECT "machineId", "memberId", "startedAt", "endedAt" FROM "usage_sessions"
     WHERE "id" IN (SELECT "value" FROM json_each(?))`,
    [JSON.stringify(ids)],
  );
  // Each table's keys once: many sessions share a day, a week, a machine.
  const keys = new Map<string, Map<string, SqlValue[]>>();
  const add = (table: string, key: SqlValue[]) => {
    let tableKeys = keys.get(table);
    if (!tableKeys) keys.set(table, (tableKeys = new Map<string, SqlValue[]>()));
    tableKeys.set(key.join(' '), key);
  };
  for (const session of sessions ?? []) {
    const startedAt = Number(session.startedAt);
    add('usage_hours', [hourOf(timeZone, startedAt)]);
    const closed = closedOf(timeZone, {
      machineId: Number(session.machineId),
      memberId: Number(session.memberId),
      startedAt,
      endedAt: ms(session.endedAt),
    });
    if (!closed) continue;
    const buckets: Record<Period, number> = { b: closed.block, w: closed.week, d: closed.day };
    for (const { table, column, periods } of TOTALS) {
      const owners = column === 'machineId' ? [closed.machineId] : [closed.memberId, toMemberId];
      for (const owner of owners) {
        if (owner === undefined) continue;
        for (const period of periods) add(table, [period, buckets[period], owner]);
      }
    }
  }
  let found = 0;
  for (const { table, column } of TOTALS) {
    found += await warmer.keys(table, ['period', 'bucket', column], [...(keys.get(table)?.values() ?? [])]);
  }
  return found + (await warmer.keys('usage_hours', ['hour'], [...(keys.get('usage_hours')?.values() ?? [])]));
}

/**
 * The report totals (`usage_machine_totals`, `usage_member_totals`, `usage_hours`) and the plans'
 * "used since the last intervention" counters, moved inside the caller's transaction by every write
 * of a session. A session counts in the buckets of the lab-local time it started in; hours count
 * every session, the weekly and daily totals and the plans closed ones only (as the history queries
 * did). A close costs two indexed upserts (machine, member) and one update of the machine's plans;
 * an open one upsert; a heartbeat nothing.
 */
export class UsageAggregates {
  /**
   * @param options.logSettledChanges false only for the migrations that built the totals before
   *   `usage_totals_changes` existed.
   */
  constructor(
    private readonly sql: SqlRunner,
    private readonly timeZone: string,
    private readonly options: { readonly logSettledChanges: boolean } = { logSettledChanges: true },
  ) {}

  /** Moves every total from what `before` counted to what `after` counts (null: no such session). */
  async change(before: SessionFacts | null, after: SessionFacts | null): Promise<void> {
    // Every session write locks its rows in one order (machine, member, plans, then hour), so that
    // PostgreSQL transactions sharing a member's or an hour's row wait for each other, not deadlock.
    const was = closedOf(this.timeZone, before);
    const is = closedOf(this.timeZone, after);
    await this.changeClosed(was, is);
    const hourBefore = before && hourOf(this.timeZone, before.startedAt);
    const hourAfter = after && hourOf(this.timeZone, after.startedAt);
    if (hourBefore !== hourAfter) {
      if (hourBefore !== null) await this.addHour(hourBefore, -1);
      if (hourAfter !== null) await this.addHour(hourAfter, 1);
    }
    // A closed session of a week before this one (an edit, a board's late replay, a session that
    // began before Monday 00:00) changes a settled week: logged last, an insert that waits for no one.
    if (!was && !is) return;
    if (was && is && was.week === is.week && was.machineId === is.machineId && was.ms === is.ms) return;
    const current = weekOf(this.timeZone, Date.now());
    if ((was && was.week < current) || (is && is.week < current)) await this.logSettledChange();
  }

  private async changeClosed(was: Closed | null, is: Closed | null): Promise<void> {
    if (!was && !is) return;
    if (was && is && sameBuckets(was, is)) {
      // A correction of a closed session's length within its day: one upsert per table.
      if (was.ms !== is.ms) {
        await this.sql.run(upsertTotals(TOTALS[0]), rowsOf(is, TOTALS[0], is.machineId, 0, is.ms - was.ms));
        await this.sql.run(upsertTotals(TOTALS[1]), rowsOf(is, TOTALS[1], is.memberId, 0, is.ms - was.ms));
      }
    } else {
      if (was) await this.addClosed(was, -1);
      if (is) await this.addClosed(is, 1);
    }
    if (was && is && was.machineId === is.machineId && was.startedAt === is.startedAt) {
      if (was.ms !== is.ms) await this.sql.run(ADD_TO_PLANS, [is.ms - was.ms, is.machineId, is.startedAt]);
    } else {
      if (was) await this.sql.run(ADD_TO_PLANS, [-was.ms, was.machineId, was.startedAt]);
      if (is) await this.sql.run(ADD_TO_PLANS, [is.ms, is.machineId, is.startedAt]);
    }
  }

  /**
   * Adds (sign 1) or takes off (-1) the totals of the sessions `where` selects (alias `s`), by
   * grouped SQL: for bulk writes (an import, a machine deleted with its history) and the rebuild.
   * Plan counters are not touched: recompute them with `recomputePlans`.
   */
  async addSessions(sign: 1 | -1, where: string, params: readonly SqlValue[] = []): Promise<void> {
    const local = await this.localTime(where, params);
    if (local === null) return;
    await this.sql.run(
      `INSERT INTO "usage_hours" ("hour", "sessions")
       SELECT ${hourSql(local)}, ${sign} * COUNT(*) FROM "usage_sessions" s WHERE ${where} GROUP BY 1
       ON CONFLICT ("hour") DO UPDATE SET "sessions" = "usage_hours"."sessions" + excluded."sessions"`,
      params,
    );
    for (const totals of TOTALS) {
      await this.addGrouped(totals, local, where, params, `s."${totals.column}"`, sign);
    }
    await this.logSettledChange();
    if (sign > 0) return;
    // Only the rows these sessions counted in (looked up by key, while the sessions still exist):
    // the whole tables, millions of rows after years, were scanned for every deletion.
    await this.sql.run(
      `DELETE FROM "usage_hours" WHERE "sessions" = 0 AND "hour" IN
         (SELECT ${hourSql(local)} FROM "usage_sessions" s WHERE ${where})`,
      params,
    );
    for (const totals of TOTALS) await this.dropEmptyGrouped(totals, local, where, params);
  }

  /**
   * Moves the member totals of the sessions `where` selects (alias `s`) to `memberId`: call it just
   * before re-assigning them (the GDPR purge gives old history to Anonymous). Machines, hours and
   * plans do not depend on the member.
   */
  async reassign(where: string, params: readonly SqlValue[], memberId: number): Promise<void> {
    const local = await this.localTime(where, params);
    if (local === null) return;
    const members = TOTALS[1];
    await this.addGrouped(members, local, where, params, 's."memberId"', -1);
    await this.addGrouped(members, local, where, params, String(Number(memberId)), 1);
    // Only the rows these sessions counted in: the whole table (millions of rows after years) was
    // scanned for every batch of the purge.
    await this.dropEmptyGrouped(members, local, where, params);
  }

  /** Every total and plan counter recomputed from the history (after a restore, a zone change). */
  async rebuild(): Promise<AggregateCounts> {
    for (const table of ['usage_hours', ...TOTALS.map((t) => t.table)]) {
      await this.sql.run(`DELETE FROM "${table}"`);
    }
    // The log restarts with this rebuild's own entry (ids are never reused: it reads as a change).
    if (this.options.logSettledChanges) await this.sql.run('DELETE FROM "usage_totals_changes"');
    await this.logSettledChange();
    await this.addSessions(1, '1 = 1');
    await recomputePlans(this.sql);
    const count = async (table: string) =>
      Number((await this.sql.get<{ n: string | number }>(`SELECT COUNT(*) AS "n" FROM "${table}"`))?.n ?? 0);
    return {
      machineTotals: await count('usage_machine_totals'),
      memberTotals: await count('usage_member_totals'),
      hours: await count('usage_hours'),
      plans: await count('maintenance_plans'),
      sessions: await count('usage_sessions'),
    };
  }

  /** Adds the grouped closed sessions `where` selects to a totals table, per week and per day. */
  private async addGrouped(
    { table, column, periods }: Totals,
    local: string,
    where: string,
    params: readonly SqlValue[],
    key: string,
    sign: 1 | -1,
  ): Promise<void> {
    // A constant key (the member history moves to) is not grouped by. Rows go in bucket order, so a
    // rebuilt table keeps a range of buckets on few pages, as one grown week by week does.
    const groupBy = key.startsWith('s.') ? '2, 3' : '2';
    const bucketSql = { b: blockSql(local), w: weekSql(local), d: daySql(local) };
    for (const period of periods) {
      const bucket = bucketSql[period];
      await this.sql.run(
        `INSERT INTO "${table}" ("period", "bucket", "${column}", "sessions", "ms")
         SELECT '${period}', ${bucket}, ${key}, ${sign} * COUNT(*), ${sign} * SUM(s."endedAt" - s."startedAt")
         FROM "usage_sessions" s WHERE (${where}) AND s."endedAt" IS NOT NULL GROUP BY ${groupBy} ORDER BY ${groupBy}
         ON CONFLICT ("period", "bucket", "${column}") DO UPDATE SET "sessions" = "${table}"."sessions" + excluded."sessions",
         "ms" = "${table}"."ms" + excluded."ms"`,
        params,
      );
    }
  }

  /**
   * Drops the rows of `totals` left with no session among those the sessions `where` selects count
   * in (looked up by primary key): call it before those sessions change.
   */
  private async dropEmptyGrouped(
    { table, column, periods }: Totals,
    local: string,
    where: string,
    params: readonly SqlValue[],
  ): Promise<void> {
    const bucketSql = { b: blockSql(local), w: weekSql(local), d: daySql(local) };
    for (const period of periods) {
      await this.sql.run(
        `DELETE FROM "${table}" WHERE "period" = '${period}' AND "sessions" = 0 AND ("bucket", "${column}") IN
           (SELECT ${bucketSql[period]}, s."${column}" FROM "usage_sessions" s WHERE (${where}) AND s."endedAt" IS NOT NULL)`,
        params,
      );
    }
  }

  /** Lab-local start time of the sessions `where` selects, as SQL; null when it selects none. */
  private async localTime(where: string, params: readonly SqlValue[]): Promise<string | null> {
    const bounds = await this.sql.get<{ first: string | number | null; last: string | number | null }>(
      `SELECT MIN(s."startedAt") AS "first", MAX(s."startedAt") AS "last" FROM "usage_sessions" s WHERE ${where}`,
      params,
    );
    const first = ms(bounds?.first);
    const last = ms(bounds?.last);
    if (first === null || last === null) return null;
    return localTimeSql('s."startedAt"', offsetSegments(this.timeZone, first, last + 1));
  }

  /**
   * Notes that a settled week of the machines' weekly totals changed (see `SettledWeeks`, which keeps
   * those weeks for the weekly report while this log does not change).
   */
  private async logSettledChange(): Promise<void> {
    if (!this.options.logSettledChanges) return;
    await this.sql.run('INSERT INTO "usage_totals_changes" ("at") VALUES (?)', [Date.now()]);
  }

  private async addHour(hour: number, delta: number): Promise<void> {
    await this.sql.run(UPSERT_HOUR, [hour, delta]);
    if (delta < 0)
      await this.sql.run('DELETE FROM "usage_hours" WHERE "hour" = ? AND "sessions" = 0', [hour]);
  }

  private async addClosed(c: Closed, sign: 1 | -1): Promise<void> {
    for (const totals of TOTALS) {
      const id = totals.column === 'machineId' ? c.machineId : c.memberId;
      await this.sql.run(upsertTotals(totals), rowsOf(c, totals, id, sign, sign * c.ms));
      if (sign < 0)
        await this.sql.run(dropEmptyTotals(totals), [id, ...totals.periods.map((p) => bucketIn(c, p))]);
    }
  }
}

const bucketIn = (c: Closed, period: Period) => (period === 'b' ? c.block : period === 'w' ? c.week : c.day);

/** The parameters of `upsertTotals`: a row per period of the table. */
const rowsOf = (c: Closed, totals: Totals, id: number, sessions: number, msDelta: number): SqlValue[] =>
  totals.periods.flatMap((p) => [bucketIn(c, p), id, sessions, msDelta]);

const sameBuckets = (a: Closed, b: Closed) =>
  a.day === b.day && a.machineId === b.machineId && a.memberId === b.memberId;

/**
 * Plans' counters from the indexed history: the last intervention of each plan, and the closed
 * sessions of its machine started since then. For admin actions (interventions added or deleted, a
 * plan created or moved) and the rebuild; `planWhere` narrows the plans (alias-free, on the table).
 */
export async function recomputePlans(
  sql: SqlRunner,
  planWhere = '1 = 1',
  params: readonly SqlValue[] = [],
): Promise<void> {
  await sql.run(
    `UPDATE "maintenance_plans" SET "countedSince" = COALESCE(
       (SELECT MAX(i."performedAt") FROM "interventions" i WHERE i."planId" = "maintenance_plans"."id"), 0)
     WHERE ${planWhere}`,
    params,
  );
  await sql.run(
    `UPDATE "maintenance_plans" SET "usedMs" = COALESCE(
       (SELECT SUM(s."endedAt" - s."startedAt") FROM "usage_sessions" s
        WHERE s."machineId" = "maintenance_plans"."machineId"
          AND s."startedAt" >= "maintenance_plans"."countedSince" AND s."endedAt" IS NOT NULL), 0)
     WHERE ${planWhere}`,
    params,
  );
}
