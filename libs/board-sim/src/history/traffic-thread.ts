import { Worker } from 'node:worker_threads';
import { ReplyWindow, type BoardTrafficOptions } from './traffic';

/**
 * The body of the thread: {@link BoardTraffic} from the built benchmark, driven by messages. Plain
 * JavaScript evaluated by `new Worker(code, { eval: true })`; the thread resolves the workspace's
 * path aliases as the launcher does (tools/run-built.js).
 */
const TRAFFIC_THREAD_BODY = `
const { parentPort, workerData } = require('node:worker_threads');
// The load generator must not be what is measured: on a saturated two-core box this thread once
// stalled 156 ms, and every reply it was timing looked that late. At a high priority it does not
// wait behind the app, the database and the export for a CPU. Niceness is per thread on Linux;
// lowering it needs root (CAP_SYS_NICE), so elsewhere the thread stays at the default.
let niceness = null;
try {
  require('node:os').setPriority(workerData.niceness);
  niceness = workerData.niceness;
} catch {}
require(workerData.runBuilt).registerAliases();
const { BoardTraffic } = require(workerData.traffic);
const { seededRandom } = require(workerData.generate);
const traffic = new BoardTraffic({ ...workerData.options, random: seededRandom(workerData.seed) });
const windows = new Map();
// This thread's own event-loop delay while a window is open: a stall here is in every wait it timed.
const delay = require('node:perf_hooks').monitorEventLoopDelay({ resolution: 10 });
delay.enable();
parentPort.on('message', async (message) => {
  try {
    if (message.type === 'start') {
      await traffic.start();
      parentPort.postMessage({ id: message.id, niceness });
    } else if (message.type === 'open') {
      delay.reset();
      windows.set(message.window, traffic.open());
    } else if (message.type === 'close') {
      const window = windows.get(message.window);
      windows.delete(message.window);
      await traffic.close(window);
      parentPort.postMessage({
        id: message.id,
        latencies: Float64Array.from(window.latencies),
        probeLatencies: Float64Array.from(window.probeLatencies),
        pending: Float64Array.from(window.pending),
        noReply: window.noReply,
        stallMs: delay.max / 1e6,
      });
    } else if (message.type === 'stop') {
      await traffic.stop();
      parentPort.postMessage({ id: message.id, errors: traffic.errors.slice(0, 50), noReply: traffic.noReply });
    }
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: String((error && error.message) || error) });
  }
});
`;

/** The boards' thread's niceness (-20 highest, 0 normal), where the OS lets it be set. */
const BOARDS_THREAD_NICENESS = -10;

interface ThreadAnswer {
  readonly id: number;
  readonly error?: string;
  readonly latencies?: Float64Array;
  readonly probeLatencies?: Float64Array;
  readonly pending?: Float64Array;
  readonly noReply?: number;
  readonly stallMs?: number;
  readonly errors?: string[];
  /** The boards' thread's niceness, when it could be set. */
  readonly niceness?: number | null;
}

/**
 * {@link BoardTraffic} in a thread of its own: the boards are simulated and their replies timed on an
 * event loop that does nothing else, so the pages this process loads meanwhile (bodies of up to
 * ~1 GB read, the bench's own garbage collections) are not counted in the boards' waits. Measured on
 * the ten-year lab: with the boards on the page loader's loop, that loop stalled up to 78 ms, and the
 * board max of the weekly report's loads (81 ms) was almost all of it (docs/performance.md). Each
 * window also tells the thread's own longest stall while it was open (`stallMs`).
 */
export class ThreadedBoardTraffic {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly waiting = new Map<number, (answer: ThreadAnswer) => void>();
  private readonly windowIds = new WeakMap<ReplyWindow, number>();
  errors: string[] = [];
  noReply = 0;
  /** Why the thread is gone, once it is. */
  private failed: string | undefined;

  /**
   * @param runBuilt path of tools/run-built.js (registers the path aliases in the thread)
   * @param seed the thread's PRNG seed (the cadence boards' taps)
   */
  constructor(options: Omit<BoardTrafficOptions, 'random'>, runBuilt: string, seed: number) {
    this.worker = new Worker(TRAFFIC_THREAD_BODY, {
      eval: true,
      workerData: {
        options,
        runBuilt,
        traffic: require.resolve('./traffic'),
        generate: require.resolve('./generate'),
        seed,
        niceness: BOARDS_THREAD_NICENESS,
      },
    });
    this.worker.on('message', (answer: ThreadAnswer) => {
      const done = this.waiting.get(answer.id);
      this.waiting.delete(answer.id);
      done?.(answer);
    });
    const fail = (reason: string) => {
      this.failed ??= reason;
      for (const done of this.waiting.values()) done({ id: 0, error: reason });
      this.waiting.clear();
    };
    this.worker.on('error', (error) => fail(`board traffic thread failed: ${error.message}`));
    this.worker.on('exit', (code) => fail(`board traffic thread exited (${code})`));
  }

  /** Connects the boards; answers the thread's niceness, or null when it could not be set. */
  async start(): Promise<number | null> {
    return (await this.ask({ type: 'start' })).niceness ?? null;
  }

  /** Opens a window in the thread: replies from now until {@link close} are recorded in it. */
  open(): ReplyWindow {
    const window = new ReplyWindow();
    const id = this.nextId++;
    this.windowIds.set(window, id);
    this.worker.postMessage({ type: 'open', window: id });
    return window;
  }

  /** Closes the window once the queries sent before now are answered, and fills it in. */
  async close(window: ReplyWindow): Promise<void> {
    const answer = await this.ask({ type: 'close', window: this.windowIds.get(window) });
    // One by one: an export's window holds millions (more than a call's arguments may be).
    for (const ms of answer.latencies ?? []) window.latencies.push(ms);
    for (const ms of answer.probeLatencies ?? []) window.probeLatencies.push(ms);
    for (const ms of answer.pending ?? []) window.pending.push(ms);
    window.noReply += answer.noReply ?? 0;
    window.stallMs = answer.stallMs ?? 0;
    window.closed = true;
  }

  async stop(): Promise<void> {
    try {
      const answer = await this.ask({ type: 'stop' });
      this.errors = answer.errors ?? [];
      this.noReply = answer.noReply ?? 0;
    } finally {
      await this.worker.terminate();
    }
  }

  private ask(message: Record<string, unknown>): Promise<ThreadAnswer> {
    const id = this.nextId++;
    if (this.failed !== undefined) return Promise.reject(new Error(this.failed));
    return new Promise<ThreadAnswer>((resolve, reject) => {
      this.waiting.set(id, (answer) =>
        answer.error === undefined ? resolve(answer) : reject(new Error(answer.error)),
      );
      this.worker.postMessage({ ...message, id });
    });
  }
}
