import type { DataSource } from 'typeorm';

/** Parameters of a statement: booleans are stored as 0/1 on SQLite. */
export type SqlValue = string | number | boolean | null;

/**
 * A minimal SQL port for the board hot path, one dialect for both drivers: `?` placeholders, double-
 * quoted identifiers, `RETURNING`. TypeORM's query builder costs ~100 µs a query; this costs a few.
 */
export interface SqlRunner {
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

/** The reading half of {@link SqlRunner}: what portal reads may do. */
export type SqlReader = Pick<SqlRunner, 'all' | 'get'>;

interface Statement {
  readonly reader: boolean;
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
  run(...params: unknown[]): { changes: number };
}
interface SqliteConnection {
  prepare(sql: string): Statement;
}

const toSqlite = (params: readonly SqlValue[]) =>
  params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));

/**
 * The statement as SQLite is given it: every placeholder compared with `=`, `<>`, `<`, `>`, `IS`…
 * becomes `+?`. better-sqlite3's SQLite is built with STAT4, so the planner peeks at a bound value
 * wherever it could steer the plan (an equality left over after the index, a partial index's
 * condition, a range) and marks the statement to be prepared again when that binding changes; and
 * better-sqlite3 clears the bindings after every call, so such a statement is compiled again on
 * every call (10 – 20 µs instead of 1). Unary `+` on a value is a no-op that the planner does not
 * peek through: results, types, affinity and index use are unchanged. Our SQL has no `?` inside
 * literals (see {@link toPostgresPlaceholders}).
 */
export function stableBindings(sql: string): string {
  return sql.replace(/(=|<>|<|>|\bIS(?: NOT)?)\s*\?/gi, '$1 +?');
}

/** better-sqlite3 with a statement cache: the statements of the hot path are prepared once. */
export class SqliteRunner implements SqlRunner {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly connection: SqliteConnection) {}

  static of(dataSource: DataSource): SqliteRunner {
    return new SqliteRunner(
      (dataSource.driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection,
    );
  }

  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.connection.prepare(stableBindings(sql));
      this.statements.set(sql, statement);
    }
    return statement;
  }

  all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return Promise.resolve(this.statement(sql).all(...toSqlite(params)) as T[]);
  }

  get<T>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return Promise.resolve(this.statement(sql).get(...toSqlite(params)) as T | undefined);
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return Promise.resolve(this.statement(sql).run(...toSqlite(params)).changes);
  }
}

interface PgQueryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** Rewrites `?` placeholders to PostgreSQL's `$1, $2…` (our SQL has no `?` inside literals). */
const numbered = new Map<string, string>();
export function toPostgresPlaceholders(sql: string): string {
  let converted = numbered.get(sql);
  if (converted === undefined) {
    let n = 0;
    converted = sql.replace(/\?/g, () => `$${++n}`);
    numbered.set(sql, converted);
  }
  return converted;
}

/** PostgreSQL through a TypeORM query runner (a pooled connection, or the transaction's one). */
export class PostgresRunner implements SqlRunner {
  constructor(private readonly queryable: PgQueryable) {}

  async all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return (await this.queryable.query(toPostgresPlaceholders(sql), [...params])) as T[];
  }

  async get<T>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    const rows = await this.all<T>(sql, params);
    return rows[0];
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    const result = await this.queryable.query(toPostgresPlaceholders(sql), [...params]);
    // TypeORM returns [rows, affected] for UPDATE/DELETE on postgres.
    return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
  }
}

/** Epoch ms from a bigint column (a number on SQLite, a string on PostgreSQL). */
export function ms(value: string | number | null | undefined): number | null {
  return value === null || value === undefined ? null : Number(value);
}

interface TypeormQueryable {
  readonly connection: { readonly options: { readonly type: string } };
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * A TypeORM query runner (a migration's) or entity manager (a transaction's) in the hot-path dialect,
 * for the writes that share SQL with the board path inside TypeORM transactions.
 */
export function sqlRunnerOf(queryRunner: TypeormQueryable): SqlRunner {
  if (queryRunner.connection.options.type === 'postgres') return new PostgresRunner(queryRunner);
  const all = async <T>(sql: string, params: readonly SqlValue[] = []) =>
    (await queryRunner.query(sql, toSqlite(params))) as T[];
  return {
    all,
    get: async <T>(sql: string, params: readonly SqlValue[] = []) => (await all<T>(sql, params))[0],
    run: async (sql: string, params: readonly SqlValue[] = []) => {
      await queryRunner.query(sql, toSqlite(params));
      return 0;
    },
  };
}
