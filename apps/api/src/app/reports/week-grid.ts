import type { ReportMachine, ReportRange, UsageByWeekReport } from '@fabomatic/contracts';
import type { NumberTable } from '../../core/database/read-pool';
import { compareMachineNames } from '../machines/machine-sort-key';
import { type JsonBytes, JsonWriter } from '../../core/http/json-text';
import { MONDAY_EPOCH_MS, WEEK_MS, isoWeekLabel } from './time-zone';

/** Rows of a {@link NumberTable} whose first column is a week, read for weeks `[first, end)` only. */
export interface WeekRows extends NumberTable {
  readonly weeks?: readonly [first: number, end: number];
}

/** What a usage-by-week report is built from: its weeks, its machines, and the cells read. */
export interface WeekGridInput {
  readonly range: ReportRange;
  /** Local week index of the range's first week (week 0 starts on Monday 1970-01-05). */
  readonly firstWeek: number;
  readonly weekCount: number;
  /** Every machine the cells may name, id → name. */
  readonly names: ReadonlyMap<number, string>;
  /**
   * Cells `[week, machineId, sessions, ms]`, four columns a row; a machine's week may come in
   * parts (whole weeks, whole days at a range's edge, raw sessions), which are summed.
   */
  readonly tables: readonly WeekRows[];
}

/** Hours to two decimals, as every report shows them. */
export const hours = (millis: number) => Math.round(millis / 36_000) / 100;

/** Ids up to this take a table instead of a map (machine ids are small and dense). */
const MAX_TABLE_ID = 1 << 20;

/** Each id's position in `ids`, -1 for any other number: a table for small whole ids, else a map. */
function columnLookup(ids: readonly number[]): (id: number) => number {
  const largest = ids.reduce((max, id) => Math.max(max, id), 0);
  if (ids.every((id) => Number.isInteger(id) && id >= 0) && largest <= MAX_TABLE_ID) {
    const table = new Int32Array(largest + 1).fill(-1);
    ids.forEach((id, col) => (table[id] = col));
    return (id) => (id >= 0 && id <= largest && id === Math.floor(id) ? table[id] : -1);
  }
  const map = new Map(ids.map((id, col) => [id, col]));
  return (id) => map.get(id) ?? -1;
}

/**
 * The usage-by-week report as UTF-8 JSON, written straight from a weeks × machines grid of typed
 * arrays: ten years of a 200-machine lab are 104,000 cells, and an object and two arrays a week then
 * `JSON.stringify` held the event loop (the thread that answers the boards) 55 – 105 ms a load,
 * half of it garbage collection (docs/performance.md, fifteenth session).
 */
export function usageByWeekJson(input: WeekGridInput): JsonBytes<UsageByWeekReport> {
  const { firstWeek, weekCount, names, tables } = input;
  const ids = [...names.keys()];
  const width = ids.length;
  const columnOf = columnLookup(ids);
  const sessions = new Float64Array(weekCount * width);
  const millis = new Float64Array(weekCount * width);
  for (const { values, weeks } of tables) {
    // A table of kept weeks holds more than the range's: only its `weeks` count.
    const [lo, hi] = weeks ?? [firstWeek, firstWeek + weekCount];
    for (let i = 0; i + 3 < values.length; i += 4) {
      if (values[i] < lo || values[i] >= hi) continue;
      const week = values[i] - firstWeek;
      const col = columnOf(values[i + 1]);
      if (col < 0 || week < 0 || week >= weekCount) continue;
      const cell = week * width + col;
      sessions[cell] += values[i + 2];
      millis[cell] += values[i + 3];
    }
  }
  // The machines used in the range, by name; unused ones take no column.
  const used: (ReportMachine & { readonly col: number })[] = [];
  for (let col = 0; col < width; col++) {
    for (let week = 0; week < weekCount; week++) {
      if (sessions[week * width + col] > 0) {
        const machineId = ids[col];
        used.push({ machineId, machineName: names.get(machineId) ?? '', col });
        break;
      }
    }
  }
  used.sort((a, b) => compareMachineNames(a.machineName, b.machineName) || a.machineId - b.machineId);
  const cols = Int32Array.from(used, (m) => m.col);
  const weekSessions = new Float64Array(used.length);
  const weekSeconds = new Float64Array(used.length);
  const machines = used.map(({ machineId, machineName }) => ({ machineId, machineName }));
  const { from, to, timeZone } = input.range;
  const json = new JsonWriter(256 + 64 * used.length + weekCount * (160 + 16 * used.length));
  json.raw('{"from":').value(from).raw(',"to":').value(to).raw(',"timeZone":').value(timeZone);
  json.raw(',"machines":').value(machines).raw(',"weeks":[');
  for (let week = 0; week < weekCount; week++) {
    const base = week * width;
    let sessionSum = 0;
    let secondSum = 0;
    for (let j = 0; j < cols.length; j++) {
      const cell = base + cols[j];
      const count = sessions[cell];
      const secs = Math.round(millis[cell] / 1000);
      weekSessions[j] = count;
      weekSeconds[j] = secs;
      sessionSum += count;
      secondSum += secs;
    }
    const monday = MONDAY_EPOCH_MS + (firstWeek + week) * WEEK_MS;
    json
      .raw(week === 0 ? '{"week":"' : ',{"week":"')
      .raw(isoWeekLabel(monday))
      .raw('","weekStart":"')
      .raw(new Date(monday).toISOString().slice(0, 10))
      .raw('","sessions":')
      .number(sessionSum)
      .raw(',"seconds":')
      .number(secondSum)
      .raw(',"hours":')
      .number(hours(secondSum * 1000))
      .raw(',"machineSessions":')
      .numbers(weekSessions)
      .raw(',"machineSeconds":')
      .numbers(weekSeconds)
      .raw('}');
  }
  return json.raw(']}').done();
}
