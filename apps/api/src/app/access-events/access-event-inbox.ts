import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { AccessEventMessage } from '@fabomatic/contracts';
import type { PendingEvents } from '../../core/events/domain-events';
import { PortalReads } from '../../core/database/portal-reads';
import type { SqlRunner } from '../../core/database/sql';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { Clock } from '../../core/time/clock';
import { type AccessEntry, UNKNOWN_CARD_MERGE_MS, recordAccessEvent } from './access-log';
import { INBOX_IDS, moveInboxRows } from './inbox-rows';

/** The inbox is moved to `access_events` this often while it holds rows. */
const MOVE_EVERY_MS = 1000;

/**
 * Injection token overriding {@link MOVE_EVERY_MS} (tests use a long period, so that only the reads
 * and transactions that need the rows move them).
 */
export const ACCESS_EVENT_INBOX_MOVE_EVERY_MS = Symbol('ACCESS_EVENT_INBOX_MOVE_EVERY_MS');
/** …or as soon as this many rows were appended since the last move. */
const MOVE_AT_ROWS = 2000;
/** Rows one move's transaction carries: the board replies of its group wait for it. */
const MOVE_BATCH_ROWS = 2000;
/** A failing move is logged at most this often. */
const FAILURE_LOG_EVERY_MS = 60_000;

/**
 * The boards' access events on SQLite go through an inbox (ADR 0010). Appending one row to a table
 * without secondary indexes costs the board's commit a fraction of what six index entries of
 * `access_events` cost (each tap dirtied its own leaf of the per-machine, per-card and per-member
 * indexes: about half the WAL frames a commit wrote); this moves the rows to `access_events` about
 * once a second, thousands at a time, where a batch shares those leaves.
 *
 * Nothing reads the inbox: whatever reads `access_events` sees every event acknowledged before it.
 * A portal read whose SQL names `access_events` waits for the rows to move first (PortalReads' read
 * barrier), and every TypeORM transaction (portal writes, jobs, purges, erasures) moves them inside
 * itself before its work (UnitOfWork's hook). The rows are committed with the board's reply, like
 * any write, and a run stopped before moving them leaves them for the next, which moves them at
 * start. PostgreSQL writes `access_events` directly: its indexes are maintained in its own process.
 */
@Injectable()
export class AccessEventInbox implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AccessEventInbox.name);
  /** SQLite: the boards' events go through the inbox. */
  private readonly enabled: boolean;
  /**
   * Rows appended since the last move began, at least (1 at start: an earlier run may have left
   * some). 0 means the inbox is empty, as far as this process knows.
   */
  private pending = 1;
  private moving: Promise<void> | null = null;
  /** A complete move waiting for the one running. */
  private queued: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastFailureLog = -Infinity;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    reads: PortalReads,
    @Optional() @Inject(ACCESS_EVENT_INBOX_MOVE_EVERY_MS) private readonly moveEveryMs = MOVE_EVERY_MS,
  ) {
    this.enabled = uow.writesBlockEventLoop;
    if (!this.enabled) return;
    reads.addReadBarrier('"access_events"', () => this.settle());
    uow.aroundGroupTransactions(INBOX_IDS);
    // Inside a TypeORM transaction, before its work; the count stays, the next move confirms it. The
    // rows of unknown cards still taking taps stay: what counts their taps moves them first
    // (unknown-cards-table.ts), and they are no member's.
    uow.beforeTransactions((sql) =>
      this.pending > 0 ? moveInboxRows(sql, { keepUnknownSince: this.unknownSince() }) : null,
    );
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    this.timer = setInterval(() => void this.settle(false), this.moveEveryMs);
    this.timer.unref();
    void this.settle(false);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // Whatever is left moves at the next start.
    await this.moving;
  }

  /** Writes a board's access event (see {@link recordAccessEvent}): into the inbox on SQLite. */
  record(sql: SqlRunner, events: PendingEvents, entry: AccessEntry): Promise<AccessEventMessage> {
    if (this.enabled && ++this.pending >= MOVE_AT_ROWS && this.moving === null && this.timer !== null)
      setImmediate(() => void this.settle(false));
    return recordAccessEvent(sql, events, entry, this.enabled);
  }

  /**
   * Resolves once every row appended before the call is in `access_events` (null: nothing to wait
   * for). Without `complete` (the timer), the rows of unknown cards that may still take another tap
   * stay. A failed move is logged and resolves too: the rows stay in the inbox for the next move,
   * and the read goes on without them rather than failing.
   */
  settle(complete = true): Promise<void> | null {
    if (!this.enabled || (this.pending === 0 && this.moving === null)) return null;
    if (this.moving === null) return this.start(complete);
    if (!complete) return this.moving;
    // The move running may have begun before rows the caller must see, or kept some: one more after it.
    this.queued ??= this.moving.then(() => {
      this.queued = null;
      return this.pending > 0 ? this.start(true) : undefined;
    });
    return this.queued;
  }

  /** Unknown cards tapped since then may take another tap on their row (access-log.ts). */
  private unknownSince(): number {
    return this.clock.now().getTime() - UNKNOWN_CARD_MERGE_MS;
  }

  private start(complete: boolean): Promise<void> {
    const run: Promise<void> = this.moveAll(complete).finally(() => {
      if (this.moving === run) this.moving = null;
    });
    this.moving = run;
    return run;
  }

  private async moveAll(complete: boolean): Promise<void> {
    try {
      for (;;) {
        const { moved } = await this.uow.runSql(async (sql) => {
          const done = await moveInboxRows(sql, {
            limit: MOVE_BATCH_ROWS,
            keepUnknownSince: complete ? undefined : this.unknownSince(),
          });
          // Counted in the transaction: appended after this (in it or later) adds to it.
          this.pending = done.kept;
          return done;
        });
        if (moved < MOVE_BATCH_ROWS) return;
      }
    } catch (error) {
      this.pending = Math.max(this.pending, 1);
      const now = Date.now();
      if (now - this.lastFailureLog >= FAILURE_LOG_EVERY_MS) {
        this.lastFailureLog = now;
        this.logger.error(
          `access events could not move from the inbox (kept there, tried again): ${String(error)}`,
        );
      }
    }
  }
}
