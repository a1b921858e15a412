import { Inject, Injectable, type OnApplicationShutdown, Optional } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { DomainEventMap, DomainEventName, PendingEvents } from '../events/domain-events';
import { EventBus } from '../events/event-bus';
import { PageWarmer } from './page-warmer';
import { PostgresRunner, SqliteRunner, type SqlReader, type SqlRunner, sqlRunnerOf } from './sql';
import { type CheckpointHost, type CheckpointedConnection, WalCheckpointer } from './wal-checkpointer';

/**
 * The events of one transaction, kept until it commits. Empty on a rollback or a replay, so a
 * subscriber never hears of a change that did not happen, nor twice of one that did.
 */
class TransactionEvents implements PendingEvents {
  private names: DomainEventName[] | null = null;
  private payloads: unknown[] = [];

  publish<K extends DomainEventName>(name: K, payload: DomainEventMap[K]): void {
    (this.names ??= []).push(name);
    this.payloads.push(payload);
  }

  clear(): void {
    this.names = null;
    this.payloads = [];
  }

  /** After COMMIT: each event to the bus, in the order the transaction published them. */
  flush(bus: EventBus): void {
    const names = this.names;
    if (!names) return;
    const payloads = this.payloads;
    this.clear();
    for (let i = 0; i < names.length; i++) {
      bus.publish(names[i], payloads[i] as DomainEventMap[DomainEventName]);
    }
  }
}

/** Work run at the start of each TypeORM transaction (see `UnitOfWork.beforeTransactions`). */
export type TransactionHook = (sql: SqlRunner) => Promise<unknown> | null;

/**
 * State a feature keeps in memory for the length of one SQLite group transaction (`runSql`), and
 * writes to the database before it commits (see `UnitOfWork.aroundGroupTransactions`).
 */
export interface GroupTransactionHook {
  /** After BEGIN. */
  began(sql: SqlRunner): void;
  /**
   * Writes what is kept in memory: before COMMIT, and before each unit's SAVEPOINT when a failed group
   * runs again unit by unit (a unit rolled back to its savepoint then undoes none of it). Null: nothing.
   */
  settle(sql: SqlRunner): Promise<unknown> | null;
  /** After COMMIT or ROLLBACK: whatever was kept is dropped. */
  ended(sql: SqlRunner): void;
}

interface PendingWork {
  readonly work: (sql: SqlRunner, events: PendingEvents) => Promise<unknown>;
  readonly events: TransactionEvents;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
}

/**
 * What a portal or job transaction counts for in the WAL checkpoints' schedule, in board commits
 * (~50 WAL pages each): a transaction of the GDPR purge writes up to ~500 pages. Counted as one,
 * 200 of them would fill the WAL far past the writer's safety threshold (10,000 pages) before the
 * thread's checkpoint was due, and from then on the checkpoints ran inside commits on the event loop.
 */
const TRANSACTION_WEIGHT = 20;

/** Most SQL units one SQLite commit carries (group commit). */
const MAX_GROUP = 256;

/**
 * Runs domain writes in transactions. SQLite has one connection and one writer: transactions are
 * queued here (never interleaved, never SQLITE_BUSY), and the board's small writes that arrive
 * together share one commit (group commit, each in its own savepoint): a reply still waits for the
 * commit of its write, but a busy lab pays one WAL write for many messages. PostgreSQL runs
 * transactions concurrently; `lockMachine` serialises the writes that touch one machine's sessions.
 * The domain events a unit publishes (its `events` argument) reach the EventBus after its COMMIT,
 * before its promise resolves, and never when it is rolled back.
 */
