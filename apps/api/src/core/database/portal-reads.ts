import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError, QueryResult } from 'typeorm';
import type { BetterSqlite3Driver } from 'typeorm/driver/better-sqlite3/BetterSqlite3Driver';
import { BetterSqlite3QueryRunner } from 'typeorm/driver/better-sqlite3/BetterSqlite3QueryRunner';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { parseRowsText, rowsTextQuery } from './rows-text';
import { ReadPool, numberTable, type NumberTable, type TextChunk, type TextFormat } from './read-pool';
import { formatRecords } from './xlsx-records';
import { type SqlReader, type SqlValue, toPostgresPlaceholders } from './sql';
import { UnitOfWork } from './unit-of-work';

/** Resolves once what a statement reads is complete (see `PortalReads.addReadBarrier`), or null. */
type ReadGate = (sql: string) => Promise<void> | null;

/**
 * TypeORM's better-sqlite3 query runner with its statements sent to the reader threads (or, without
 * them, run on the main connection as usual), each after the read barriers: query builders and
 * `find` keep building the same SQL and hydrating the same entities, only the statement runs
 * elsewhere. Writes are refused by the threads (read-only connections).
 */
class ThreadedQueryRunner extends BetterSqlite3QueryRunner {
  constructor(
    driver: BetterSqlite3Driver,
    private readonly pool: ReadPool | null,
    private readonly gate: ReadGate,
  ) {
    super(driver);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- TypeORM's own signature
  override async query(query: string, parameters: any[] = [], useStructuredResult = false): Promise<any> {
    const barrier = this.gate(query);
    if (barrier) await barrier;
    if (!this.pool) return super.query(query, parameters, useStructuredResult);
    let rows: unknown[];
    try {
      rows = await this.pool.query(query, parameters);
    } catch (error) {
      throw new QueryFailedError(query, parameters, error as Error);
    }
    if (!useStructuredResult) return rows;
    const result = new QueryResult();
    result.raw = rows;
    result.records = rows;
    return result;
  }
}

/**
 * The portal's reads: lists, reports, exports, the dashboard and the system page. They never run
 * inside a transaction and see the last committed state only. Services read through this seam,
 * never through `UnitOfWork.reader` (kept for the board path).
 *
 * On a SQLite file they run in reader threads (ADR 0006): better-sqlite3 is synchronous, and a 2 s
 * report on the event loop would make every board wait 2 s. PostgreSQL's driver is asynchronous
 * already: its pool serves them. An in-memory SQLite (tests) has one connection: they run on it.
 */
@Injectable()
export class PortalReads implements SqlReader, OnApplicationShutdown {
  private readonly pool: ReadPool | null;
  /** PostgreSQL: the thread that makes the exports' CSV records (see `textChunk`). */
  private readonly textPool: ReadPool | null;
  private readonly sql: SqlReader;
  private readonly readManager: EntityManager;
  private readonly postgres: boolean;
  private readonly barriers: { readonly marker: string; readonly settle: () => Promise<void> | null }[] = [];

  constructor(
    @Inject(DataSource) dataSource: DataSource,
    uow: UnitOfWork,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'READ_WORKERS' | 'READ_WORKERS_IDLE_SECONDS'>,
  ) {
    const options = dataSource.options;
    const file = options.type === 'better-sqlite3' ? options.database : null;
    this.postgres = options.type === 'postgres';
    const idleMs = config.READ_WORKERS_IDLE_SECONDS * 1000;
    this.pool =
      typeof file === 'string' && file !== ':memory:' && config.READ_WORKERS > 0
        ? new ReadPool({ file, size: config.READ_WORKERS, idleMs })
        : null;
    // Only the exports' records and the reports' number tables: the asynchronous driver already keeps
    // other reads off the event loop, but it parses each row on it.
    this.textPool =
      options.type === 'postgres' && typeof options.url === 'string' && config.READ_WORKERS > 0
        ? new ReadPool({ postgresUrl: options.url, size: config.READ_WORKERS, idleMs })
        : null;
    // While a reader thread runs, the WAL checkpoints run there too (one thread's memory, not two).
    if (this.pool) {
      uow.shareCheckpoints(this.pool);
      uow.warmPagesWith(this.pool);
    }
    this.sql = this.pool ? this.pool : uow.reader;
    this.readManager =
      options.type === 'better-sqlite3'
        ? dataSource.createEntityManager(
            new ThreadedQueryRunner(dataSource.driver as BetterSqlite3Driver, this.pool, (sql) =>
              this.barrier(sql),
            ),
          )
        : dataSource.manager;
  }

