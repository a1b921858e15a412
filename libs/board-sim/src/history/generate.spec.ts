import { type Row, type RowSink, type TableSpec, generateHistory } from './generate';

/** Keeps every generated row in memory, by table. */
class MemorySink implements RowSink {
  readonly tables = new Map<string, Row[]>();
  usage: (readonly [number, number])[] = [];

  insert(table: TableSpec, rows: readonly Row[]): Promise<void> {
    const kept = this.tables.get(table.name) ?? [];
    kept.push(...rows);
    this.tables.set(table.name, kept);
    return Promise.resolve();
  }

  setUsageSeconds(rows: readonly (readonly [number, number])[]): Promise<void> {
    this.usage = [...rows];
    return Promise.resolve();
  }

  rows(table: string): Row[] {
    return this.tables.get(table) ?? [];
  }
}

const END = Date.UTC(2026, 0, 1);

async function generate(seed: number) {
  const sink = new MemorySink();
  const lab = await generateHistory(sink, { years: 0.25, machines: 6, seed, endAt: END });
  return { sink, lab };
}

describe('generateHistory', () => {
  it('generates the same lab from the same seed, another from another seed', async () => {
    const [a, b, c] = await Promise.all([generate(3), generate(3), generate(4)]);
    expect(b.sink.tables).toEqual(a.sink.tables);
    expect(b.lab).toEqual(a.lab);
    expect(c.sink.rows('usage_sessions')).not.toEqual(a.sink.rows('usage_sessions'));
  });

  it('writes a consistent history: ids follow time, no overlapping sessions, hour meters match', async () => {
    const { sink, lab } = await generate(1);
    const sessions = sink.rows('usage_sessions');
    const perDay = sessions.length / (0.25 * 365) / 6;
    expect(perDay).toBeGreaterThan(8);
    expect(perDay).toBeLessThan(16);
    expect(sessions.every(([id], i) => id === i + 1)).toBe(true);
    expect(sessions.every((row) => Number(row[3]) >= lab.startAt && Number(row[5]) <= END)).toBe(true);

    const byMachine = new Map<number, Row[]>();
    for (const row of sessions)
      byMachine.set(Number(row[2]), [...(byMachine.get(Number(row[2])) ?? []), row]);
    for (const [machine, rows] of byMachine) {
      rows.forEach((row, i) => {
        if (i > 0) expect(Number(row[3])).toBeGreaterThan(Number(rows[i - 1]?.[5]));
      });
      const seconds = rows.reduce((sum, row) => sum + (Number(row[5]) - Number(row[3])) / 1000, 0);
      expect(sink.usage.find(([id]) => id === machine)?.[1]).toBe(Math.round(seconds));
    }

    const events = sink.rows('access_events');
    expect(events.every(([id], i) => id === i + 1)).toBe(true);
    expect(events.every((row, i) => i === 0 || Number(row[1]) >= Number(events[i - 1]?.[1]))).toBe(true);
  });

  it('taps cards the way the benchmark expects: members authorized or not, unknown cards unregistered', async () => {
    const { sink, lab } = await generate(2);
    const memberByCard = new Map(sink.rows('members').map((row) => [String(row[4]), Number(row[0])]));
    expect(memberByCard.size).toBe(sink.rows('members').length);
    const authorized = new Set(sink.rows('authorizations').map((row) => `${row[1]}:${row[2]}`));
    for (const tap of lab.taps) {
      expect(authorized.has(`${memberByCard.get(tap.authorized)}:${tap.topicId}`)).toBe(true);
      expect(authorized.has(`${memberByCard.get(tap.unauthorized)}:${tap.topicId}`)).toBe(false);
    }
    expect(memberByCard.has(lab.unknownCard)).toBe(false);
    const reasons = new Set(sink.rows('access_events').map((row) => row[7]));
    expect([...reasons].sort()).toEqual([
      'granted',
      'maintenance-recorded',
      'no-authorization',
      'unknown-card',
    ]);
    // Unknown-card taps carry no member; every other tap names one.
    for (const row of sink.rows('access_events')) {
      expect(row[5] === null).toBe(row[7] === 'unknown-card');
      if (row[7] === 'unknown-card') expect(memberByCard.has(String(row[4]))).toBe(false);
    }
  });
});
