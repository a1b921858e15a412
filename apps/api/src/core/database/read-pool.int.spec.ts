import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Worker } from 'node:worker_threads';
import { ReadFailedError, ReadPool } from './read-pool';

/** Heavy enough to still run when the test acts on it (~1 s), light enough for CI. */
const LONG_READ =
  'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000000) SELECT count(*) AS c FROM n';

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('ReadPool (reader threads on a SQLite file)', () => {
  let dir: string;
  let file: string;
  let writer: Database.Database;
  const pools: ReadPool[] = [];
  const pool = (size = 2, idleMs = 60_000) => {
    const created = new ReadPool({ file, size, idleMs });
    pools.push(created);
    return created;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fabomatic-reads-'));
    file = join(dir, 'reads.db');
    writer = new Database(file);
    writer.pragma('journal_mode = WAL');
    writer.exec(
      'CREATE TABLE "cards" ("id" INTEGER PRIMARY KEY, "uid" TEXT NOT NULL, "active" INTEGER NOT NULL)',
    );
    const insert = writer.prepare('INSERT INTO "cards" ("uid", "active") VALUES (?, ?)');
    for (let i = 1; i <= 5; i++) insert.run(`card-${i}`, i % 2);
  });
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
  });
  afterAll(() => {
    writer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('packs an all-numbers read into one table, NULL as 0, and still answers ordinary reads after it', async () => {
    const reads = pool(1);
    const table = await reads.numbers(
      'SELECT "id", "active", CASE WHEN "id" = 2 THEN NULL ELSE "id" * 1000 END AS ms FROM "cards" ORDER BY "id"',
    );
    expect(table.columns).toBe(3);
    expect([...table.values]).toEqual([1, 1, 1000, 2, 0, 0, 3, 1, 3000, 4, 0, 4000, 5, 1, 5000]);
    // The same statement again, as rows: the thread's cached statement is not left in raw mode.
    expect(
      await reads.all(
        'SELECT "id", "active", CASE WHEN "id" = 2 THEN NULL ELSE "id" * 1000 END AS ms FROM "cards" WHERE "id" = ?',
        [2],
      ),
    ).toEqual([{ id: 2, active: 0, ms: null }]);
    expect((await reads.numbers('SELECT "id" FROM "cards" WHERE "id" > 99')).values.length).toBe(0);
    // Columns of one name (which SQLite's packed text cannot tell apart), decimals and negatives.
    const mixed = await reads.numbers(
      'SELECT "id", "id", -"id" / 4.0 AS "q" FROM "cards" WHERE "id" <= 2 ORDER BY "id"',
    );
    expect(mixed.columns).toBe(3);
    expect([...mixed.values]).toEqual([1, 1, -0.25, 2, 2, -0.5]);
    const decimals = await reads.numbers(
      'SELECT "id", -"id" / 4.0 AS "q" FROM "cards" WHERE "id" <= 2 ORDER BY "id"',
    );
    expect([...decimals.values]).toEqual([1, -0.25, 2, -0.5]);
  });

  it('returns the rows of a read, binding booleans as 0/1 and nulls', async () => {
    const reads = pool();
    expect(await reads.all('SELECT "uid" FROM "cards" WHERE "active" = ? ORDER BY "id"', [true])).toEqual([
      { uid: 'card-1' },
      { uid: 'card-3' },
      { uid: 'card-5' },
    ]);
    expect(await reads.all('SELECT count(*) AS n FROM "cards" WHERE "active" = ?', [false])).toEqual([
      { n: 2 },
    ]);
    expect(await reads.get('SELECT ? IS NULL AS missing, ? AS name', [null, 'x'])).toEqual({
      missing: 1,
      name: 'x',
    });
    expect(await reads.get('SELECT "uid" FROM "cards" WHERE "id" = ?', [99])).toBeUndefined();
  });

  it('sees what the writer committed after the thread opened', async () => {
    const reads = pool(1);
    const before = await reads.get<{ n: number }>('SELECT count(*) AS n FROM "cards"');
    writer.prepare('INSERT INTO "cards" ("uid", "active") VALUES (?, ?)').run('late', 1);
    expect(await reads.get('SELECT count(*) AS n FROM "cards"')).toEqual({ n: (before?.n ?? 0) + 1 });
    writer.prepare('DELETE FROM "cards" WHERE "uid" = ?').run('late');
  });

  it('rejects a failing read with the SQLite error, and keeps serving', async () => {
    const reads = pool(1);
    await expect(reads.all('SELECT * FROM "no_such_table"')).rejects.toThrow(/no such table: no_such_table/);
    await expect(reads.all('SELEC 1')).rejects.toBeInstanceOf(ReadFailedError);
    expect(await reads.get('SELECT 1 AS one')).toEqual({ one: 1 });
  });

  it('refuses a statement that writes, and the file is unchanged', async () => {
    const reads = pool(1);
    await expect(reads.all('DELETE FROM "cards"')).rejects.toMatchObject({ code: 'NOT_A_READ' });
    await expect(
      reads.all('INSERT INTO "cards" ("uid", "active") VALUES (?, ?) RETURNING "id"', ['x', 1]),
    ).rejects.toThrow(/readonly/i);
    expect(writer.prepare('SELECT count(*) AS n FROM "cards"').get()).toEqual({ n: 5 });
  });

  it('runs reads side by side, up to its size, and queues the others', async () => {
    const reads = pool(2);
    const results = await Promise.all([
      reads.get(LONG_READ),
      reads.get(LONG_READ),
      reads.get('SELECT 2 AS two'),
    ]);
    expect(results).toEqual([{ c: 5_000_000 }, { c: 5_000_000 }, { two: 2 }]);
    expect(reads.threads).toBe(2);
  });

  it('fails the read of a thread that dies, and replaces the thread', async () => {
    const reads = pool(1);
    const running = reads.get(LONG_READ).catch((error: unknown) => error);
    await until(() => reads.threads === 1);
    const [reader] = (reads as unknown as { readers: { worker: Worker }[] }).readers;
    await reader?.worker.terminate();
    expect(await running).toMatchObject({ message: expect.stringMatching(/stopped/) });
    expect(await reads.get('SELECT 3 AS three')).toEqual({ three: 3 });
    expect(reads.threads).toBe(1);
  });

  it('fails every read when the file cannot be opened, never hangs', async () => {
    const reads = new ReadPool({ file: join(dir, 'missing.db'), size: 1, idleMs: 60_000 });
    pools.push(reads);
    await expect(reads.get('SELECT 1')).rejects.toThrow();
    await expect(reads.get('SELECT 1')).rejects.toThrow();
  });

  it('stops its threads after the idle period, and starts again on the next read', async () => {
    const reads = pool(2, 100);
    await reads.get('SELECT 1');
    expect(reads.threads).toBe(1);
    await until(() => reads.threads === 0);
    expect(await reads.get('SELECT 4 AS four')).toEqual({ four: 4 });
    expect(reads.threads).toBe(1);
  });

  it('on close, fails the reads in flight and refuses new ones', async () => {
    const reads = pool(1);
    const running = reads.get(LONG_READ).catch((error: unknown) => error);
    const queued = reads.get('SELECT 1').catch((error: unknown) => error);
    await until(() => reads.threads === 1);
    await reads.close();
    expect(await running).toBeInstanceOf(Error);
    expect(await queued).toMatchObject({ message: expect.stringMatching(/closed/) });
    await expect(reads.get('SELECT 1')).rejects.toThrow(/closed/);
    expect(reads.threads).toBe(0);
  });
});
