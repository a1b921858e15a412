import Database from 'better-sqlite3';
import { Client } from 'pg';
import { HISTORY_TABLES, type Row, type RowSink, type TableSpec } from './generate';

/**
 * Bulk writers of generated rows into a database whose schema the app's migrations created. The
 * history tables' secondary indexes are dropped for the load and created again after it (loading
 * millions of rows into indexed tables is several times slower), from their own stored definitions,
 * so whatever indexes the migrations of the day define are the ones the benchmark measures.
 */
export interface BulkSink extends RowSink {
  /** Rebuilds the dropped indexes, fixes id sequences, refreshes planner statistics, closes. */
  finish(): Promise<void>;
  /** Closes without finishing (after a failure). */
  abort(): Promise<void>;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** SQLite through better-sqlite3: one prepared INSERT per table, one transaction per batch. */
export function sqliteSink(file: string): BulkSink {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -200000');
  const tables = HISTORY_TABLES.map((t) => `'${t}'`).join(',');
  const indexes = db
    .prepare(
      `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${tables})`,
    )
    .all() as { name: string; sql: string }[];
  for (const index of indexes) db.exec(`DROP INDEX ${quote(index.name)}`);
  const statements = new Map<string, Database.Statement>();
  const statementFor = (table: TableSpec): Database.Statement => {
    let statement = statements.get(table.name);
    if (!statement) {
      const columns = table.columns.map(([c]) => quote(c)).join(', ');
      const values = table.columns.map(() => '?').join(', ');
      statement = db.prepare(`INSERT INTO ${quote(table.name)} (${columns}) VALUES (${values})`);
      statements.set(table.name, statement);
    }
    return statement;
  };
  const insertMany = db.transaction((statement: Database.Statement, rows: readonly Row[]) => {
    for (const row of rows) statement.run(row.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v)));
  });
  return {
    insert(table, rows) {
      insertMany(statementFor(table), rows);
      return Promise.resolve();
    },
    setUsageSeconds(rows) {
      const update = db.prepare('UPDATE "machines" SET "usageSeconds" = ? WHERE "id" = ?');
      db.transaction(() => {
        for (const [id, seconds] of rows) update.run(seconds, id);
      })();
      return Promise.resolve();
    },
    finish() {
      for (const index of indexes) db.exec(index.sql);
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
      return Promise.resolve();
    },
    abort() {
      db.close();
      return Promise.resolve();
    },
  };
}

const PG_TYPES = { int: 'int4', bigint: 'int8', text: 'text', bool: 'bool', float: 'float8' } as const;
/** Rows per INSERT … SELECT FROM unnest(arrays): one array parameter per column. */
const PG_BATCH = 20_000;

/** PostgreSQL through pg: batched `INSERT … SELECT * FROM unnest($1::type[], …)`, FK triggers off. */
export async function postgresSink(url: string): Promise<BulkSink> {
  const client = new Client({ connectionString: url });
  await client.connect();
  // Skips FK checks during the load (rows are written parents first anyway); needs a superuser.
  const replica = await client
    .query("SET session_replication_role = 'replica'")
    .then(() => true)
    .catch(() => false);
  const tables = HISTORY_TABLES.map((t) => `'${t}'`).join(',');
  const { rows: indexes } = await client.query<{ name: string; sql: string }>(
    `SELECT i.indexname AS name, i.indexdef AS sql FROM pg_indexes i
      WHERE i.schemaname = current_schema() AND i.tablename IN (${tables})
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
  );
  for (const index of indexes) await client.query(`DROP INDEX ${quote(index.name)}`);
  const touched = new Set<string>();
  return {
    async insert(table, rows) {
      touched.add(table.name);
      const columns = table.columns.map(([c]) => quote(c)).join(', ');
      const arrays = table.columns.map((_, i) => `$${i + 1}::${PG_TYPES[table.columns[i]?.[1] ?? 'text']}[]`);
      const sql = `INSERT INTO ${quote(table.name)} (${columns}) SELECT * FROM unnest(${arrays.join(', ')})`;
      for (let from = 0; from < rows.length; from += PG_BATCH) {
        const batch = rows.slice(from, from + PG_BATCH);
        await client.query(
          sql,
          table.columns.map((_, i) => batch.map((row) => row[i] ?? null)),
        );
      }
    },
    async setUsageSeconds(rows) {
      await client.query(
        `UPDATE "machines" m SET "usageSeconds" = u.seconds
           FROM unnest($1::int4[], $2::int8[]) AS u(id, seconds) WHERE m."id" = u.id`,
        [rows.map(([id]) => id), rows.map(([, seconds]) => seconds)],
      );
    },
    async finish() {
      if (replica) await client.query("SET session_replication_role = 'origin'");
      for (const index of indexes) await client.query(index.sql);
      for (const table of touched) {
        await client.query(
          `SELECT setval(pg_get_serial_sequence($1, 'id'), GREATEST((SELECT MAX("id") FROM ${quote(table)}), 1))`,
          [quote(table)],
        );
      }
      // A database grown over years has planner statistics (autovacuum): so should this one.
      await client.query('ANALYZE');
      await client.end();
    },
    async abort() {
      await client.end();
    },
  };
}
