import { spawn } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { type GeneratedLab, type HistoryOptions, generateHistory } from './generate';
import { type BulkSink, postgresSink, sqliteSink } from './sinks';

/** Output of one `fabomatic` CLI run. */
export interface CliRun {
  readonly code: number | null;
  readonly output: string;
}

/** Runs `node bin/fabomatic.js <args>` from the workspace `root` with `env` added to ours. */
function runFabomatic(root: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'fabomatic.js'), ...args], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

async function mustRun(root: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  const run = await runFabomatic(root, args, env);
  if (run.code !== 0) throw new Error(`fabomatic ${args.join(' ')} failed (${run.code}):\n${run.output}`);
  return run.output;
}

/** Whether the built CLI lists `command` in its help (commands come and go with the code under test). */
async function hasCliCommand(root: string, command: string): Promise<boolean> {
  const help = await runFabomatic(root, ['help'], {});
  return new RegExp(`^\\s+${command}\\b`, 'm').test(help.output);
}

export type HistoryDatabase =
  { readonly kind: 'sqlite'; readonly file: string } | { readonly kind: 'postgres'; readonly url: string };

export const databaseUrl = (db: HistoryDatabase): string =>
  db.kind === 'sqlite' ? `sqlite:${db.file}` : db.url;

export interface PreparedHistory {
  readonly lab: GeneratedLab;
  readonly generationMs: number;
  /** Time of `fabomatic rebuild-aggregates`, null when the build has no such command. */
  readonly rebuildMs: number | null;
}

/**
 * Creates the schema with the app's own migrations (`fabomatic migrate`), bulk-loads a generated
 * history, then runs `fabomatic rebuild-aggregates` when the build has it (tables the app keeps
 * beside the history must be rebuilt from rows written behind its back). The database must be
 * empty: a fresh SQLite path or an empty PostgreSQL database.
 */
export async function prepareHistory(
  root: string,
  db: HistoryDatabase,
  options: HistoryOptions,
  log: (line: string) => void = () => undefined,
): Promise<PreparedHistory> {
  const env = { DATABASE_URL: databaseUrl(db) };
  const started = performance.now();
  await mustRun(root, ['migrate'], env);
  const sink: BulkSink = db.kind === 'sqlite' ? sqliteSink(db.file) : await postgresSink(db.url);
  let lab: GeneratedLab;
  try {
    let lastLog = 0;
    lab = await generateHistory(sink, options, (done, counts) => {
      if (performance.now() - lastLog < 10_000) return;
      lastLog = performance.now();
      log(
        `  ${(done * 100).toFixed(0)}%: ${counts['usage_sessions'] ?? 0} sessions, ${counts['access_events'] ?? 0} access events`,
      );
    });
    log('  rebuilding the history indexes…');
    await sink.finish();
  } catch (error) {
    await sink.abort();
    throw error;
  }
  const generationMs = performance.now() - started;
  let rebuildMs: number | null = null;
  if (await hasCliCommand(root, 'rebuild-aggregates')) {
    log('  fabomatic rebuild-aggregates…');
    const rebuildStarted = performance.now();
    await mustRun(root, ['rebuild-aggregates'], env);
    rebuildMs = performance.now() - rebuildStarted;
  } else {
    log('  note: this build has no `fabomatic rebuild-aggregates` command: skipped');
  }
  if (db.kind === 'postgres') {
    // Years of autovacuum have set the visibility map (index-only scans) and the statistics of every
    // table, the ones rebuilt just now included: a freshly loaded database has neither.
    log('  VACUUM ANALYZE…');
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query('VACUUM ANALYZE');
    } finally {
      await client.end();
    }
  }
  return { lab, generationMs, rebuildMs };
}

/** Removes a SQLite database and its WAL files. */
export function removeSqlite(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
}

/** Creates (dropping first) the PostgreSQL database `name` on the server of `serverUrl`; returns its URL. */
export async function recreatePostgres(serverUrl: string, name: string): Promise<string> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Whether the PostgreSQL database `name` exists on the server of `serverUrl`. */
export async function postgresExists(serverUrl: string, name: string): Promise<boolean> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return (rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}

/** Size on disk of the database: SQLite file plus WAL, or `pg_database_size`. */
export async function databaseBytes(db: HistoryDatabase): Promise<number> {
  if (db.kind === 'sqlite') {
    return ['', '-wal'].reduce((sum, suffix) => {
      const file = db.file + suffix;
      return sum + (existsSync(file) ? statSync(file).size : 0);
    }, 0);
  }
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ size: string }>(
      'SELECT pg_database_size(current_database()) AS size',
    );
    return Number(rows[0]?.size ?? 0);
  } finally {
    await client.end();
  }
}

/**
 * A portal admin for the benchmark: `fabomatic admin create`, or `admin reset-password` when it
 * exists already (a kept database); returns the one-time password the CLI printed.
 */
export async function adminOneTimePassword(
  root: string,
  db: HistoryDatabase,
  email: string,
): Promise<string> {
  const env = { DATABASE_URL: databaseUrl(db) };
  let run = await runFabomatic(root, ['admin', 'create', email, '--name', 'Bench'], env);
  if (run.code !== 0) run = await runFabomatic(root, ['admin', 'reset-password', email], env);
  const password = /one-time password: (\S+)/.exec(run.output)?.[1];
  if (run.code !== 0 || !password) throw new Error(`cannot get an admin password:\n${run.output}`);
  return password;
}
