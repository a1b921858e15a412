import type { SqlReader, SqlValue } from './sql';

/** One index of a table, as its CREATE INDEX statement gives it. */
export interface IndexShape {
  readonly name: string;
  /** Its key terms, columns or expressions, as written (without ASC, DESC or COLLATE). */
  readonly terms: readonly string[];
  /** A partial index's condition. */
  readonly where: string | null;
}

/** Splits `text` at the commas outside parentheses and quotes. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

/**
 * The key terms and condition of a SQLite `CREATE [UNIQUE] INDEX … ON "table" (terms) [WHERE …]`
 * statement; null when it cannot be read.
 */
export function indexShape(name: string, createSql: string): IndexShape | null {
  const on = createSql.search(/\sON\s/i);
  const open = on < 0 ? -1 : createSql.indexOf('(', on);
  if (open < 0) return null;
  let depth = 0;
  let quote: string | null = null;
  let close = -1;
  for (let i = open; i < createSql.length && close < 0; i++) {
    const c = createSql[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) close = i;
  }
  if (close < 0) return null;
  const terms = splitTopLevel(createSql.slice(open + 1, close)).map((term) =>
    term
      .replace(/\s+(ASC|DESC)$/i, '')
      .replace(/\s+COLLATE\s+\S+$/i, '')
      .trim(),
  );
  if (terms.some((term) => term === '')) return null;
  const rest = createSql.slice(close + 1).trim();
  const where = /^WHERE\s/i.test(rest) ? rest.slice(5).trim() : null;
  return { name, terms, where };
}

/**
 * Reads ahead, in a reader thread, the pages a bulk job's next transaction will touch, so that the
 * transaction finds them in the OS's file cache instead of reading them from disk on the event loop
 * (SQLite only: its driver is synchronous). On the ten-year lab, with the file cache cold, one
 * 14-row re-assignment took 80 ms and a machine delete's transactions held the boards up to 186 ms,
 * though each took a few milliseconds warm (docs/performance.md).
 *
 * It only reads; a read that fails makes the transaction slower, never wrong: it is given up quietly.
 */
export class PageWarmer {
  private readonly shapes = new Map<string, Promise<readonly IndexShape[]>>();

  constructor(private readonly reader: SqlReader) {}

  /** The rows of a read, or null when it failed. */
  select<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[] | null> {
    return this.reader.all<T>(sql, params).catch(() => null);
  }

  /**
   * The rows of `table` with these ids, with every entry each of them has in the table's indexes.
   * Answers the index entries found.
   */
  async rows(table: string, ids: readonly number[]): Promise<number> {
    if (ids.length === 0) return 0;
    const shapes = await this.indexes(table);
    const terms = [...new Set(shapes.flatMap((shape) => shape.terms))];
    const keys = JSON.stringify(ids);
    const columns = terms.map((term, i) => `${term} AS "k${i}"`).join(', ');
    const rows = await this.reader
      .all<Record<string, SqlValue>>(
        `SELECT "id"${columns ? `, ${columns}` : ''} FROM "${table}" WHERE "id" IN (SELECT "value" FROM json_each(?))`,
        [keys],
      )
      .catch(() => []);
    let found = 0;
    for (const shape of rows.length > 0 ? shapes : []) {
      // Each row's key in this index, then its id: one index look-up a row, from the root to its leaf.
      const values = rows.map((row) => [
        ...shape.terms.map((term) => row[`k${terms.indexOf(term)}`] ?? null),
        row['id'],
      ]);
      // A plain column is qualified: json_each has columns of its own ("id", "key", "value"…).
      const on = shape.terms.map(
        (term, i) =>
          `${/^"[^"]+"$/.test(term) ? `"${table}".${term}` : term} IS json_extract(v."value", '$[${i}]')`,
      );
      on.push(`"${table}"."id" = json_extract(v."value", '$[${shape.terms.length}]')`);
      if (shape.where) on.push(`(${shape.where})`);
      const [entries] =
        (await this.select<{ n: number }>(
          `SELECT COUNT(*) AS "n" FROM json_each(?) AS v JOIN "${table}" INDEXED BY "${shape.name}" ON ${on.join(' AND ')}`,
          [JSON.stringify(values)],
        )) ?? [];
      found += Number(entries?.n ?? 0);
    }
    return found;
  }

  /**
   * The rows of `table` whose `columns` hold one of `keys` (looked up by whichever index the planner
   * takes for them), whole: their index entries and their table pages. Answers the rows found.
   */
  async keys(
    table: string,
    columns: readonly string[],
    keys: readonly (readonly SqlValue[])[],
  ): Promise<number> {
    if (keys.length === 0) return 0;
    const on = columns.map((column, i) => `"${table}"."${column}" = json_extract(v."value", '$[${i}]')`);
    const rows = await this.select(
      `SELECT "${table}".* FROM json_each(?) AS v JOIN "${table}" ON ${on.join(' AND ')}`,
      [JSON.stringify(keys)],
    );
    return rows?.length ?? 0;
  }

  private indexes(table: string): Promise<readonly IndexShape[]> {
    let shapes = this.shapes.get(table);
    if (!shapes) {
      shapes = this.reader
        .all<{ name: string; sql: string }>(
          `SELECT "name", "sql" FROM "sqlite_master" WHERE "type" = 'index' AND "tbl_name" = ? AND "sql" IS NOT NULL`,
          [table],
        )
        .then((rows) => rows.flatMap((row) => indexShape(row.name, row.sql) ?? []))
        .catch(() => {
          this.shapes.delete(table);
          return [];
        });
      this.shapes.set(table, shapes);
    }
    return shapes;
  }
}
