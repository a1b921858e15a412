import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
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

  it('gives the checkpoints back to the writer when the thread cannot open the database', async () => {
    const checkpointer = new WalCheckpointer(db, { file: join(dir, 'missing.db'), everyCommits: 5 });
    commit(checkpointer, 5);
    await until(() => !checkpointer.active);
    expect(checkpointer.active).toBe(false);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await checkpointer.close();
  });
});
