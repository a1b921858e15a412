import { Worker } from 'node:worker_threads';
import { ReadFailedError } from './read-pool';

/** The checkpoint thread's niceness (0 normal, 19 lowest): the boards' event loop wins the CPU. */
const CHECKPOINTER_NICENESS = 10;

/**
 * The body of the checkpoint thread (plain JavaScript, `eval: true`, as the reader threads of
 * read-pool.ts): its own connection to the database file runs `wal_checkpoint(PASSIVE)` when asked,
 * which copies the committed WAL frames into the database and syncs both files without blocking the
 * writer, and answers with SQLite's result or the error.
 */
const CHECKPOINTER_BODY = `
const { parentPort, workerData } = require('node:worker_threads');
try { require('node:os').setPriority(workerData.niceness); } catch {}
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = ' + Number(workerData.synchronous));
parentPort.on('message', () => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true, frames: result ? Number(result.log) : 0 });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: String((error && error.message) || error) });
  }
});
`;

/** The writer connection's side: its automatic checkpoints and its synchronous level. */
export interface CheckpointedConnection {
  pragma(source: string, options?: { simple?: boolean }): unknown;
}

/**
 * A thread that is running anyway and can take a checkpoint (the portal's reader threads, ReadPool):
 * answers the checkpoint's WAL frames, or null when it has no thread running now.
 */
export interface CheckpointHost {
  checkpoint(synchronous: number): Promise<number> | null;
}

export interface WalCheckpointerOptions {
  /** The SQLite file (in WAL mode). */
  readonly file: string;
  /** Commits that make a checkpoint due (SQLite's own default is 1,000 WAL pages, ~150 of ours). */
  readonly everyCommits?: number;
  /** The thread stops after this long without a checkpoint to run (it costs memory). */
  readonly idleMs?: number;
}

/** The longest `settled` waits (a checkpoint held back by a long read must not stop a job). */
const SETTLE_TIMEOUT_MS = 5000;

/** SQLite's automatic checkpoint threshold (pages), given back when the thread cannot be used. */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;

/**
 * The writer's own threshold while the thread checkpoints: a safety net only (~40 MB of WAL), for
 * writes that do not go through the unit of work (and so are not counted) or a checkpoint held back
 * by a long read. The thread's checkpoints keep the WAL far below it.
 */
export const SAFETY_AUTOCHECKPOINT_PAGES = 10_000;

/**
 * Checkpoints the WAL from a thread instead of inside a board's commit. With SQLite's automatic
 * checkpoints, the commit that crosses 1,000 WAL pages copies them into the database and syncs both
 * files on the event loop: 10 – 40 ms under the firmware's mix on a shared box, during which no
 * board is answered (docs/performance.md). Here the writer's automatic checkpoints wait for 10,000
 * pages (a safety net) and every `everyCommits` commits a PASSIVE checkpoint runs in a thread with
 * its own connection. The thread
 * starts on demand and stops when idle; if it fails, the writer's automatic checkpoints are turned
 * back on, as before. Durability is unchanged: a commit is in the WAL before it returns either way.
 */
export class WalCheckpointer {
  private worker: Worker | null = null;
  private running = false;
  private pending = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private failed = false;
  private closed = false;
  private readonly everyCommits: number;
  private readonly idleMs: number;
  private readonly synchronous: number;
  private readonly driver = require.resolve('better-sqlite3');
  private host: CheckpointHost | null = null;

  constructor(
    private readonly connection: CheckpointedConnection,
    private readonly options: WalCheckpointerOptions,
  ) {
    this.everyCommits = options.everyCommits ?? 200;
    this.idleMs = options.idleMs ?? 5000;
    this.synchronous = Number(connection.pragma('synchronous', { simple: true }));
    connection.pragma(`wal_autocheckpoint = ${SAFETY_AUTOCHECKPOINT_PAGES}`);
  }

  /** Checkpoints that ran (tests, diagnostics). */
  checkpoints = 0;
  /** Times this checkpointer started a thread of its own (tests, diagnostics). */
  threadStarts = 0;

  /**
   * Runs the checkpoints in `host`'s thread while it has one running (a long export, the portal's
   * reads): a thread of its own is started only when the host has none.
   */
  shareThread(host: CheckpointHost): void {
    this.host = host;
  }

