import { request } from 'node:http';
import { AccessEvent } from '../../app/access-events/access-event.entity';
import { Machine } from '../../app/machines/machine.entity';
import { Member } from '../../app/members/member.entity';
import type { ApiClient } from '../../testing/api-client';
import { csvExport, xlsxExport, xlsxSheets } from '../../testing/exports';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { type TestApp, type TestDatabase, startTestApp } from '../../testing/test-app';
import { Metrics } from '../metrics/metrics';
import { EXPORT_CHUNK_ROWS, EXPORT_SHEET_ROWS } from './export';

/** Small chunks, so that a few thousand rows take several queries. */
const CHUNK = 1_000;
const ROWS = 2_500;
/** Rows sharing one sort key: 7 does not divide the chunk, so ties straddle chunk boundaries. */
const TIE = 7;
/** The old silent cap was 100,000 rows. */
const BEYOND_OLD_CAP = 100_001;
const BASE = Date.UTC(2020, 0, 1);
const BIG_BASE = Date.UTC(2015, 0, 1);

const startOf = (i: number, base = BASE) => base + Math.floor(i / TIE) * 60_000;
/** Unique per row: it tells rows of equal start apart in the file. */
const endOf = (i: number, base = BASE) => startOf(i, base) + (i + 1) * 1000;
const cardOf = (i: number) => i.toString(16).toUpperCase().padStart(8, '0');
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Inserts sessions 0…count-1 in one statement (a recursive CTE runs on both drivers). */
async function insertSessions(
  lab: TestApp,
  count: number,
  base: number,
  ids: { members: [number, number]; machines: [number, number] },
): Promise<void> {
  const start = `${base} + CAST(i / ${TIE} AS BIGINT) * 60000`;
  const end = `${start} + CAST(i + 1 AS BIGINT) * 1000`;
  await lab.dataSource.query(
    `INSERT INTO "usage_sessions" ("memberId", "machineId", "startedAt", "lastSeenAt", "endedAt", "endReason", "replay")
     WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${count - 1})
     SELECT CASE WHEN i % 3 = 0 THEN ${ids.members[0]} ELSE ${ids.members[1]} END,
            CASE WHEN i % 2 = 0 THEN ${ids.machines[0]} ELSE ${ids.machines[1]} END,
            ${start}, ${end}, ${end}, 'manual', FALSE
     FROM n`,
  );
}

/** Resolves once `condition` holds, polling; fails after 10 s. */
async function eventually(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let waited = 0; !(await condition()); waited += 20) {
    if (waited > 10_000) throw new Error(what);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Starts downloading `path`, calls `midway` once `bytes` have arrived, then reads on: whether the
 * body arrived complete (a destroyed response ends without the final chunk).
 */
function downloadUntil(
  lab: TestApp,
  cookie: string,
  path: string,
  bytes: number,
  midway: (stop: () => void) => void,
): Promise<{ status: number | undefined; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, lab.running.httpUrl), { headers: { cookie } }, (response) => {
      let received = 0;
      let called = false;
      const stop = () => {
        req.destroy();
        resolve({ status: response.statusCode, complete: false });
      };
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (called || received < bytes) return;
        called = true;
        midway(stop);
      });
      response.on('error', () => undefined);
      response.on('close', () => resolve({ status: response.statusCode, complete: response.complete }));
    });
    req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
    req.end();
  });
}

const counterValue = async (
  counter: Metrics['exports'] | Metrics['exportRows'],
  labels: Record<string, string>,
): Promise<number> =>
  (await counter.get()).values
    .filter((v) => Object.entries(labels).every(([k, value]) => v.labels[k as never] === value))
    .reduce((sum, v) => sum + v.value, 0);

