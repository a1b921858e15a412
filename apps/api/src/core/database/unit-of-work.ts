import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * Runs domain writes in transactions. SQLite has one writer: transactions are queued here instead of
 * failing with SQLITE_BUSY or interleaving on the single connection. PostgreSQL runs them
 * concurrently; `lockMachine` serialises the writes that touch one machine's sessions.
 */
@Injectable()
export class UnitOfWork {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly sqlite: boolean;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    this.sqlite = dataSource.options.type === 'better-sqlite3';
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  run<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    if (!this.sqlite) return this.dataSource.transaction(work);
    const result = this.queue.then(() => this.dataSource.transaction(work));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Row lock on a machine for the rest of the transaction (no-op on SQLite, already serialised). */
  async lockMachine(em: EntityManager, machineId: number): Promise<void> {
    if (this.sqlite) return;
    await em.query('SELECT id FROM machines WHERE id = $1 FOR UPDATE', [machineId]);
  }
}
