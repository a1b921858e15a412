import Database from 'better-sqlite3';
import { expectedSchema, schemaDifferences, schemaLinesOf } from './restore-schema';
import { SQLITE_MIGRATIONS } from './migrations';

function schemaOf(sql: string) {
  const db = new Database(':memory:');
  try {
    db.exec(sql);
    return schemaLinesOf(db);
  } finally {
    db.close();
  }
}

describe('restore schema comparison', () => {
  it('names what is unknown, missing or changed', () => {
    const expected = schemaOf(
      'CREATE TABLE t (a INTEGER NOT NULL, b TEXT); CREATE INDEX i ON t (a); CREATE TABLE u (x INTEGER)',
    );
    const actual = schemaOf(
      'CREATE TABLE t (a INTEGER, b TEXT, c TEXT); CREATE UNIQUE INDEX i ON t (a); CREATE TABLE v (x INTEGER)',
    );
    expect(schemaDifferences(actual, expected)).toEqual([
      'changed column t.a',
      'changed index i',
      'missing column u.x',
      'missing table u',
      'unknown column t.c',
      'unknown column v.x',
      'unknown table v',
    ]);
    expect(schemaDifferences(expected, expected)).toEqual([]);
  });

  it('compares a partial index by its condition, and a foreign key by what it points at', () => {
    const base = 'CREATE TABLE p (id INTEGER PRIMARY KEY); ';
    const expected = schemaOf(
      `${base}CREATE TABLE c (p INTEGER REFERENCES p (id) ON DELETE CASCADE); CREATE INDEX w ON c (p) WHERE p > 0`,
    );
    const actual = schemaOf(
      `${base}CREATE TABLE c (p INTEGER REFERENCES p (id)); CREATE INDEX w ON c (p) WHERE p > 1`,
    );
    expect(schemaDifferences(actual, expected)).toEqual(['changed foreign key c.p', 'changed index w']);
  });

  it('expects of a database the schema its own migrations make', async () => {
    const all = SQLITE_MIGRATIONS.map((m) => m.name);
    const latest = await expectedSchema(all);
    const first = await expectedSchema(all.slice(0, 1));
    expect(latest.has('table members')).toBe(true);
    expect(first.has('table portal_sessions')).toBe(false);
    expect(latest.has('table portal_sessions')).toBe(true);
  });
});