describe.each<TestDatabase>(['sqlite', 'postgres'])('exports on %s', (database) => {
  let lab: TestApp;
  let admin: ApiClient;
  const ids = { prusa: 0, laser: 0, trapano: 0, lucia: 0, mario: 0 };

  beforeAll(async () => {
    lab = await startTestApp({
      database,
      broker: 'embedded',
      seed: LAB_SEED,
      providers: [{ provide: EXPORT_CHUNK_ROWS, useValue: CHUNK }],
    });
    admin = await adminClient(lab);
    const machines = lab.dataSource.getRepository(Machine);
    const members = lab.dataSource.getRepository(Member);
    ids.prusa = (await machines.findOneByOrFail({ topicId: '1' })).id;
    ids.laser = (await machines.findOneByOrFail({ topicId: '012' })).id;
    ids.trapano = (await machines.findOneByOrFail({ topicId: '3' })).id;
    ids.lucia = (await members.findOneByOrFail({ cardUid: CARDS.lucia })).id;
    ids.mario = (await members.findOneByOrFail({ cardUid: CARDS.mario })).id;
    await insertSessions(lab, ROWS, BASE, {
      members: [ids.mario, ids.lucia],
      machines: [ids.prusa, ids.laser],
    });
    await insertSessions(lab, BEYOND_OLD_CAP, BIG_BASE, {
      members: [ids.lucia, ids.lucia],
      machines: [ids.trapano, ids.trapano],
    });
    const events = range(ROWS).map((i) => ({
      occurredAt: new Date(startOf(i)),
      topicId: '1',
      machineId: ids.prusa,
      cardUid: cardOf(i),
      memberId: null,
      action: 'checkuser' as const,
      reason: i % 2 === 0 ? ('granted' as const) : ('unknown-card' as const),
      granted: i % 2 === 0,
      level: null,
      replay: false,
      actorMemberId: null,
    }));
    for (let i = 0; i < events.length; i += 200)
      await lab.dataSource.getRepository(AccessEvent).insert(events.slice(i, i + 200));
  }, 120_000);
  afterAll(() => lab?.stop());

  /** The usage sessions of 2020 only (the lab's other sessions are older). */
  const USAGE_2020 = `/api/usage/export?from=2019-12-31&to=2020-12-31`;
  const ends = (rows: readonly Record<string, string>[]) => rows.map((r) => r['End']);
  const isoEnds = (order: readonly number[]) => order.map((i) => new Date(endOf(i)).toISOString());

  it('streams every usage session in chunks, newest first, ties in id order', async () => {
    const rows = await csvExport(admin, USAGE_2020);
    expect(rows).toHaveLength(ROWS);
    expect(ends(rows)).toEqual(isoEnds(range(ROWS).reverse()));
    // Row 2499: Mario's (every third row) on the laser (odd rows).
    expect(rows[0]).toMatchObject({ Member: 'Mario Rossi', Machine: 'Laser Trotec Speedy 400' });
  });

  it('applies the filters and the order asked for', async () => {
    const rows = await csvExport(admin, `${USAGE_2020}&machineId=${ids.prusa}&order=asc`);
    expect(ends(rows)).toEqual(isoEnds(range(ROWS).filter((i) => i % 2 === 0)));
    const byMember = await csvExport(admin, `${USAGE_2020}&memberId=${ids.mario}&sort=duration&order=asc`);
    // A row's duration is (i + 1) s: by duration is by row number, across every start.
    expect(ends(byMember)).toEqual(isoEnds(range(ROWS).filter((i) => i % 3 === 0)));
  });

  it('streams the XLSX through the streaming writer, every row, dates as dates', async () => {
    const { contentType, rows } = await xlsxExport(admin, lab.running.httpUrl, `${USAGE_2020}&format=xlsx`);
    expect(contentType).toContain('spreadsheetml');
    expect(rows[0]).toEqual([
      'Member',
      'Machine',
      'Start',
      'End',
      'Duration (hours)',
      'End reason',
      'Replay',
    ]);
    expect(rows.slice(1).map((r) => (r[3] as Date).getTime())).toEqual(
      range(ROWS)
        .reverse()
        .map((i) => endOf(i)),
    );
  });

  it('streams access events by keyset, with their filters, as CSV and XLSX', async () => {
    const all = await csvExport(admin, '/api/access-events/export?from=2019-12-31&to=2020-12-31');
    expect(all.map((r) => r['Card'])).toEqual(range(ROWS).reverse().map(cardOf));
    const refused = await csvExport(admin, '/api/access-events/export?granted=false&order=asc');
    expect(refused.map((r) => r['Card'])).toEqual(
      range(ROWS)
        .filter((i) => i % 2 === 1)
        .map(cardOf),
    );
    const { rows } = await xlsxExport(
      admin,
      lab.running.httpUrl,
      '/api/access-events/export?format=xlsx&reason=granted&from=2019-12-31&to=2020-12-31',
    );
    expect(rows.slice(1).map((r) => r[3])).toEqual(
      range(ROWS)
        .filter((i) => i % 2 === 0)
        .reverse()
        .map(cardOf),
    );
  });

  it('has no row cap: more rows than the old 100,000 limit all arrive', async () => {
    const rows = await csvExport(admin, `/api/usage/export?machineId=${ids.trapano}&order=asc`);
    expect(rows).toHaveLength(BEYOND_OLD_CAP);
    expect(rows[0]?.['End']).toBe(new Date(endOf(0, BIG_BASE)).toISOString());
    expect(rows.at(-1)?.['End']).toBe(new Date(endOf(BEYOND_OLD_CAP - 1, BIG_BASE)).toISOString());
  }, 60_000);

  it('stops reading when the client disconnects mid-export', async () => {
    const metrics = lab.running.app.get(Metrics);
    const read = () => counterValue(metrics.exportRows, { export: 'usage' });
    const aborted = () => counterValue(metrics.exports, { export: 'usage', outcome: 'aborted' });
    const [rowsBefore, abortedBefore] = [await read(), await aborted()];
    await new Promise<void>((resolve, reject) => {
      const url = new URL(`/api/usage/export?machineId=${ids.trapano}`, lab.running.httpUrl);
      const req = request(url, { headers: { cookie: admin.cookie } }, (response) => {
        expect(response.statusCode).toBe(200);
        // The first bytes arrived: the download is under way. The user cancels it.
        response.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
      req.end();
    });
    for (let waited = 0; (await aborted()) === abortedBefore; waited += 20) {
      if (waited > 10_000) throw new Error('the export did not notice the disconnect');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const rowsRead = (await read()) - rowsBefore;
    expect(rowsRead).toBeGreaterThan(0);
    expect(rowsRead).toBeLessThan(BEYOND_OLD_CAP / 2);
    // And nothing more is read afterwards.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await read()) - rowsBefore).toBe(rowsRead);
  });

  it('stops making the XLSX when the download is cancelled', async () => {
    const metrics = lab.running.app.get(Metrics);
    const read = () => counterValue(metrics.exportRows, { export: 'usage' });
    const aborted = () => counterValue(metrics.exports, { export: 'usage', outcome: 'aborted' });
    const [rowsBefore, abortedBefore] = [await read(), await aborted()];
    const result = await downloadUntil(
      lab,
      admin.cookie,
      `/api/usage/export?machineId=${ids.trapano}&format=xlsx`,
      64 * 1024,
      // The user cancels the download.
      (stop) => stop(),
    );
    expect(result).toEqual({ status: 200, complete: false });
    await eventually(
      async () => (await aborted()) > abortedBefore,
      'the export did not notice the disconnect',
    );
    const rowsRead = (await read()) - rowsBefore;
    expect(rowsRead).toBeLessThan(BEYOND_OLD_CAP / 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await read()) - rowsBefore).toBe(rowsRead);
  });
});

/** Sessions of the sheet-limit lab: 25 is five full sheets of 5, no empty sixth. */
const SHEET_ROWS = 5;
const SHEET_LAB_ROWS = 25;

describe.each<TestDatabase>(['sqlite', 'postgres'])('XLSX sheets on %s', (database) => {
  let lab: TestApp;
  let admin: ApiClient;
  let prusa = 0;

  beforeAll(async () => {
    lab = await startTestApp({
      database,
      broker: 'embedded',
      seed: LAB_SEED,
      providers: [
        // Chunks of 3 straddle the sheets' boundaries.
        { provide: EXPORT_CHUNK_ROWS, useValue: 3 },
        { provide: EXPORT_SHEET_ROWS, useValue: SHEET_ROWS },
      ],
    });
    admin = await adminClient(lab);
    const machines = lab.dataSource.getRepository(Machine);
    const members = lab.dataSource.getRepository(Member);
    prusa = (await machines.findOneByOrFail({ topicId: '1' })).id;
    const laser = (await machines.findOneByOrFail({ topicId: '012' })).id;
    const lucia = (await members.findOneByOrFail({ cardUid: CARDS.lucia })).id;
    const mario = (await members.findOneByOrFail({ cardUid: CARDS.mario })).id;
    await insertSessions(lab, SHEET_LAB_ROWS, BASE, { members: [mario, lucia], machines: [prusa, laser] });
  }, 120_000);
  afterAll(() => lab?.stop());

  const HEADER = ['Member', 'Machine', 'Start', 'End', 'Duration (hours)', 'End reason', 'Replay'];
  const sheetsOf = async (path: string) =>
    xlsxSheets(await fetch(lab.running.httpUrl + path, { headers: { cookie: admin.cookie } }));

  it.each([
    ['every session: five full sheets', '', range(SHEET_LAB_ROWS)],
    [
      'one machine: two full sheets and three rows',
      '&machineId=PRUSA',
      range(SHEET_LAB_ROWS).filter((i) => i % 2 === 0),
    ],
  ])('continues past the sheet limit on new sheets, every row in order (%s)', async (_, filter, expected) => {
    const sheets = await sheetsOf(
      `/api/usage/export?from=2019-12-31&to=2020-12-31&order=asc&format=xlsx${filter.replace('PRUSA', String(prusa))}`,
    );
    const count = Math.ceil(expected.length / SHEET_ROWS);
    expect(sheets.map((sheet) => sheet.name)).toEqual(
      range(count).map((n) => (n === 0 ? 'usage' : `usage ${n + 1}`)),
    );
    for (const sheet of sheets) {
      expect(sheet.rows[0]).toEqual(HEADER);
      expect(sheet.headerBold).toBe(true);
      expect(sheet.rows.length - 1).toBeLessThanOrEqual(SHEET_ROWS);
    }
    const ends = sheets.flatMap((sheet) => sheet.rows.slice(1).map((r) => (r[3] as Date).getTime()));
    expect(ends).toEqual(expected.map((i) => endOf(i)));
  });
});
