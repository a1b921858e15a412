import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { PortalReads } from '../../core/database/portal-reads';
import type { NumberTable } from '../../core/database/read-pool';
import { weekOf } from '../usage/usage-aggregates';
import type { WeekRows } from './week-grid';

/** Settled weeks kept: a report covers 3,660 days at most, 523 weeks and a part. */
const KEPT_WEEKS = 524;
/** The kept weeks are dropped after this long without staff on the portal (~3.3 MB for 200 machines). */
const SETTLED_WEEKS_IDLE_MS = 10 * 60_000;

/** The whole lab's weekly totals of the kept weeks, as read after the log's `version`. */
interface Kept {
  /** The first week after the kept ones (`settledBefore` when they were read). */
  readonly end: number;
  readonly version: string;
  /** Rows `[week, machineId, sessions, ms]`. */
  readonly table: NumberTable;
}

/**
 * The whole lab's weekly machine totals of the last ~ten years of settled weeks, kept in memory for
 * the weekly report while staff use the portal.
 *
 * A week is settled once the week after it has begun. Boards write the current week's totals as
 * sessions close; any write to an earlier week (an edit, a board's late replay, a session that began
 * before Monday 00:00, an import, a machine deleted with its history, a rebuild) inserts a row into
 * `usage_totals_changes` in its own transaction (`UsageAggregates`). The kept weeks are used while
 * that log's count and last id are those read before the weeks were read, so they are never older
 * than the database, whichever process wrote (the app, the CLI beside it, another app instance on
 * PostgreSQL). The last full week is read live with the current one: a transaction that began
 * before Monday 00:00 and committed after it wrote that week without a log row.
 *
 * Ten years of 200 machines are 104,400 rows. Read for each load, on a slow 2-core VM under the
 * boards' load, they took ~160 ms at the median and 330 – 490 ms at the 95th percentile on
 * PostgreSQL (docs/performance.md, nineteenth session). They are read when staff start using the
 * portal (`ReportReaderWarmup`), in the reader thread, and again only after a change to a settled
 * week, a new week, or 10 minutes without staff.
 */
@Injectable()
export class SettledWeeks implements OnModuleDestroy {
  private readonly logger = new Logger(SettledWeeks.name);
  private kept: Kept | null = null;
  private loading: Promise<Kept> | null = null;
  /** A check of the log after staff changed something, and the read it started (see `refresh`). */
  private refreshing: Promise<void> | null = null;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly reads: PortalReads,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'LAB_TIME_ZONE'>,
  ) {}

  /** The first week (lab-local week index) not settled at `now`. */
  static settledBefore(timeZone: string, now: number): number {
    return weekOf(timeZone, now) - 1;
  }

  /** Staff use the portal: reads the kept weeks ahead unless they are kept (or being read). */
  warm(): void {
    this.keepAlive();
    const end = SettledWeeks.settledBefore(this.config.LAB_TIME_ZONE, Date.now());
    if (this.loading || this.kept?.end === end) return;
    this.load(end).catch((error: unknown) => {
      this.logger.warn(`the settled weeks were not read ahead: ${String(error)}`);
    });
  }

  /**
   * Staff changed something (a request that may write): when weeks are kept and the log moved since
   * they were read, reads them again now, in the background, so that the next weekly report does not
   * wait for that read. A board's late replay or a command beside the app moves the log without a
   * staff request: the next report reads the weeks itself.
   */
  refresh(): void {
    const kept = this.kept;
    if (!kept || this.loading || this.refreshing) return;
    const refreshing = (async () => {
      if ((await this.version()) === kept.version || this.kept !== kept || this.loading) return;
      await this.load(SettledWeeks.settledBefore(this.config.LAB_TIME_ZONE, Date.now()));
    })()
      .catch((error: unknown) => {
        this.logger.warn(`the settled weeks were not read again: ${String(error)}`);
      })
      .finally(() => {
        if (this.refreshing === refreshing) this.refreshing = null;
      });
    this.refreshing = refreshing;
  }

  /** Resolves once the reads begun so far are done (for tests). */
  async reading(): Promise<void> {
    await this.refreshing;
    await this.loading?.catch(() => null);
  }

  /**
   * The whole lab's rows of settled weeks `[first, end)` (lab-local week indexes), or null when
   * they are not all among the kept weeks (the caller reads them).
   */
  async table(first: number, end: number): Promise<WeekRows | null> {
    const windowEnd = SettledWeeks.settledBefore(this.config.LAB_TIME_ZONE, Date.now());
    if (end > windowEnd || first < windowEnd - KEPT_WEEKS || first >= end) return null;
    this.keepAlive();
    if (this.refreshing) await this.refreshing;
    const version = await this.version();
    let kept = this.loading ? await this.loading.catch(() => null) : this.kept;
    if (!kept || kept.end !== windowEnd || kept.version !== version) kept = await this.load(windowEnd);
    return { ...kept.table, weeks: [first, end] };
  }

  /** Whether weeks are kept now (for tests). */
  get holding(): boolean {
    return this.kept !== null;
  }

  onModuleDestroy(): void {
    this.drop();
  }

  /** Reads the log's version, then the weeks (never older than that version), and keeps them. */
  private load(end: number): Promise<Kept> {
    const loading = (async () => {
      const version = await this.version();
      const table = await this.reads.numbers(
        `SELECT a."bucket" AS "week", a."machineId" AS "machineId", a."sessions" AS "sessions", a."ms" AS "ms"
         FROM "usage_machine_totals" a WHERE a."period" = 'w' AND a."bucket" >= ? AND a."bucket" < ?`,
        [end - KEPT_WEEKS, end],
      );
      return { end, version, table };
    })();
    this.loading = loading;
    loading.then(
      (kept) => {
        if (this.loading === loading) {
          this.loading = null;
          if (this.idleTimer) this.kept = kept;
        }
      },
      () => {
        if (this.loading === loading) this.loading = null;
      },
    );
    return loading;
  }

  private async version(): Promise<string> {
    const row = await this.reads.get<{ n: string | number; last: string | number | null }>(
      'SELECT COUNT(*) AS "n", MAX("id") AS "last" FROM "usage_totals_changes"',
    );
    return `${String(row?.n ?? 0)}:${String(row?.last ?? '')}`;
  }

  private keepAlive(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.drop(), SETTLED_WEEKS_IDLE_MS);
    this.idleTimer.unref();
  }

  private drop(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.kept = null;
  }
}