  /** Whether the checkpoints run in the thread (false after a failure: the writer does them). */
  get active(): boolean {
    return !this.failed && !this.closed;
  }

  /**
   * Called after each commit of the writer connection; `weight`: how many board commits' worth of
   * WAL pages it may have written (see UnitOfWork).
   */
  committed(weight = 1): void {
    if (!this.active) return;
    this.pending += weight;
    if (this.pending >= this.everyCommits && !this.running) this.checkpoint();
  }

  /**
   * Makes a checkpoint due now (a bulk writer's large transaction just committed): without it, a
   * few of them filled the WAL to the writer's safety threshold, and the commit that crossed it ran
   * the checkpoint on the event loop (70 – 85 ms, docs/performance.md). `settled` waits for it.
   */
  checkpointSoon(): void {
    if (!this.active) return;
    this.pending = Math.max(this.pending, this.everyCommits);
    if (!this.running) this.checkpoint();
  }

  /**
   * Resolves once no checkpoint is due or running: a bulk writer (the GDPR purge) waits for it
   * between its transactions, so that it never writes the WAL faster than the checkpoints empty it.
   * Otherwise the WAL reached the writer's safety threshold, and from then on every commit ran a
   * checkpoint on the event loop (60 – 110 ms each, docs/performance.md).
   */
  async settled(): Promise<void> {
    for (let waited = 0; this.active && (this.running || this.pending >= this.everyCommits); waited += 10) {
      if (waited >= SETTLE_TIMEOUT_MS) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Stops the thread; the writer connection checkpoints by itself again. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.stop();
    if (!this.failed) this.restoreAutoCheckpoint();
  }

  private checkpoint(): void {
    const hosted = this.host?.checkpoint(this.synchronous) ?? null;
    if (hosted) {
      this.pending = 0;
      this.running = true;
      hosted.then(
        () => this.checkpointed(),
        (error: unknown) => {
          this.running = false;
          // SQLite refused the checkpoint: as in a thread of our own. A host whose thread stopped
          // meanwhile: the next checkpoint starts our own thread.
          if (error instanceof ReadFailedError) this.fail();
        },
      );
      return;
    }
    const worker = this.worker ?? this.start();
    if (!worker) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.pending = 0;
    this.running = true;
    worker.ref();
    worker.postMessage('checkpoint');
  }

  private checkpointed(): void {
    this.running = false;
    if (this.closed || this.failed) return;
    this.checkpoints++;
    if (this.pending >= this.everyCommits) this.checkpoint();
    else if (this.worker) this.scheduleIdleStop();
  }

  private start(): Worker | null {
    try {
      const worker = new Worker(CHECKPOINTER_BODY, {
        eval: true,
        workerData: {
          driver: this.driver,
          file: this.options.file,
          synchronous: this.synchronous,
          niceness: CHECKPOINTER_NICENESS,
        },
      });
      this.threadStarts++;
      worker.on('message', (answer: { ok: boolean }) => {
        this.running = false;
        worker.unref();
        if (!answer.ok) return this.fail();
        this.checkpointed();
      });
      worker.on('error', () => this.fail());
      worker.on('exit', () => {
        if (this.worker === worker) {
          this.worker = null;
          // Stopped while a checkpoint ran (not by us): the writer takes the checkpoints back.
          if (this.running) this.fail();
        }
      });
      worker.unref();
      this.worker = worker;
      return worker;
    } catch {
      this.fail();
      return null;
    }
  }

  private scheduleIdleStop(): void {
    if (this.idleTimer || this.closed) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (!this.running) void this.stop();
    }, this.idleMs);
    this.idleTimer.unref();
  }

  private async stop(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const worker = this.worker;
    this.worker = null;
    this.running = false;
    await worker?.terminate();
  }

  private fail(): void {
    if (this.failed) return;
    this.failed = true;
    void this.stop();
    if (!this.closed) this.restoreAutoCheckpoint();
  }

  private restoreAutoCheckpoint(): void {
    try {
      this.connection.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
    } catch {
      // The connection is closed: nothing left to checkpoint on it.
    }
  }
}
