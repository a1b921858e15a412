import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ReadPool } from './read-pool';
import { SAFETY_AUTOCHECKPOINT_PAGES, WalCheckpointer } from './wal-checkpointer';

/** WAL checkpoints in a thread: the writer never checkpoints inside a commit, and nothing is lost. */
describe('WalCheckpointer', () => {
  let dir: string;
  let file: string;
  let db: Database.Database;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fabomatic-wal-'));
    file = join(dir, 'wal.db');
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE "notes" ("id" INTEGER PRIMARY KEY, "text" TEXT NOT NULL)');
  });

  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const commit = (checkpointer: WalCheckpointer, n: number) => {
    const insert = db.prepare('INSERT INTO "notes" ("text") VALUES (?)');
    for (let i = 0; i < n; i++) {
      db.exec('BEGIN IMMEDIATE');
      insert.run(`note ${i} ${'x'.repeat(2000)}`);
      db.exec('COMMIT');
      checkpointer.committed();
    }
  };
  const until = async (done: () => boolean) => {
    for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 25));
  };

  it('leaves the writer’s automatic checkpoints as a safety net and checkpoints in the thread every N commits', async () => {
    const checkpointer = new WalCheckpointer(db, { file, everyCommits: 50, idleMs: 100 });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(SAFETY_AUTOCHECKPOINT_PAGES);
    commit(checkpointer, 49);
    expect(checkpointer.checkpoints).toBe(0);
    // Nothing checkpointed yet: the rows are only in the WAL, the database file holds the schema.
    expect(statSync(file).size).toBeLessThan(20_000);
    commit(checkpointer, 1);
    await until(() => checkpointer.checkpoints === 1);
    expect(checkpointer.checkpoints).toBe(1);
    expect(checkpointer.active).toBe(true);
    // The thread copied the committed pages into the database file (50 rows of 2 KB).
    expect(statSync(file).size).toBeGreaterThan(100_000);
    expect(db.prepare('SELECT COUNT(*) AS "n" FROM "notes"').get()).toEqual({ n: 50 });
    await checkpointer.close();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });

  it('starts the thread again after it stopped idle', async () => {
    const checkpointer = new WalCheckpointer(db, { file, everyCommits: 10, idleMs: 50 });
    commit(checkpointer, 10);
    await until(() => checkpointer.checkpoints === 1);
    await new Promise((r) => setTimeout(r, 200));
    commit(checkpointer, 10);
    await until(() => checkpointer.checkpoints === 2);
    expect(checkpointer.checkpoints).toBe(2);
    await checkpointer.close();
  });

  it('checkpoints in the portal’s reader thread while one runs, without a thread of its own', async () => {
    const pool = new ReadPool({ file, size: 1, idleMs: 60_000 });
    const checkpointer = new WalCheckpointer(db, { file, everyCommits: 20, idleMs: 100 });
    checkpointer.shareThread(pool);
    try {
      // No reader thread yet: the checkpointer starts its own.
      expect(pool.checkpoint(1)).toBeNull();
      commit(checkpointer, 20);
      await until(() => checkpointer.checkpoints === 1);
      expect(checkpointer.threadStarts).toBe(1);
      // Its thread stops idle; a portal read starts a reader thread, which takes the next ones.
      await new Promise((r) => setTimeout(r, 300));
      expect(await pool.get('SELECT COUNT(*) AS "n" FROM "notes"')).toEqual({ n: 20 });
      commit(checkpointer, 40);
      await until(() => checkpointer.checkpoints === 3);
      expect(checkpointer.checkpoints).toBe(3);
      expect(checkpointer.threadStarts).toBe(1);
      expect(pool.threads).toBe(1);
      // They copied the rows into the database file: a fresh connection reads them all.
      expect(statSync(file).size).toBeGreaterThan(100_000);
      const reader = new Database(file, { readonly: true });
      expect(reader.prepare('SELECT COUNT(*) AS "n" FROM "notes"').get()).toEqual({ n: 60 });
      reader.close();
    } finally {
      await checkpointer.close();
      await pool.close();
    }
  });

  it('does not keep the reader thread from stopping idle: its idle time counts from the last read', async () => {
    const pool = new ReadPool({ file, size: 1, idleMs: 400 });
    const checkpointer = new WalCheckpointer(db, { file, everyCommits: 5, idleMs: 100 });
    checkpointer.shareThread(pool);
    try {
      await pool.get('SELECT 1 AS "one"');
      // Checkpoints every ~50 ms for a second, none of them a read.
      for (let i = 0; i < 20; i++) {
        commit(checkpointer, 5);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(pool.threads).toBe(0);
      // Once the reader thread stopped, the checkpointer went back to a thread of its own.
      expect(checkpointer.threadStarts).toBe(1);
      expect(checkpointer.checkpoints).toBeGreaterThanOrEqual(10);
    } finally {
      await checkpointer.close();
      await pool.close();
    }
  });

  it('lets a bulk writer wait until the checkpoints have caught up with its commits', async () => {
    const checkpointer = new WalCheckpointer(db, { file, everyCommits: 10, idleMs: 100 });
    try {
      commit(checkpointer, 5);
      await checkpointer.settled(); // nothing due: at once
      expect(checkpointer.checkpoints).toBe(0);
      commit(checkpointer, 5);
      await checkpointer.settled();
      expect(checkpointer.checkpoints).toBe(1);
      // Weighted commits (a job's transactions) make a checkpoint due sooner.
      checkpointer.committed(10);
      await checkpointer.settled();
      expect(checkpointer.checkpoints).toBe(2);
      // A bulk writer's large transaction: a checkpoint due at once, whatever was counted.
      commit(checkpointer, 1);
      checkpointer.checkpointSoon();
      await checkpointer.settled();
      expect(checkpointer.checkpoints).toBe(3);
    } finally {
      await checkpointer.close();
    }
  });

  it('gives the checkpoints back to the writer when the thread cannot open the database', async () => {
    const checkpointer = new WalCheckpointer(db, { file: join(dir, 'missing.db'), everyCommits: 5 });
    commit(checkpointer, 5);
    await until(() => !checkpointer.active);
    expect(checkpointer.active).toBe(false);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await checkpointer.close();
  });
});
