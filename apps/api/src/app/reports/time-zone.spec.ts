import { DAY_MS, isoWeekLabel, localTimeSql, offsetSegments, weekIndex, zoneOffset } from './time-zone';

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;

describe('time zones for reports', () => {
  it('reads a zone offset at an instant, DST included', () => {
    expect(zoneOffset('UTC', at('2026-07-01T12:00:00Z'))).toBe(0);
    expect(zoneOffset('Europe/Rome', at('2026-01-15T12:00:00Z'))).toBe(HOUR);
    expect(zoneOffset('Europe/Rome', at('2026-07-15T12:00:00.999Z'))).toBe(2 * HOUR);
    expect(zoneOffset('America/New_York', at('2026-01-15T12:00:00Z'))).toBe(-5 * HOUR);
    expect(zoneOffset('Asia/Kolkata', at('2026-01-15T12:00:00Z'))).toBe(5.5 * HOUR);
  });

  it('reads the same offsets from its cache of days as from the zone, around every change', () => {
    const exact = (timeZone: string, t: number) => {
      const parts = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      }).formatToParts(new Date(t));
      const field = (type: string) => Number(parts.find((p) => p.type === type)?.value);
      const wall = Date.UTC(field('year'), field('month') - 1, field('day'), field('hour'), field('minute'));
      return wall + field('second') * 1000 - Math.floor(t / 1000) * 1000;
    };
    // Adelaide changes at 16:30 UTC (half-hour offset), Lord Howe by half an hour.
    for (const timeZone of ['Europe/Rome', 'America/New_York', 'Australia/Adelaide', 'Australia/Lord_Howe']) {
      for (const { until } of offsetSegments(
        timeZone,
        at('2025-01-01T00:00:00Z'),
        at('2027-01-01T00:00:00Z'),
      )) {
        if (until === null) continue;
        for (let t = until - 2 * DAY_MS; t <= until + 2 * DAY_MS; t += 7 * 60_000 + 13_000) {
          expect([timeZone, t, zoneOffset(timeZone, t)]).toEqual([timeZone, t, exact(timeZone, t)]);
        }
        for (const t of [until - 1, until, until + 1])
          expect([timeZone, t, zoneOffset(timeZone, t)]).toEqual([timeZone, t, exact(timeZone, t)]);
      }
    }
  });

  it('finds every offset change of a range, to the second', () => {
    expect(offsetSegments('Europe/Rome', at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'))).toEqual([
      { until: at('2026-03-29T01:00:00Z'), offsetMs: HOUR },
      { until: at('2026-10-25T01:00:00Z'), offsetMs: 2 * HOUR },
      { until: null, offsetMs: HOUR },
    ]);
    expect(offsetSegments('UTC', at('2020-01-01T00:00:00Z'), at('2030-01-01T00:00:00Z'))).toEqual([
      { until: null, offsetMs: 0 },
    ]);
  });

  it('writes local time as integer SQL', () => {
    expect(localTimeSql('t', [{ until: null, offsetMs: 0 }])).toBe('(t + 0)');
    expect(
      localTimeSql('t', [
        { until: 1000, offsetMs: 3_600_000 },
        { until: null, offsetMs: 7_200_000 },
      ]),
    ).toBe('(t + CASE WHEN t < 1000 THEN 3600000 ELSE 7200000 END)');
  });

  it('labels ISO weeks, across year ends', () => {
    const monday = (iso: string) => at(`${iso}T00:00:00Z`);
    expect(isoWeekLabel(monday('2025-12-29'))).toBe('2026-W01');
    expect(isoWeekLabel(monday('2026-03-02'))).toBe('2026-W10');
    expect(isoWeekLabel(monday('2026-12-28'))).toBe('2026-W53');
    expect(isoWeekLabel(monday('2027-01-04'))).toBe('2027-W01');
    expect(isoWeekLabel(monday('2024-12-30'))).toBe('2025-W01');
    expect(weekIndex(monday('1970-01-05'))).toBe(0);
    expect(weekIndex(monday('1970-01-05') - 1)).toBe(-1);
    expect(weekIndex(monday('2026-03-08') + DAY_MS - 1)).toBe(weekIndex(monday('2026-03-02')));
  });
});
