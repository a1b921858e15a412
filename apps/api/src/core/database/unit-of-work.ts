import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PostgresRunner, SqliteRunner, type SqlRunner } from './sql';

/**
 * Runs domain writes in transactions. SQLite has one connection and one writer: transactions are
 * queued here (never interleaved, never SQLITE_BUSY). PostgreSQL runs them concurrently;
 * `lockMachine` serialises the writes that touch one machine's sessions.
 */
@Injectable()
export class UnitOfWork {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly sqlite: SqliteRunner | null;
  private readonly postgres: PostgresRunner | null;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    const isSqlite = dataSource.options.type === 'better-sqlite3';
    this.sqlite = isSqlite ? SqliteRunner.of(dataSource) : null;
    this.postgres = isSqlite ? null : new PostgresRunner(dataSource);
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /** Reads outside a transaction (SQLite reads never wait for the writer in WAL mode). */
  get reader(): SqlRunner {
    return (this.sqlite ?? this.postgres) as SqlRunner;
  }

  /** A transaction through TypeORM (entities, cascades): for the portal and jobs. */
  run<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    if (!this.sqlite) return this.dataSource.transaction(work);
    return this.enqueue(() => this.dataSource.transaction(work));
  }

  /** A transaction in plain SQL: for the board hot path. */
  runSql<T>(work: (sql: SqlRunner) => Promise<T>): Promise<T> {
    const sqlite = this.sqlite;
    if (sqlite) {
      return this.enqueue(async () => {
        await sqlite.run('BEGIN IMMEDIATE');
        try {
          const result = await work(sqlite);
          await sqlite.run('COMMIT');
          return result;
        } catch (error) {
          await sqlite.run('ROLLBACK');
          throw error;
        }
      });
    }
    return this.dataSource.transaction((em) => work(new PostgresRunner(em)));
  }

  /** Row lock on a machine for the rest of the transaction (no-op on SQLite, already serialised). */
  async lockMachine(sql: SqlRunner, machineId: number): Promise<void> {
    if (this.sqlite) return;
    await sql.all('SELECT "id" FROM "machines" WHERE "id" = ? FOR UPDATE', [machineId]);
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
