import type { DataSource } from 'typeorm';
import { createDataSource } from './data-source';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database';
import { UnitOfWork } from './unit-of-work';

/** The SQLite group commit: units queued together share a commit, and one failure loses no other. */
describe('UnitOfWork.runSql on SQLite', () => {
  let scratch: ScratchDatabase;
  let dataSource: DataSource;
  let uow: UnitOfWork;

  beforeAll(async () => {
    scratch = await createScratchDatabase('sqlite');
    dataSource = createDataSource({ DATABASE_URL: scratch.url, SQLITE_SYNCHRONOUS: 'NORMAL' });
    await dataSource.initialize();
    await dataSource.query('CREATE TABLE "notes" ("id" INTEGER PRIMARY KEY, "text" TEXT NOT NULL UNIQUE)');
    uow = new UnitOfWork(dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
    await scratch.drop();
  });

  beforeEach(() => dataSource.query('DELETE FROM "notes"'));

  const texts = async () =>
    (await dataSource.query<{ text: string }[]>('SELECT "text" FROM "notes" ORDER BY "id"')).map(
      (r) => r.text,
    );
  const insert = (text: string) =>
    uow.runSql(async (sql) => {
      await sql.run('INSERT INTO "notes" ("text") VALUES (?)', [text]);
      return (await sql.get<{ n: number }>('SELECT COUNT(*) AS "n" FROM "notes"'))?.n;
    });

  it('commits units queued together and resolves each with its own result', async () => {
    const results = await Promise.all(['a', 'b', 'c'].map(insert));
    expect(results).toEqual([1, 2, 3]);
    expect(await texts()).toEqual(['a', 'b', 'c']);
  });

  it('keeps the writes of the other units when one unit of the group fails', async () => {
    const outcomes = await Promise.allSettled([
      insert('first'),
      insert('dup'),
      insert('dup'), // violates UNIQUE: this unit alone fails
      uow.runSql(async (sql) => {
        await sql.run('INSERT INTO "notes" ("text") VALUES (?)', ['half']);
        throw new Error('failed after a write');
      }),
      insert('last'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
    ]);
    expect(outcomes[3]).toMatchObject({ reason: new Error('failed after a write') });
    // The failed units' writes are gone (the half-done one too); every other is there, once.
    expect(await texts()).toEqual(['first', 'dup', 'last']);
    expect(outcomes[4]).toEqual({ status: 'fulfilled', value: 3 });
  });

  it('rejects a unit failing alone in its commit, with its own error and nothing written', async () => {
    await expect(
      uow.runSql(async (sql) => {
        await sql.run('INSERT INTO "notes" ("text") VALUES (?)', ['alone']);
        throw new Error('alone failed');
      }),
    ).rejects.toThrow('alone failed');
    expect(await texts()).toEqual([]);
    expect(await insert('after')).toBe(1);
  });
});
