import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { AppConfig } from '../core/config/config.schema';
import { databaseKind, sqlitePath } from '../core/database/data-source';

export interface BackupResult {
  readonly file: string;
  readonly bytes: number;
}

/**
 * `fabomatic backup <file>`: a consistent snapshot of the SQLite database through SQLite's online
 * backup, safe while the app runs and writes. Written beside the target and renamed into place, so
 * the file is never half-written. PostgreSQL is backed up with pg_dump.
 */
export async function backupDatabase(config: AppConfig, target: string): Promise<BackupResult> {
  if (databaseKind(config.DATABASE_URL) !== 'sqlite') {
    throw new Error(
      'backup works on SQLite only: back up PostgreSQL with pg_dump, e.g. pg_dump -Fc "$DATABASE_URL" > fabomatic.dump',
    );
  }
  const source = sqlitePath(config.DATABASE_URL);
  const file = resolve(target);
  if (source === ':memory:') throw new Error('an in-memory database cannot be backed up');
  if (!existsSync(source)) throw new Error(`no database at ${source} (DATABASE_URL)`);
  if (file === source) throw new Error('the backup file must not be the database itself');
  const partial = `${file}.partial`;
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    await db.backup(partial);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    db.close();
  }
  // A single self-contained file (no -wal beside it), checked before it replaces anything.
  const check = new Database(partial, { fileMustExist: true });
  let ok: unknown;
  try {
    check.pragma('journal_mode = DELETE');
    ok = check.pragma('quick_check', { simple: true });
  } finally {
    check.close();
  }
  if (ok !== 'ok') {
    rmSync(partial, { force: true });
    throw new Error(`the snapshot failed its integrity check (${String(ok)}): nothing written`);
  }
  renameSync(partial, file);
  return { file, bytes: statSync(file).size };
}