@Injectable()
export class UnitOfWork implements OnApplicationShutdown {
  private queue: Promise<unknown> = Promise.resolve();
  private group: PendingWork[] = [];
  private readonly sqlite: SqliteRunner | null;
  private readonly postgres: PostgresRunner | null;
  /** A SQLite file's WAL checkpoints, run in a thread instead of inside a board's commit. */
  private readonly checkpointer: WalCheckpointer | null;
  private warmer: PageWarmer | null = null;
  private readonly transactionHooks: TransactionHook[] = [];
  private readonly groupHooks: GroupTransactionHook[] = [];

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    // Operator commands and some specs run without the app: their events go nowhere.
    @Optional() private readonly bus: EventBus = new EventBus(),
  ) {
    const isSqlite = dataSource.options.type === 'better-sqlite3';
    this.sqlite = isSqlite ? SqliteRunner.of(dataSource) : null;
    this.postgres = isSqlite ? null : new PostgresRunner(dataSource);
    const file = dataSource.options.type === 'better-sqlite3' ? dataSource.options.database : null;
    this.checkpointer =
      typeof file === 'string' && file !== ':memory:'
        ? new WalCheckpointer(
            (dataSource.driver as unknown as { databaseConnection: CheckpointedConnection })
              .databaseConnection,
            { file },
          )
        : null;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.checkpointer?.close();
  }

  /**
   * The WAL checkpoints run in `host`'s thread while it has one running (the portal's reader
   * threads), instead of starting one of their own.
   */
  shareCheckpoints(host: CheckpointHost): void {
    this.checkpointer?.shareThread(host);
  }

  /**
   * Bulk jobs read their next transaction's pages ahead through `reader` (the portal's reader
   * threads on a SQLite file): see {@link PageWarmer}.
   */
  warmPagesWith(reader: SqlReader): void {
    if (this.sqlite) this.warmer = new PageWarmer(reader);
  }

  /** Where a bulk job reads its next transaction's pages ahead; null where reads do not block. */
  get pageWarmer(): PageWarmer | null {
    return this.warmer;
  }

  /**
   * Resolves once the WAL's checkpoints have caught up with the commits (at once on PostgreSQL and
   * in memory): bulk jobs wait for it between their transactions.
   */
  async walSettled(): Promise<void> {
    await this.checkpointer?.settled();
  }

  /**
   * Whether a write transaction holds the event loop while it runs (SQLite's synchronous driver);
   * PostgreSQL's runs beside it.
   */
  get writesBlockEventLoop(): boolean {
    return this.sqlite !== null;
  }

  /**
   * Makes a WAL checkpoint due now (SQLite; nothing elsewhere): a bulk job calls it after a
   * transaction that wrote many pages, then waits for `walSettled`.
   */
  checkpointSoon(): void {
    this.checkpointer?.checkpointSoon();
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /** Reads outside a transaction (SQLite reads never wait for the writer in WAL mode). */
  get reader(): SqlRunner {
    return (this.sqlite ?? this.postgres) as SqlRunner;
  }

  /**
   * SQLite: `hook` runs at the start of every TypeORM transaction (`run`), before its work, in it (the
   * access events' inbox moves its rows there, so that what the work reads or changes is complete).
   * It answers null when it has nothing to do.
   */
  beforeTransactions(hook: TransactionHook): void {
    this.transactionHooks.push(hook);
  }

  /**
   * SQLite: `hook` is told when each `runSql` group transaction begins and ends, and settles its
   * state before the transaction commits (the access events' ids, inbox-rows.ts).
   */
  aroundGroupTransactions(hook: GroupTransactionHook): void {
    this.groupHooks.push(hook);
  }

  /** A transaction through TypeORM (entities, cascades): for the portal and jobs. */
  async run<T>(work: (em: EntityManager, events: PendingEvents) => Promise<T>): Promise<T> {
    const events = new TransactionEvents();
    const value = this.sqlite
      ? await this.enqueue(async () => {
          const committed = await this.dataSource.transaction(async (em) => {
            for (const hook of this.transactionHooks) await hook(sqlRunnerOf(em));
            return work(em, events);
          });
          this.checkpointer?.committed(TRANSACTION_WEIGHT);
          return committed;
        })
      : await this.dataSource.transaction((em) => {
          events.clear();
          return work(em, events);
        });
    events.flush(this.bus);
    return value;
  }

  /**
   * A transaction in plain SQL: for the board hot path. On SQLite `work` shares its commit with the
   * units queued with it; it must touch nothing but the database, as it may run a second time (when
   * another unit of its group fails, the group is rolled back and replayed unit by unit).
   */
  runSql<T>(work: (sql: SqlRunner, events: PendingEvents) => Promise<T>): Promise<T> {
    const sqlite = this.sqlite;
    if (!sqlite) {
      const events = new TransactionEvents();
      return this.dataSource
        .transaction((em) => work(new PostgresRunner(em), events))
        .then((value) => {
          events.flush(this.bus);
          return value;
        });
    }
    return new Promise<T>((resolve, reject) => {
      this.group.push({
        work,
        events: new TransactionEvents(),
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      // Commit after the I/O already received is handled: messages that arrived together join.
      if (this.group.length === 1) setImmediate(() => void this.enqueue(() => this.commitGroup(sqlite)));
    });
  }

  private async commitGroup(sqlite: SqliteRunner): Promise<void> {
    const batch = this.group.splice(0, MAX_GROUP);
    if (batch.length === 0) return;
    if (this.group.length > 0) void this.enqueue(() => this.commitGroup(sqlite));
    // Units almost never fail: the group runs as one plain transaction, and only when a unit fails is
    // it rolled back and run again with a savepoint per unit, so one failure loses no other write.
    const values = await this.transaction(sqlite, async () => {
      const results: unknown[] = [];
      for (const unit of batch) results.push(await unit.work(sqlite, unit.events));
      return results;
    }).catch(() => null);
    if (values) {
      batch.forEach((unit, i) => {
        unit.events.flush(this.bus);
        unit.resolve(values[i]);
      });
      return;
    }
    for (const unit of batch) unit.events.clear();
    if (batch.length === 1) {
      // Alone in its commit: run it again for its own error (a transient failure may even pass).
      const [unit] = batch as [PendingWork];
      await this.transaction(sqlite, () => unit.work(sqlite, unit.events)).then((value) => {
        unit.events.flush(this.bus);
        unit.resolve(value);
      }, unit.reject);
      return;
    }
    const done: { unit: PendingWork; value: unknown }[] = [];
    const failed: { unit: PendingWork; error: unknown }[] = [];
    try {
      await this.transaction(sqlite, async () => {
        for (const unit of batch) {
          await this.settleGroupHooks(sqlite);
          await sqlite.run('SAVEPOINT unit');
          try {
            const value = await unit.work(sqlite, unit.events);
            await sqlite.run('RELEASE unit');
            done.push({ unit, value });
          } catch (error) {
            unit.events.clear();
            await sqlite.run('ROLLBACK TO unit');
            await sqlite.run('RELEASE unit');
            failed.push({ unit, error });
          }
        }
      });
    } catch (error) {
      for (const unit of batch) unit.reject(error);
      return;
    }
    for (const { unit, value } of done) {
      unit.events.flush(this.bus);
      unit.resolve(value);
    }
    for (const { unit, error } of failed) unit.reject(error);
  }

  /** BEGIN IMMEDIATE … COMMIT around `work`, rolled back when it throws. */
  private async transaction<T>(sqlite: SqliteRunner, work: () => Promise<T>): Promise<T> {
    await sqlite.run('BEGIN IMMEDIATE');
    for (const hook of this.groupHooks) hook.began(sqlite);
    try {
      const value = await work();
      await this.settleGroupHooks(sqlite);
      await sqlite.run('COMMIT');
      this.checkpointer?.committed();
      return value;
    } catch (error) {
      await sqlite.run('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      for (const hook of this.groupHooks) hook.ended(sqlite);
    }
  }

  private async settleGroupHooks(sqlite: SqliteRunner): Promise<void> {
    for (const hook of this.groupHooks) await hook.settle(sqlite);
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
