import { copyFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { SQLITE_MIGRATIONS } from './migrations';
import { expectedSchema, schemaDifferences, schemaLinesOf } from './restore-schema';

/** Where an uploaded database waits for the next start. */
export const pendingRestorePath = (databasePath: string) => `${databasePath}.restore-pending`;
/** Who staged the pending restore, and its check: the audit entry written into the restored database. */
const pendingNotePath = (databasePath: string) => `${databasePath}.restore-pending.json`;
/** A restore applied at start whose follow-up (audit entry, erasures re-applied) is not done yet. */
export const appliedRestoreNotePath = (databasePath: string) => `${databasePath}.restore-applied.json`;

/** Who restored (a portal user's id and email), what the check found, and the file kept. */
export interface RestoreNote {
  readonly actor: { readonly id: number; readonly email: string } | 'cli' | 'system';
  readonly check: RestoreCheck;
  readonly stagedAt: string;
  readonly kept?: string | null;
}

/** The upload's tables, columns, indexes or foreign keys differ from the ones FabOMatic makes. */
export class RestoreSchemaMismatch extends Error {
  constructor(readonly differences: readonly string[]) {
    const shown = differences.slice(0, 10).join('; ');
    const more = differences.length > 10 ? ` (and ${differences.length - 10} more)` : '';
    super(`not a FabOMatic backup: its schema differs: ${shown}${more}`);
    this.name = 'RestoreSchemaMismatch';
  }
}

export interface RestoreCheck {
  readonly migrations: number;
  readonly members: number;
  readonly machines: number;
  readonly sessions: number;
}

const REQUIRED_TABLES = ['migrations', 'roles', 'members', 'machines', 'usage_sessions'];

/**
 * Checks an uploaded file is a FabOMatic SQLite database this version can run: a SQLite file that
 * passes its integrity check, with our tables, and only migrations this version knows (older ones
 * are fine: the missing migrations run at start), whose schema is exactly the one those migrations
 * make (no table, column, index or foreign key more, less or changed). Throws with the reason
 * otherwise ({@link RestoreSchemaMismatch} for a schema that differs).
 */
async function checkRestoreFile(file: string): Promise<RestoreCheck> {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch {
    throw new Error('not a SQLite database');
  }
  try {
    let integrity: unknown;
    try {
      // Nothing the file's schema defines (a view's or trigger's functions) runs while it is read.
      db.pragma('trusted_schema = OFF');
      integrity = db.pragma('integrity_check', { simple: true });
    } catch {
      throw new Error('not a SQLite database');
    }
    if (integrity !== 'ok') throw new Error(`the database is damaged: ${String(integrity)}`);
    // FabOMatic makes no triggers nor views: one in an upload would run inside the app once
    // restored (a trigger rewriting a member's role at every board tap).
    const foreign = db
      .prepare("SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view') ORDER BY name")
      .all() as { type: string; name: string }[];
    if (foreign.length > 0) {
      throw new Error(
        `not a FabOMatic backup: it holds ${foreign.map((o) => `${o.type} ${o.name}`).join(', ')}`,
      );
    }
    const tables = new Set(
      (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
        (t) => t.name,
      ),
    );
    const missing = REQUIRED_TABLES.filter((t) => !tables.has(t));
    if (missing.length > 0) {
      throw new Error(
        `not a FabOMatic database (missing ${missing.join(', ')}); a legacy FabOMatic database is imported with \`fabomatic import-legacy\``,
      );
    }
    const known = new Set(SQLITE_MIGRATIONS.map((m) => m.name));
    const applied = (db.prepare('SELECT name FROM migrations').all() as { name: string }[]).map(
      (m) => m.name,
    );
    const unknown = applied.filter((name) => !known.has(name));
    if (unknown.length > 0) throw new Error(`made by a newer FabOMatic (migrations ${unknown.join(', ')})`);
    // An extra table, a column changed (a NOT NULL dropped, a default added) or an index missing
    // would run under code that assumes our schema: refused, whatever it holds.
    const differences = schemaDifferences(schemaLinesOf(db), await expectedSchema(applied));
    if (differences.length > 0) throw new RestoreSchemaMismatch(differences);
    const dangling = db.pragma('foreign_key_check') as { table: string }[];
    if (dangling.length > 0) {
      const tablesOf = [...new Set(dangling.map((d) => d.table))].join(', ');
      throw new Error(`the database is inconsistent: rows pointing at nothing in ${tablesOf}`);
    }
    const count = (table: string) =>
      (db.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n;
    return {
      migrations: applied.length,
      members: count('members'),
      machines: count('machines'),
      sessions: count('usage_sessions'),
    };
  } finally {
    db.close();
  }
}

/**
 * Stages an uploaded file (written beside the database, so the move is a rename) once checked; it
 * replaces the database at the next start. The upload is removed when the check fails.
 */
export async function stageRestore(
  databasePath: string,
  upload: string,
  actor: RestoreNote['actor'],
  now = new Date(),
): Promise<RestoreCheck> {
  try {
    const check = await checkRestoreFile(upload);
    const note: RestoreNote = { actor, check, stagedAt: now.toISOString() };
    writeFileSync(pendingNotePath(databasePath), JSON.stringify(note), { mode: 0o600 });
    renameSync(upload, pendingRestorePath(databasePath));
    return check;
  } finally {
    // Opening a WAL-mode file leaves an empty -wal and -shm beside it: the upload is one file.
    for (const file of [upload, `${upload}-wal`, `${upload}-shm`]) rmSync(file, { force: true });
  }
}

/**
 * At start, before the database opens: a staged restore replaces the database, the previous one
 * being kept beside it as `<file>.before-restore-<time>`, and signs everyone out (the backup's
 * sessions and reset links are dropped). Returns the kept file, or null. Once the restored
 * database is migrated, {@link takeAppliedRestoreNote} gives the follow-up its note.
 */
export async function applyPendingRestore(databasePath: string, now = new Date()): Promise<string | null> {
  const pending = pendingRestorePath(databasePath);
  if (!existsSync(pending)) return null;
  const check = await checkRestoreFile(pending);
  const kept = `${databasePath}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`;
  if (existsSync(databasePath)) {
    // Fold a WAL left by a crash into the file first, so the kept copy is complete.
    const current = new Database(databasePath);
    current.pragma('wal_checkpoint(TRUNCATE)');
    current.close();
    copyFileSync(databasePath, kept);
  }
  for (const suffix of ['-wal', '-shm']) rmSync(`${databasePath}${suffix}`, { force: true });
  renameSync(pending, databasePath);
  for (const suffix of ['-wal', '-shm']) rmSync(`${pending}${suffix}`, { force: true });
  signEveryoneOut(databasePath);
  const note: RestoreNote = {
    ...(readNote(pendingNotePath(databasePath)) ?? { actor: 'system', stagedAt: now.toISOString() }),
    check,
    kept: existsSync(kept) ? kept : null,
  };
  writeFileSync(appliedRestoreNotePath(databasePath), JSON.stringify(note), { mode: 0o600 });
  rmSync(pendingNotePath(databasePath), { force: true });
  return kept;
}

function readNote(path: string): RestoreNote | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RestoreNote;
  } catch {
    return null;
  }
}

/** The note of a restore applied at start whose follow-up is not done yet, or null. */
export function appliedRestoreNote(databasePath: string): RestoreNote | null {
  return existsSync(appliedRestoreNotePath(databasePath))
    ? readNote(appliedRestoreNotePath(databasePath))
    : null;
}

/** The follow-up is committed: the note goes. */
export function forgetAppliedRestoreNote(databasePath: string): void {
  rmSync(appliedRestoreNotePath(databasePath), { force: true });
}

/** Credentials a restore must not bring back: they may have been revoked or used since the backup. */
const CREDENTIAL_TABLES = ['portal_sessions', 'password_reset_tokens'];

/**
 * A backup holds the portal sessions and reset links of its day: a session signed out or revoked
 * since, or a reset link already used, would be valid again. Everyone signs in again instead.
 */
function signEveryoneOut(databasePath: string): void {
  const db = new Database(databasePath);
  try {
    const tables = new Set(
      (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
        (t) => t.name,
      ),
    );
    for (const table of CREDENTIAL_TABLES) if (tables.has(table)) db.prepare(`DELETE FROM "${table}"`).run();
  } finally {
    db.close();
  }
}
