import type Database from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { SQLITE_MIGRATIONS } from './migrations';

/**
 * A database's schema as comparable lines, one per table, column, index and foreign key (SQLite's
 * own objects left out): `column members.email TEXT null default NULL`, …
 */
export type SchemaLines = ReadonlyMap<string, string>;

type Row = Record<string, unknown>;

export function schemaLinesOf(db: Database.Database): SchemaLines {
  const lines = new Map<string, string>();
  const objects = db
    .prepare(
      "SELECT type, name, tbl_name AS tableName, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    )
    .all() as { type: string; name: string; tableName: string; sql: string | null }[];
  for (const object of objects) {
    if (object.type !== 'table' && object.type !== 'index') {
      lines.set(`${object.type} ${object.name}`, object.type);
      continue;
    }
    if (object.type === 'index') continue;
    const table = object.name;
    lines.set(`table ${table}`, 'table');
    for (const c of db.prepare('SELECT * FROM pragma_table_xinfo(?)').all(table) as Row[]) {
      lines.set(
        `column ${table}.${String(c['name'])}`,
        `${String(c['type'])} ${c['notnull'] ? 'not null' : 'null'} default ${String(c['dflt_value'])} pk ${String(c['pk'])} hidden ${String(c['hidden'])}`,
      );
    }
    for (const i of db.prepare('SELECT * FROM pragma_index_list(?)').all(table) as Row[]) {
      const name = String(i['name']);
      const columns = (db.prepare('SELECT * FROM pragma_index_xinfo(?) WHERE key = 1').all(name) as Row[])
        .map((k) => `${String(k['name'])} ${k['desc'] ? 'desc' : 'asc'} ${String(k['coll'])}`)
        .join(', ');
      const sql = objects.find((o) => o.type === 'index' && o.name === name)?.sql ?? '';
      const where = /\bWHERE\b([\s\S]*)$/i.exec(sql)?.[1]?.replace(/\s+/g, ' ').trim() ?? '';
      lines.set(
        `index ${name}`,
        `on ${table} (${columns}) ${i['unique'] ? 'unique' : ''} ${String(i['origin'])} ${where}`.trim(),
      );
    }
    for (const f of db.prepare('SELECT * FROM pragma_foreign_key_list(?)').all(table) as Row[]) {
      lines.set(
        `foreign key ${table}.${String(f['from'])}`,
        `${String(f['table'])}.${String(f['to'])} on update ${String(f['on_update'])} on delete ${String(f['on_delete'])}`,
      );
    }
  }
  return lines;
}

/** The schemas of fresh databases migrated up to a set of migrations, computed once per set. */
const expectedBySet = new Map<string, Promise<SchemaLines>>();

/**
 * The schema a FabOMatic database with exactly these migrations applied has: a scratch in-memory
 * database migrated by the same migrations. A backup of an older version is compared with the
 * schema of that version (its missing migrations run at start).
 */
export function expectedSchema(applied: readonly string[]): Promise<SchemaLines> {
  const wanted = new Set(applied);
  const migrations = SQLITE_MIGRATIONS.filter((m) => wanted.has(m.name));
  const key = migrations.map((m) => m.name).join(',');
  let expected = expectedBySet.get(key);
  if (!expected) {
    expected = (async () => {
      const scratch = new DataSource({
        type: 'better-sqlite3',
        database: ':memory:',
        entities: [],
        migrations,
        synchronize: false,
        logging: false,
      });
      await scratch.initialize();
      try {
        await scratch.runMigrations({ transaction: 'each' });
        const db = (scratch.driver as unknown as { databaseConnection: Database.Database })
          .databaseConnection;
        return schemaLinesOf(db);
      } finally {
        await scratch.destroy();
      }
    })();
    expected.catch(() => expectedBySet.delete(key));
    expectedBySet.set(key, expected);
  }
  return expected;
}

/** What differs from the expected schema, as short phrases (`unknown table x`, `changed column t.c`). */
export function schemaDifferences(actual: SchemaLines, expected: SchemaLines): string[] {
  const differences: string[] = [];
  for (const [name, shape] of actual) {
    const wanted = expected.get(name);
    if (wanted === undefined) differences.push(`unknown ${name}`);
    else if (wanted !== shape) differences.push(`changed ${name}`);
  }
  for (const name of expected.keys()) if (!actual.has(name)) differences.push(`missing ${name}`);
  return differences.sort();
}
