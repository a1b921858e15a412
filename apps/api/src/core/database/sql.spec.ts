import Database from 'better-sqlite3';
import { SqliteRunner, stableBindings } from './sql';

describe('stableBindings', () => {
  it('puts a unary plus on every compared placeholder and leaves the others alone', () => {
    expect(
      stableBindings(
        'UPDATE "t" SET "a" = ?, "n" = "n" + ? WHERE "id" = ? AND "b" <> ? AND "c" >= ? AND "d"<? AND "e" IS NOT ? AND "f" is ? AND "g" IN (?, ?) LIMIT ?',
      ),
    ).toBe(
      'UPDATE "t" SET "a" = +?, "n" = "n" + ? WHERE "id" = +? AND "b" <> +? AND "c" >= +? AND "d"< +? AND "e" IS NOT +? AND "f" is +? AND "g" IN (?, ?) LIMIT ?',
    );
    expect(stableBindings('INSERT INTO "t" ("a", "b") VALUES (?, ?) RETURNING "id"')).toBe(
      'INSERT INTO "t" ("a", "b") VALUES (?, ?) RETURNING "id"',
    );
  });

  describe('on SQLite, the rewritten statements answer as the written ones', () => {
    let db: Database.Database;
    let runner: SqliteRunner;

    beforeEach(() => {
      db = new Database(':memory:');
      db.exec(`CREATE TABLE "t" ("id" integer PRIMARY KEY, "n" integer, "s" varchar(20), "flag" boolean, "x" integer);
        CREATE INDEX "t_n" ON "t" ("n", "x");
        CREATE INDEX "t_open" ON "t" ("n") WHERE "x" IS NULL;`);
      const insert = db.prepare('INSERT INTO "t" ("n", "s", "flag", "x") VALUES (?, ?, ?, ?)');
      for (let i = 0; i < 200; i++)
        insert.run(i % 7, i % 3 === 0 ? String(i) : `c${i}`, i % 2, i % 5 === 0 ? null : i);
      runner = new SqliteRunner(db);
    });
    afterEach(() => db.close());

    const written = (sql: string, params: unknown[]) => db.prepare(sql).all(...params);

    it.each<[string, string, unknown[], boolean]>([
      [
        'an integer equality with an order',
        'SELECT "id" FROM "t" WHERE "n" = ? ORDER BY "x" DESC',
        [3],
        true,
      ],
      [
        'a numeric string against an integer column',
        'SELECT "id" FROM "t" WHERE "n" = ? ORDER BY "id"',
        ['3'],
        true,
      ],
      [
        'a numeric string against a text column',
        'SELECT "id" FROM "t" WHERE "s" = ? ORDER BY "id"',
        ['9'],
        true,
      ],
      // A bound integer is not text to SQLite, written or rewritten: no row.
      ['an integer against a text column', 'SELECT "id" FROM "t" WHERE "s" = ? ORDER BY "id"', [9], false],
      ['a boolean', 'SELECT "id" FROM "t" WHERE "flag" = ? AND "n" = ? ORDER BY "id"', [1, 2], true],
      [
        'a range and a partial index',
        'SELECT "id" FROM "t" WHERE "n" = ? AND "x" IS NULL AND "id" >= ? ORDER BY "id"',
        [0, 20],
        true,
      ],
      ['IS with a null', 'SELECT "id" FROM "t" WHERE "x" IS ? AND "n" <> ? ORDER BY "id"', [null, 1], true],
      // `= NULL` matches nothing, written or rewritten.
      ['a comparison with null', 'SELECT "id" FROM "t" WHERE "x" = ? ORDER BY "id"', [null], false],
    ])('%s', async (_name, sql, params, someRows) => {
      const expected = written(sql, params);
      expect(expected.length > 0).toBe(someRows);
      await expect(runner.all(sql, params as never)).resolves.toEqual(expected);
      // Again, with the statement cached and its bindings cleared in between.
      await expect(runner.all(sql, params as never)).resolves.toEqual(expected);
    });

    it('writes through the rewritten placeholders', async () => {
      // i % 7 = 0 and i % 5 = 0 below 200: 0, 35, 70, 105, 140 and 175.
      expect(await runner.run('UPDATE "t" SET "x" = ? WHERE "n" = ? AND "x" IS NULL', [-1, 0])).toBe(6);
      expect(db.prepare('SELECT COUNT(*) AS c FROM "t" WHERE "x" = -1').get()).toEqual({ c: 6 });
    });
  });
});