  /**
   * Every read whose SQL contains `marker` first waits for `settle` (the access events' inbox on
   * SQLite: its rows move to `access_events` before a read of that table, ADR 0010).
   */
  addReadBarrier(marker: string, settle: () => Promise<void> | null): void {
    this.barriers.push({ marker, settle });
  }

  private barrier(sql: string): Promise<void> | null {
    let waits: Promise<void>[] | null = null;
    for (const { marker, settle } of this.barriers) {
      if (!sql.includes(marker)) continue;
      const wait = settle();
      if (wait) (waits ??= []).push(wait);
    }
    return waits && Promise.all(waits).then(() => undefined);
  }

  /** Rows of a SELECT in the hot-path dialect (`?` placeholders, double-quoted identifiers). */
  async all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    await this.barrier(sql);
    return this.sql.all<T>(sql, params);
  }

  /** The first row of a SELECT, if any. */
  async get<T>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    await this.barrier(sql);
    return this.sql.get<T>(sql, params);
  }

  /**
   * The rows of a SELECT whose columns are all numbers, packed in one buffer: from a reader thread it
   * arrives without a per-row copy on the event loop (reports with 100,000 cells).
   */
  async numbers(sql: string, params: readonly SqlValue[] = []): Promise<NumberTable> {
    await this.barrier(sql);
    if (this.pool) return this.pool.numbers(sql, params);
    // PostgreSQL: one text row instead of 100,000 rows for the driver to parse into objects, packed
    // and parsed by a reader thread, which hands over one buffer (rows-text.ts); here when there is none.
    if (this.textPool) return this.textPool.numbers(toPostgresPlaceholders(sql), params);
    if (!this.postgres) return numberTable(await this.sql.all<object>(sql, params));
    const packed = await this.sql.get<{ rows: string | null }>(rowsTextQuery(sql), params);
    return parseRowsText(packed?.rows ?? null);
  }

  /** The SQL dialect of these reads. */
  get dialect(): 'sqlite' | 'postgres' {
    return this.postgres ? 'postgres' : 'sqlite';
  }

  /**
   * A chunk of CSV records by keyset (see `keysetText`): `sql` reads the cells' columns then the
   * cursor columns, in this dialect; the records are made from them in a reader thread (or here,
   * without one), so the event loop receives one string, not a row per record.
   */
  async textChunk(
    sql: string,
    params: readonly unknown[],
    format: TextFormat,
    options: { readonly barrier?: boolean } = {},
  ): Promise<TextChunk> {
    if (options.barrier !== false) await this.barrier(sql);
    const pool = this.pool ?? this.textPool;
    if (pool) return pool.text(sql, params, format);
    const rows = this.postgres
      ? await this.readManager.query<Record<string, unknown>[]>(sql, [...params])
      : await this.sql.all<Record<string, SqlValue>>(sql, params as SqlValue[]);
    const values = rows.map((row) => Object.values(row));
    const last = values.at(-1);
    return {
      text: formatRecords(format, values),
      rows: values.length,
      last: last ? (last.slice(format.columns) as SqlValue[]) : null,
    };
  }

  /** A TypeORM manager for reads (query builders, `find`): never for writes, never in a transaction. */
  get manager(): EntityManager {
    return this.readManager;
  }

  /**
   * PostgreSQL: starts the thread of the reports' number tables and the exports' records if it is not
   * running, ahead of the first report (staff browsing the portal: `ReportReaderWarmup`). A first
   * report that waited for its start (Node's modules for the thread, `pg` loaded, a connection) took
   * 150 – 490 ms on a busy machine against a p50 of 25 – 45 ms. It costs ~25 MB of RSS while it runs
   * and stops after READ_WORKERS_IDLE_SECONDS without reads or staff requests. Nothing to do on
   * SQLite, whose threads start in a few ms.
   */
  warmReportReader(): void {
    this.textPool?.warm();
  }

  /** Reader threads running now (0 when idle, or when reads run on the main connection). */
  get threads(): number {
    return (this.pool?.threads ?? 0) + (this.textPool?.threads ?? 0);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.pool?.close(), this.textPool?.close()]);
  }
}
