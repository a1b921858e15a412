import type { UsageByWeekReport } from '@fabomatic/contracts';
import { compareMachineNames } from '../machines/machine-sort-key';
import { MONDAY_EPOCH_MS, WEEK_MS, isoWeekLabel, weekIndex } from './time-zone';
import { usageByWeekJson, type WeekGridInput } from './week-grid';

/** A seeded PRNG (mulberry32): the same cells every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The report as the service built it before, one object per week (the reference). */
function reference(input: WeekGridInput): UsageByWeekReport {
  const cells = new Map<string, { sessions: number; ms: number }>();
  for (const { values } of input.tables) {
    for (let i = 0; i + 3 < values.length; i += 4) {
      const week = values[i] - input.firstWeek;
      if (!input.names.has(values[i + 1]) || week < 0 || week >= input.weekCount) continue;
      const key = `${week} ${values[i + 1]}`;
      const cell = cells.get(key) ?? { sessions: 0, ms: 0 };
      cell.sessions += values[i + 2];
      cell.ms += values[i + 3];
      cells.set(key, cell);
    }
  }
  const cell = (week: number, id: number) => cells.get(`${week} ${id}`) ?? { sessions: 0, ms: 0 };
  const machines = [...input.names]
    .filter(([id]) =>
      Array.from({ length: input.weekCount }, (_, w) => cell(w, id).sessions).some((s) => s > 0),
    )
    .map(([machineId, machineName]) => ({ machineId, machineName }))
    .sort((a, b) => compareMachineNames(a.machineName, b.machineName) || a.machineId - b.machineId);
  const weeks = Array.from({ length: input.weekCount }, (_, week) => {
    const machineSessions = machines.map((m) => cell(week, m.machineId).sessions);
    const machineSeconds = machines.map((m) => Math.round(cell(week, m.machineId).ms / 1000));
    const seconds = machineSeconds.reduce((a, b) => a + b, 0);
    const monday = MONDAY_EPOCH_MS + (input.firstWeek + week) * WEEK_MS;
    return {
      week: isoWeekLabel(monday),
      weekStart: new Date(monday).toISOString().slice(0, 10),
      sessions: machineSessions.reduce((a, b) => a + b, 0),
      seconds,
      hours: Math.round((seconds * 1000) / 36_000) / 100,
      machineSessions,
      machineSeconds,
    };
  });
  return { ...input.range, machines, weeks };
}

const range = { from: '2016-01-04T00:00:00.000Z', to: '2026-01-05T00:00:00.000Z', timeZone: 'Europe/Rome' };

describe('the usage-by-week report written as JSON bytes', () => {
  it('parses to the report built week by week, for grids with parts, gaps and foreign cells', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const next = random(seed);
      const machineCount = 1 + Math.floor(next() * 30);
      // Names that sort differently by code point and by number, and two machines sharing a name.
      const names = new Map<number, string>();
      for (let m = 0; m < machineCount; m++) {
        const id = 1 + m * 7 + Math.floor(next() * 5);
        names.set(
          id,
          m === 1 ? (names.values().next().value ?? 'Laser') : `Laser ${1 + Math.floor(next() * 12)}`,
        );
      }
      const ids = [...names.keys()];
      const firstWeek = weekIndex(Date.parse('2016-01-04')) + Math.floor(next() * 10);
      const weekCount = 1 + Math.floor(next() * 60);
      const tables = Array.from({ length: 1 + Math.floor(next() * 3) }, () => {
        const rows: number[] = [];
        for (let r = 0; r < next() * 400; r++) {
          const id = next() < 0.05 ? 99_999 : (ids[Math.floor(next() * ids.length)] ?? 0);
          const week = firstWeek + Math.floor(next() * (weekCount + 4)) - 2;
          const sessions = next() < 0.2 ? 0 : Math.floor(next() * 90);
          rows.push(week, id, sessions, Math.floor(next() * 3e8) + (next() < 0.3 ? 0.5 : 0));
        }
        return { columns: 4, values: Float64Array.from(rows) };
      });
      const input: WeekGridInput = { range, firstWeek, weekCount, names, tables };
      expect(JSON.parse(usageByWeekJson(input).toString('utf8'))).toEqual(reference(input));
    }
  });

  it('writes every week of the range, with no machine column when nothing was used', () => {
    const input: WeekGridInput = {
      range,
      firstWeek: weekIndex(Date.parse('2026-03-02')),
      weekCount: 2,
      names: new Map([[1, 'Laser']]),
      tables: [{ columns: 4, values: new Float64Array(0) }],
    };
    expect(JSON.parse(usageByWeekJson(input).toString('utf8'))).toEqual({
      ...range,
      machines: [],
      weeks: [
        { week: '2026-W10', weekStart: '2026-03-02', sessions: 0, seconds: 0, hours: 0, machineSessions: [], machineSeconds: [] }, // prettier-ignore
        { week: '2026-W11', weekStart: '2026-03-09', sessions: 0, seconds: 0, hours: 0, machineSessions: [], machineSeconds: [] }, // prettier-ignore
      ],
    });
  });
});
