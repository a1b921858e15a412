import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { SimulatedBoard, type QueryResult } from '../simulated-board';
import { FIRMWARE_CADENCE } from '../load';

/**
 * Boards talking while staff open pages: boards at the firmware's cadence (`checkmachine` every
 * 30 s, a card tap about once a minute followed by a `checkmachine`) and one saturating probe
 * board (ask, reply, ask again at once). Every reply is timed; replies that arrive while a
 * {@link ReplyWindow} is open (a page loading) are counted in it.
 *
 * Replies are awaited up to 30 s, not the firmware's 2 s: a board past 2 s has already failed, but
 * the true wait is what tells a slow query from a blocked event loop.
 */
export interface BoardTrafficOptions {
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  /** Boards at the firmware cadence: topic id and the cards they tap. */
  readonly boards: readonly {
    readonly topicId: string;
    readonly authorized: string;
    readonly unauthorized: string;
  }[];
  readonly unknownCard: string;
  /** Topic id of the probe board: a machine of its own (a board topic belongs to one connection). */
  readonly probeTopicId: string;
  readonly clientIdPrefix?: string;
  readonly random?: () => number;
}

const REPLY_TIMEOUT_MS = 30_000;
/** The firmware's own timeout: a reply later than this failed the tap. */
export const FIRMWARE_TIMEOUT_MS = 2000;

/** Replies received while something (a page load) was going on. */
export class ReplyWindow {
  readonly latencies: number[] = [];
  readonly probeLatencies: number[] = [];
  /** Queries still unanswered when the window closed, with how long they had waited. */
  readonly pending: number[] = [];
  /** Queries never answered (the app drops a reply it could not send within its deadline). */
  noReply = 0;
  /** Longest stall of the event loop that timed these replies, when it was measured (ms). */
  stallMs = 0;
  closed = false;

  get max(): number {
    // A loop, not Math.max(...spread): a long page gathers more replies than the stack holds arguments.
    let max = 0;
    for (const ms of this.latencies) if (ms > max) max = ms;
    for (const ms of this.pending) if (ms > max) max = ms;
    return max;
  }
}

export class BoardTraffic {
  private readonly boards: SimulatedBoard[] = [];
  private probe: SimulatedBoard | null = null;
  private running = false;
  private readonly loops: Promise<void>[] = [];
  private readonly windows = new Set<ReplyWindow>();
  private readonly inFlight = new Map<symbol, number>();
  readonly errors: string[] = [];
  /** Queries that never got a reply. */
  noReply = 0;
  probeReplies = 0;

  constructor(private readonly options: BoardTrafficOptions) {}

  async start(): Promise<void> {
    const { options } = this;
    const connection = {
      url: options.url,
      ...(options.username === undefined ? {} : { username: options.username }),
      ...(options.password === undefined ? {} : { password: options.password }),
    };
    const prefix = options.clientIdPrefix ?? `hist-${process.pid}-`;
    for (let i = 0; i < options.boards.length; i += 25) {
      const chunk = options.boards.slice(i, i + 25).map((b) => {
        const board = new SimulatedBoard({
          ...connection,
          topicId: b.topicId,
          clientId: `${prefix}${b.topicId}`,
        });
        this.boards.push(board);
        return board.connect();
      });
      await Promise.all(chunk);
    }
    this.probe = new SimulatedBoard({
      ...connection,
      topicId: options.probeTopicId,
      clientId: `${prefix}probe`,
    });
    await this.probe.connect();
    this.running = true;
    const random = options.random ?? Math.random;
    this.boards.forEach((board, i) => {
      const cards = options.boards[i];
      if (cards) this.loops.push(this.cadenceLoop(board, cards, random));
    });
    this.loops.push(this.probeLoop(this.probe));
  }

  /** Opens a window: replies from now until {@link close} are recorded in it. */
  open(): ReplyWindow {
    const window = new ReplyWindow();
    this.windows.add(window);
    return window;
  }

  /**
   * Closes a window once every query sent before now has been answered, so a reply held up by the
   * page counts in the page's window even when it arrives after the page; gives up after
   * `maxWaitMs`, recording the queries still unanswered with how long they had waited.
   */
  async close(window: ReplyWindow, maxWaitMs = REPLY_TIMEOUT_MS): Promise<void> {
    const end = performance.now();
    const deadline = end + maxWaitMs;
    while ([...this.inFlight.values()].some((sentAt) => sentAt < end) && performance.now() < deadline) {
      await sleep(2);
    }
    const now = performance.now();
    for (const sentAt of this.inFlight.values()) if (sentAt < end) window.pending.push(now - sentAt);
    window.closed = true;
    this.windows.delete(window);
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    await Promise.all(
      [...this.boards, ...(this.probe ? [this.probe] : [])].map((b) => b.close().catch(() => undefined)),
    );
  }

  private async timed(board: SimulatedBoard, ask: () => Promise<QueryResult>, probe: boolean): Promise<void> {
    const key = Symbol(board.topicId);
    this.inFlight.set(key, performance.now());
    try {
      const result = await ask();
      if (result.status === 'sent') return;
      if (result.status === 'timeout') {
        this.noReply += 1;
        for (const window of this.windows) window.noReply += 1;
        return;
      }
      const ms = result.latencyMs;
      if (probe) this.probeReplies += 1;
      for (const window of this.windows) {
        window.latencies.push(ms);
        if (probe) window.probeLatencies.push(ms);
      }
    } catch (error) {
      this.errors.push(`board ${board.topicId}: ${error instanceof Error ? error.message : String(error)}`);
      await sleep(1000);
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async cadenceLoop(
    board: SimulatedBoard,
    cards: BoardTrafficOptions['boards'][number],
    random: () => number,
  ): Promise<void> {
    const options = { timeoutMs: REPLY_TIMEOUT_MS };
    let nextCheck = performance.now() + random() * FIRMWARE_CADENCE.checkmachineMs;
    let nextTap = performance.now() + random() * 60_000;
    while (this.running) {
      const now = performance.now();
      if (now >= nextTap) {
        const r = random();
        const card = r < 0.7 ? cards.authorized : r < 0.85 ? cards.unauthorized : this.options.unknownCard;
        await this.timed(board, () => board.checkuser(card, options), false);
        await sleep(FIRMWARE_CADENCE.tapCheckmachineMs);
        if (!this.running) break;
        await this.timed(board, () => board.checkmachine(options), false);
        nextTap = performance.now() + 30_000 + random() * 60_000;
      } else if (now >= nextCheck) {
        await this.timed(board, () => board.checkmachine(options), false);
        nextCheck += FIRMWARE_CADENCE.checkmachineMs;
      } else {
        await sleep(Math.min(250, Math.min(nextCheck, nextTap) - now));
      }
    }
  }

  private async probeLoop(board: SimulatedBoard): Promise<void> {
    while (this.running) {
      await this.timed(board, () => board.checkmachine({ timeoutMs: REPLY_TIMEOUT_MS }), true);
    }
  }
}
