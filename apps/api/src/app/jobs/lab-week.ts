import { MONDAY_EPOCH_MS, WEEK_MS, zoneOffset } from '../reports/time-zone';

/** A span of instants, epoch ms, `to` excluded. */
export interface TimeWindow {
  readonly from: number;
  readonly to: number;
}

/** The instant a local wall-clock time (as epoch ms "in local time") falls on in `timeZone`. */
export function localToInstant(localMs: number, timeZone: string): number {
  // Two steps: the offset at the guess is the offset of the answer, also across a DST change.
  const guess = localMs - zoneOffset(timeZone, localMs);
  return localMs - zoneOffset(timeZone, guess);
}

/**
 * The last full week before `now` in the lab's time zone: from Monday 00:00 to the next Monday
 * 00:00, exactly seven local days (168 hours, or 167/169 across a DST change).
 */
export function lastFullWeek(now: number, timeZone: string): TimeWindow {
  const local = now + zoneOffset(timeZone, now);
  const monday = MONDAY_EPOCH_MS + Math.floor((local - MONDAY_EPOCH_MS) / WEEK_MS) * WEEK_MS;
  return { from: localToInstant(monday - WEEK_MS, timeZone), to: localToInstant(monday, timeZone) };
}

/** The local calendar date (`2026-02-02`) of an instant in `timeZone`. */
export function localDate(instant: number, timeZone: string): string {
  return new Date(instant + zoneOffset(timeZone, instant)).toISOString().slice(0, 10);
}
