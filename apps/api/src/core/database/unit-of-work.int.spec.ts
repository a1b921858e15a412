import type { DataSource } from 'typeorm';
import { createDataSource } from './data-source';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database';
import { EventBus } from '../events/event-bus';
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

/** Domain events reach the bus after COMMIT, in order, once; never for a rolled-back write. */
describe.each(['sqlite', 'postgres'] as const)('UnitOfWork events on %s', (kind) => {
  let scratch: ScratchDatabase;
  let dataSource: DataSource;
  let uow: UnitOfWork;
  let heard: string[];
  /** What a listener saw in the database when the event reached it. */
  let seen: number[];
  /** The listener's reads, awaited before the next test and the teardown (none may outlive the pool). */
  let reads: Promise<unknown>[] = [];

  beforeAll(async () => {
    scratch = await createScratchDatabase(kind);
    dataSource = createDataSource({ DATABASE_URL: scratch.url, SQLITE_SYNCHRONOUS: 'NORMAL' });
    await dataSource.initialize();
    const id = kind === 'sqlite' ? 'INTEGER PRIMARY KEY' : 'SERIAL PRIMARY KEY';
    await dataSource.query(`CREATE TABLE "notes" ("id" ${id}, "text" TEXT NOT NULL UNIQUE)`);
    const bus = new EventBus();
    uow = new UnitOfWork(dataSource, bus);
    bus.subscribe('plan-changed', ({ machineId }) => {
      heard.push(`plan ${machineId}`);
      // Read outside the transaction: a listener must find the change committed.
      reads.push(
        dataSource
          .query<{ n: number | string }[]>('SELECT COUNT(*) AS "n" FROM "notes"')
          .then(([row]) => seen.push(Number(row?.n))),
      );
    });
    bus.subscribe('member-changed', ({ memberId }) => heard.push(`member ${memberId}`));
  });

  afterEach(async () => {
    await Promise.all(reads);
    reads = [];
  });

  afterAll(async () => {
    await dataSource.destroy();
    await scratch.drop();
  });

  beforeEach(async () => {
    heard = [];
    seen = [];
    await dataSource.query('DELETE FROM "notes"');
  });

  const note = (text: string, machineId: number) =>
    uow.runSql(async (sql, events) => {
      await sql.run('INSERT INTO "notes" ("text") VALUES (?)', [text]);
      events.publish('plan-changed', { machineId });
    });

  it('publishes a TypeORM transaction’s events after its commit, in order', async () => {
    const value = await uow.run(async (em, events) => {
      events.publish('member-changed', { memberId: 1 });
      await em.query(
        kind === 'sqlite'
          ? 'INSERT INTO "notes" ("text") VALUES (?)'
          : 'INSERT INTO "notes" ("text") VALUES ($1)',
        ['x'],
      );
      events.publish('plan-changed', { machineId: 2 });
      expect(heard).toEqual([]);
      return 'done';
    });
    expect(value).toBe('done');
    expect(heard).toEqual(['member 1', 'plan 2']);
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual([1]);
  });

  it('publishes nothing when the transaction rolls back', async () => {
    await expect(
      uow.run(async (_em, events) => {
        events.publish('member-changed', { memberId: 1 });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await expect(
      uow.runSql(async (_sql, events) => {
        events.publish('member-changed', { memberId: 2 });
        throw new Error('rolled back too');
      }),
    ).rejects.toThrow('rolled back too');
    expect(heard).toEqual([]);
  });

  it('publishes the events of the units that committed, once each, when one unit of a group fails', async () => {
    const outcomes = await Promise.allSettled([note('a', 1), note('dup', 2), note('dup', 3), note('b', 4)]);
    const status = outcomes.map((o) => o.status);
    expect([status[0], status[3]]).toEqual(['fulfilled', 'fulfilled']);
    // Exactly one of the two duplicates commits: on SQLite the first of the group, on PostgreSQL
    // whichever transaction gets there first (they run concurrently).
    expect([status[1], status[2]].sort()).toEqual(['fulfilled', 'rejected']);
    const winner = status[1] === 'fulfilled' ? 'plan 2' : 'plan 3';
    expect([...heard].sort()).toEqual(['plan 1', winner, 'plan 4'].sort());
  });
});
