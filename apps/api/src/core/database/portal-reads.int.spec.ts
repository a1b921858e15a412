import { IsNull } from 'typeorm';
import { Authorization } from '../../app/authorizations/authorization.entity';
import { Machine } from '../../app/machines/machine.entity';
import { Member } from '../../app/members/member.entity';
import { Role } from '../../app/roles/role.entity';
import { LAB_SEED } from '../../testing/lab-seed';
import { type TestApp, type TestBroker, type TestDatabase, startTestApp } from '../../testing/test-app';
import { ApiClient } from '../../testing/api-client';
import { adminClient } from '../../testing/portal';
import { createDataSource } from './data-source';
import { PortalReads } from './portal-reads';
import { ReadPool } from './read-pool';
import { UnitOfWork } from './unit-of-work';

/**
 * A portal read that keeps the database busy for a second or more: a stand-in for a report over
 * years of history, the same SQL on both drivers.
 */
const LONG_READ =
  'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 25000000) SELECT count(*) AS c FROM n';

/**
 * A blocked event loop delays a reply by the whole read (seconds). The bounds leave room for this
 * shared 2-core test machine, whose load alone was seen to stall a reply 0.7 s with no read at all:
 * nearly every reply within 250 ms, none later than 1 s.
 */
const FAST_REPLY_MS = 250;
const NEVER_LATER_MS = 1000;

/** Board `checkmachine` latencies, one query after the other, while `read` runs; and how long it ran. */
async function repliesDuring(lab: TestApp, read: () => Promise<unknown>, timeoutMs = 5000) {
  const board = await lab.board('1');
  await board.checkmachine(); // connected and answered once before measuring
  const latencies: number[] = [];
  let done = false;
  const started = Date.now();
  // Started while the board's queries are in flight, as a staff member opening a page would.
  const reading = new Promise((resolve) => setTimeout(resolve, 30)).then(read).finally(() => {
    done = true;
  });
  const readMs = reading.then(() => Date.now() - started);
  while (!done) {
    const result = await board.checkmachine({ timeoutMs });
    if (result.status !== 'reply') throw new Error(`board got no reply: ${result.status}`);
    latencies.push(result.latencyMs);
  }
  return { latencies, readMs: await readMs };
}

const combos: [TestDatabase, TestBroker][] = [
  ['sqlite', 'embedded'],
  ['postgres', 'mosquitto'],
];

/** The probe board asks again as soon as it is answered: far beyond a real board's rate limit. */
const UNLIMITED_BOARD_RATE = { BOARD_RATE_LIMIT_BURST: '1000000', BOARD_RATE_LIMIT_PER_SECOND: '1000000' };

