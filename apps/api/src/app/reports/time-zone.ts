export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;
/** 1970-01-05, the first Monday after the epoch: ISO weeks are counted from it. */
export const MONDAY_EPOCH_MS = 4 * DAY_MS;

/** A span of time with one UTC offset (time zones change offset at DST and policy changes). */
export interface OffsetSegment {
  /** Epoch ms where the next offset starts (exclusive end); null for the last segment. */
  readonly until: number | null;
  readonly offsetMs: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * Per zone, the offset of each UTC day seen so far during which the zone's offset does not change
 * (null: it changes that day). `formatToParts` costs microseconds and the certification rules ask
 * for offsets many times a row (thousands of rows a list or export): a day's offset is asked for
 * twice, then read from here. Like {@link offsetSegments}, this assumes that no zone changes its
 * offset and back within one day.
 */
const dayOffsets = new Map<string, Map<number, number | null>>();
/** Days kept a zone (~27 years): bounded, whatever instants are asked for. */
const DAY_OFFSETS_LIMIT = 10_000;

/** Local time minus UTC at `at` (e.g. +3,600,000 for Europe/Rome in winter). */
export function zoneOffset(timeZone: string, at: number): number {
  const day = Math.floor(at / DAY_MS);
  let days = dayOffsets.get(timeZone);
  let known = days?.get(day);
  if (known === undefined) {
    const start = exactZoneOffset(timeZone, day * DAY_MS);
    known = start === exactZoneOffset(timeZone, (day + 1) * DAY_MS) ? start : null;
    if (!days) dayOffsets.set(timeZone, (days = new Map<number, number | null>()));
    if (days.size >= DAY_OFFSETS_LIMIT) days.clear();
    days.set(day, known);
  }
  return known ?? exactZoneOffset(timeZone, at);
}

function exactZoneOffset(timeZone: string, at: number): number {
  const parts = formatter(timeZone).formatToParts(new Date(at));
  const field = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(
    field('year'),
    field('month') - 1,
    field('day'),
    field('hour'),
    field('minute'),
    field('second'),
  );
  return wall - Math.floor(at / 1000) * 1000;
}

/**
 * The offsets a zone has over `[from, to)`, so that SQL can turn instants into local time with
 * integer arithmetic only. Zones change offset at most a few times a year: probing once a day and
 * bisecting to the second finds every change.
 */
export function offsetSegments(timeZone: string, from: number, to: number): OffsetSegment[] {
  const segments: OffsetSegment[] = [];
  let current = exactZoneOffset(timeZone, from);
  for (let t = from; t < to;) {
    const next = Math.min(t + DAY_MS, to);
    const offset = exactZoneOffset(timeZone, next);
    if (offset !== current) {
      // Offsets change on whole seconds: find the first second with the new one.
      let lo = Math.floor(t / 1000);
      let hi = Math.floor(next / 1000);
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (exactZoneOffset(timeZone, mid * 1000) === current) lo = mid;
        else hi = mid;
      }
      segments.push({ until: hi * 1000, offsetMs: current });
      current = offset;
    }
    t = next;
  }
  segments.push({ until: null, offsetMs: current });
  return segments;
}

const literal = (n: number) => {
  if (!Number.isSafeInteger(n)) throw new Error(`not an integer: ${n}`);
  return String(n);
};

/**
 * `column` as local epoch ms (an integer SQL expression, the same on SQLite and PostgreSQL). The
 * offsets are computed here and written as literals: they are integers we made, not user input.
 */
export function localTimeSql(column: string, segments: readonly OffsetSegment[]): string {
  const last = segments[segments.length - 1];
  if (!last) return column;
  if (segments.length === 1) return `(${column} + ${literal(last.offsetMs)})`;
  const cases = segments
    .slice(0, -1)
    .map((s) => `WHEN ${column} < ${literal(s.until ?? 0)} THEN ${literal(s.offsetMs)}`)
    .join(' ');
  return `(${column} + CASE ${cases} ELSE ${literal(last.offsetMs)} END)`;
}

/** ISO week label (`2026-W05`) of the week starting on this local Monday (ms at local midnight). */
export function isoWeekLabel(mondayLocalMs: number): string {
  const thursday = new Date(mondayLocalMs + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / WEEK_MS) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Index of the local week holding `localMs` (week 0 starts on Monday 1970-01-05). */
export const weekIndex = (localMs: number) => Math.floor((localMs - MONDAY_EPOCH_MS) / WEEK_MS);