describe.each(combos)('portal reads on %s (%s broker)', (database, broker) => {
  let lab: TestApp;
  let reads: PortalReads;

  beforeAll(async () => {
    lab = await startTestApp({ database, broker, seed: LAB_SEED, env: UNLIMITED_BOARD_RATE });
    reads = lab.running.app.get(PortalReads);
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('answers every board checkmachine fast while a long portal read runs', async () => {
    const { latencies, readMs } = await repliesDuring(lab, () => reads.get(LONG_READ));
    // The read must really have been long, or the test proves nothing.
    expect(readMs).toBeGreaterThan(2 * NEVER_LATER_MS);
    expect(latencies.length).toBeGreaterThan(10);
    const sorted = [...latencies].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length * 0.99)]).toBeLessThan(FAST_REPLY_MS);
    expect(sorted.at(-1)).toBeLessThan(NEVER_LATER_MS);
  }, 120_000);

  it('packs an all-numbers read into one table of numbers, NULL as 0, in row order', async () => {
    const table = await reads.numbers(
      `SELECT m."id" AS "id", -m."id" * 1000 AS "negative", CASE WHEN m."id" = 2 THEN NULL ELSE 9007199254740 END AS "big"
       FROM "machines" m WHERE m."id" <= ? ORDER BY m."id"`,
      [3],
    );
    expect(table.columns).toBe(3);
    expect([...table.values]).toEqual([1, -1000, 9007199254740, 2, -2000, 0, 3, -3000, 9007199254740]);
    expect(
      (await reads.numbers('SELECT m."id" AS "id" FROM "machines" m WHERE m."id" < 0')).values.length,
    ).toBe(0);
    // Columns sharing a name, decimals, and one statement read again with other parameters.
    const mixed = (limit: number) =>
      reads.numbers(
        `SELECT m."id" AS "id", m."id" AS "id", -m."id" / 4.0 AS "q" FROM "machines" m WHERE m."id" <= ? ORDER BY m."id"`,
        [limit],
      );
    expect(await mixed(2)).toEqual({ columns: 3, values: Float64Array.of(1, 1, -0.25, 2, 2, -0.5) });
    const decimals = (limit: number) =>
      reads.numbers(
        `SELECT m."id" AS "id", -m."id" / 4.0 AS "q" FROM "machines" m WHERE m."id" <= ? ORDER BY m."id"`,
        [limit],
      );
    expect(await decimals(2)).toEqual({ columns: 2, values: Float64Array.of(1, -0.25, 2, -0.5) });
    expect(await decimals(1)).toEqual({ columns: 2, values: Float64Array.of(1, -0.25) });
  });

  it('reads through its manager the same entities as the main manager', async () => {
    const main = lab.dataSource.manager;
    const portal = reads.manager;
    const authorizations = (em: typeof main) =>
      em.find(Authorization, {
        relations: { member: { role: true }, machine: { type: true } },
        order: { id: 'ASC' },
      });
    expect(await authorizations(portal)).toEqual(await authorizations(main));

    const members = (em: typeof main) =>
      em
        .createQueryBuilder(Member, 'm')
        .leftJoinAndSelect('m.role', 'r')
        .where('m.deletedAt IS NULL')
        .orderBy('m.surname', 'ASC')
        .addOrderBy('m.id', 'ASC')
        .skip(1)
        .take(2)
        .getManyAndCount();
    const [page, total] = await members(portal);
    expect(page).toHaveLength(2);
    expect(total).toBeGreaterThanOrEqual(3);
    expect([page, total]).toEqual(await members(main));

    const perMachine = (em: typeof main) =>
      em
        .createQueryBuilder(Authorization, 'a')
        .innerJoin('a.machine', 'm')
        .select('m.name', 'machine')
        .addSelect('COUNT(*)', 'authorizations')
        .groupBy('m.name')
        .orderBy('m.name')
        .getRawMany();
    expect(await perMachine(portal)).toEqual(await perMachine(main));

    expect(await portal.findOneBy(Machine, { blocked: true })).toEqual(
      await main.findOneBy(Machine, { blocked: true }),
    );
    expect(await portal.count(Member, { where: { disabled: false, deletedAt: IsNull() } })).toBe(
      await main.count(Member, { where: { disabled: false, deletedAt: IsNull() } }),
    );
    expect(await portal.findOne(Member, { where: { id: -1 } })).toBeNull();
  });

  it('rejects a failing read with the database error', async () => {
    await expect(reads.all('SELECT * FROM "no_such_table"')).rejects.toThrow(/no_such_table/);
    await expect(reads.manager.query('SELECT * FROM "no_such_table"')).rejects.toThrow(/no_such_table/);
    expect(await reads.get('SELECT 1 AS one')).toEqual({ one: 1 });
  });
});

describe('portal reads on sqlite: threads', () => {
  it('start on demand and stop with the app', async () => {
    const lab = await startTestApp({ database: 'sqlite', broker: 'embedded', seed: LAB_SEED });
    const reads = lab.running.app.get(PortalReads);
    try {
      expect(reads.threads).toBe(0);
      await reads.manager.find(Member);
      expect(reads.threads).toBe(1);
    } finally {
      await lab.stop();
    }
    expect(reads.threads).toBe(0);
  });

  it('take the board path’s WAL checkpoints while one runs', async () => {
    const lab = await startTestApp({ database: 'sqlite', broker: 'embedded', seed: LAB_SEED });
    const hosted = jest.spyOn(ReadPool.prototype, 'checkpoint');
    try {
      const reads = lab.running.app.get(PortalReads);
      const uow = lab.running.app.get(UnitOfWork);
      await reads.manager.find(Member);
      // A checkpoint is due every 200 commits.
      for (let i = 0; i < 200; i++)
        await uow.runSql((sql) => sql.run('UPDATE "machines" SET "name" = "name" WHERE "id" = 1'));
      const checkpoints = hosted.mock.results.map((result) => result.value as Promise<number> | null);
      expect(checkpoints.length).toBeGreaterThan(0);
      expect(checkpoints.every((checkpoint) => checkpoint !== null)).toBe(true);
      for (const checkpoint of checkpoints) await expect(checkpoint).resolves.toBeGreaterThan(0);
      expect(reads.threads).toBe(1);
    } finally {
      hosted.mockRestore();
      await lab.stop();
    }
  });

  it('serve the portal pages: every list, get, the dashboard and the system page read in them', async () => {
    const lab = await startTestApp({ database: 'sqlite', broker: 'embedded', seed: LAB_SEED });
    const threaded = jest.spyOn(ReadPool.prototype, 'query');
    try {
      const client = await adminClient(lab);
      const pages = [
        '/api/machines/status',
        '/api/machines/1/status',
        '/api/machines',
        '/api/machines/1',
        '/api/members',
        '/api/members/1',
        '/api/roles',
        '/api/machine-types',
        '/api/authorizations',
        '/api/boards',
        '/api/maintenance-plans',
        '/api/interventions',
        '/api/usage',
        '/api/access-events',
        '/api/audit',
        '/api/system',
      ];
      const unthreaded: string[] = [];
      for (const page of pages) {
        threaded.mockClear();
        const response = await client.get(page);
        expect({ page, status: response.status }).toEqual({ page, status: 200 });
        if (threaded.mock.calls.length === 0) unthreaded.push(page);
      }
      expect(unthreaded).toEqual([]);
    } finally {
      threaded.mockRestore();
      await lab.stop();
    }
  });

  it('without reader threads (READ_WORKERS=0), the same read makes the boards wait: what the threads avoid', async () => {
    const lab = await startTestApp({
      database: 'sqlite',
      broker: 'embedded',
      seed: LAB_SEED,
      env: { READ_WORKERS: '0', ...UNLIMITED_BOARD_RATE },
    });
    try {
      const reads = lab.running.app.get(PortalReads);
      // The read blocks the event loop for its whole length (seconds on a busy machine): wait it out.
      const { latencies } = await repliesDuring(lab, () => reads.get(LONG_READ), 60_000);
      expect(reads.threads).toBe(0);
      expect(Math.max(...latencies)).toBeGreaterThan(NEVER_LATER_MS);
    } finally {
      await lab.stop();
    }
  }, 120_000);
});

describe('portal reads on postgres: the reports’ reader thread', () => {
  it('starts while staff browse, so a first report does not wait for it, and stops once they stop', async () => {
    const lab = await startTestApp({
      database: 'postgres',
      broker: 'embedded',
      seed: LAB_SEED,
      env: { READ_WORKERS_IDLE_SECONDS: '1' },
    });
    const reads = lab.running.app.get(PortalReads);
    const until = async (threads: number) => {
      const deadline = Date.now() + 10_000;
      while (reads.threads !== threads) {
        if (Date.now() > deadline) throw new Error(`reader threads stayed ${reads.threads}, not ${threads}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    try {
      // Nobody signed in: public routes start nothing.
      const anonymous = new ApiClient(lab.running.httpUrl);
      expect((await anonymous.get('/health')).status).toBe(200);
      expect((await anonymous.get('/api/machines')).status).toBe(401);
      expect(reads.threads).toBe(0);

      const client = await adminClient(lab);
      await until(0);
      // Staff browsing for longer than the idle period keep the one thread running.
      const starts = jest.spyOn(ReadPool.prototype as unknown as { start(): unknown }, 'start');
      try {
        for (let i = 0; i < 6; i++) {
          expect((await client.get('/api/machines')).status).toBe(200);
          expect(reads.threads).toBe(1);
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
        // The report runs in the thread already started, not in a second one.
        const report = await client.get('/api/reports/usage-by-week?tz=UTC');
        expect(report.status).toBe(200);
        expect(reads.threads).toBe(1);
        expect(starts).toHaveBeenCalledTimes(1);
      } finally {
        starts.mockRestore();
      }
      await until(0);
    } finally {
      await lab.stop();
    }
    expect(reads.threads).toBe(0);
  });
});

describe('portal reads on an in-memory SQLite', () => {
  it('read on its one connection: a thread could not see it', async () => {
    const dataSource = createDataSource({ DATABASE_URL: 'sqlite::memory:', SQLITE_SYNCHRONOUS: 'NORMAL' });
    await dataSource.initialize();
    const reads = new PortalReads(dataSource, new UnitOfWork(dataSource), {
      READ_WORKERS: 2,
      READ_WORKERS_IDLE_SECONDS: 60,
    });
    try {
      await dataSource.runMigrations();
      await dataSource.query(`INSERT INTO "roles" ("name") VALUES ('Makers')`);
      expect(await reads.get('SELECT "name" FROM "roles"')).toEqual({ name: 'Makers' });
      expect(await reads.manager.countBy(Role, { name: 'Makers' })).toBe(1);
      expect(reads.threads).toBe(0);
    } finally {
      await reads.onApplicationShutdown();
      await dataSource.destroy();
    }
  });
});
