import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BOARD_REPLY_TIMEOUT_MS,
  SimulatedBoard,
  type QueryResult,
  type ReplyResult,
} from './simulated-board';
import type { MqttConnection } from './mqtt-connect';
import { round, summarizeLatencies, type LatencySummary } from './stats';

/** `cadence`: boards at the firmware's real pace; `saturate`: next query as soon as the reply lands. */
export type LoadMode = 'cadence' | 'saturate';
/** `backend`: replies must be the right answers for authorized cards; `echo`: any reply will do. */
export type VerifyMode = 'backend' | 'echo';
export type RepliedAction = 'checkuser' | 'checkmachine' | 'startuse' | 'inuse' | 'stopuse' | 'maintenance';
/** `classic`: the bench's first cycle (sessions only); `firmware`: the field's mix (taps refused too). */
export type LoadMix = 'classic' | 'firmware';
export const LOAD_MIXES: readonly LoadMix[] = ['classic', 'firmware'];

/**
 * One simulated board: its topic id and a card authorized on that machine. The firmware mix also
 * needs a card nobody holds, a member's card without authorization there, and a maintainer's card.
 */
export interface LoadTarget {
  readonly topicId: string;
  readonly uid: string;
  readonly unknownUid?: string;
  readonly unauthorizedUid?: string;
  readonly maintainerUid?: string;
}

export interface CadenceTiming {
  readonly checkmachineMs: number;
  readonly aliveMs: number;
  readonly inuseMs: number;
  /** The firmware sends a `checkmachine` this long after each card tap. */
  readonly tapCheckmachineMs: number;
  /** `inuse` heartbeats per session, [min, max]. */
  readonly inuseCount: readonly [number, number];
  /** Pause between sessions, [min, max] ms. */
  readonly idleMs: readonly [number, number];
}

export const FIRMWARE_CADENCE: CadenceTiming = {
  checkmachineMs: 30_000,
  aliveMs: 120_000,
  inuseMs: 30_000,
  tapCheckmachineMs: 1_000,
  inuseCount: [1, 4],
  idleMs: [5_000, 60_000],
};

/** Which card a step of a saturated cycle uses, and whether the backend must grant it. */
export type CardRole = 'authorized' | 'unknown' | 'unauthorized' | 'maintainer';

export interface SaturateStep {
  readonly action: RepliedAction;
  readonly card: CardRole;
}

const step = (action: RepliedAction, card: CardRole = 'authorized'): SaturateStep => ({ action, card });

/** Query cycle of each board in `saturate` mode: a whole session, and a `checkmachine` in the middle. */
const SATURATE_SEQUENCE: readonly SaturateStep[] = [
  step('checkuser'),
  step('startuse'),
  step('inuse'),
  step('checkmachine'),
  step('inuse'),
  step('stopuse'),
];

/**
 * The firmware's real mix, as a board in a busy lab sends it: a machine check, an authorized tap and
 * its session, a tap of an unknown card and one of a member without authorization on the machine
 * (both refused, both recorded as access events), and a maintainer's maintenance tap.
 */
export const FIRMWARE_SEQUENCE: readonly SaturateStep[] = [
  step('checkmachine'),
  step('checkuser'),
  step('startuse'),
  step('inuse'),
  step('checkuser', 'unknown'),
  step('inuse'),
  step('stopuse'),
  step('checkuser', 'unauthorized'),
  step('maintenance', 'maintainer'),
];

const MIX_SEQUENCES: Readonly<Record<LoadMix, readonly SaturateStep[]>> = {
  classic: SATURATE_SEQUENCE,
  firmware: FIRMWARE_SEQUENCE,
};

/** The card a step uses on a target; throws when the target lacks it (a seed without that member). */
function cardFor(target: LoadTarget, card: CardRole): string {
  const uid =
    card === 'authorized'
      ? target.uid
      : card === 'unknown'
        ? target.unknownUid
        : card === 'unauthorized'
          ? target.unauthorizedUid
          : target.maintainerUid;
  if (uid === undefined) throw new Error(`target ${target.topicId} has no ${card} card for this mix`);
  return uid;
}

export interface LoadOptions extends Omit<MqttConnection, 'clientId'> {
  readonly targets: readonly LoadTarget[];
  readonly mode: LoadMode;
  readonly verify: VerifyMode;
  /** Query cycle in `saturate` mode (default `classic`). */
  readonly mix?: LoadMix;
  /** Measured time; boards stop issuing new queries after it. */
  readonly durationMs: number;
  readonly topicRoot?: string;
  /** Reply timeout per query (default 2000 ms, the firmware's). */
  readonly timeoutMs?: number;
  readonly cadence?: Partial<CadenceTiming>;
  /** Client ids are `<prefix><topicId>` (unique: firmware-style random ids would collide at scale). */
  readonly clientIdPrefix?: string;
  /** Boards connecting at the same time (default 25). */
  readonly connectConcurrency?: number;
  /** After the run, boards still in a session send their `stopuse` (unmeasured; default true). */
  readonly closeSessions?: boolean;
  /** Wait for stray replies before disconnecting (default 300 ms). */
  readonly drainMs?: number;
  /** Random source for phase offsets and session lengths (default Math.random). */
  readonly random?: () => number;
}

export interface LoadErrors {
  /** No reply within the timeout. */
  readonly timeouts: number;
  /** A reply that is not the expected answer (backend verification only). */
  readonly badReplies: number;
  /** Messages on `/reply` with no query in flight (protocol violation). */
  readonly unexpectedReplies: number;
  /** Queries that could not be published. */
  readonly failures: number;
}

export interface LoadStats {
  readonly mode: LoadMode;
  readonly verify: VerifyMode;
  readonly mix: LoadMix;
  readonly boards: number;
  /** Measured wall time, from the first query to the last reply of the measured window. */
  readonly elapsedMs: number;
  /** Queries that needed a reply, in the measured window. */
  readonly queries: number;
  /** Replies received in the measured window (`count`). */
  readonly count: number;
  /** `alive` messages sent (no reply expected). */
  readonly alives: number;
  readonly errors: LoadErrors;
  readonly errorCount: number;
  /** The first few errors, for diagnosis. */
  readonly errorSamples: readonly string[];
  readonly latencyMs: LatencySummary;
  readonly byAction: Readonly<Partial<Record<RepliedAction, LatencySummary>>>;
  /** Replies per second over `elapsedMs`. */
  readonly throughput: number;
}

const MAX_ERROR_SAMPLES = 10;

interface Session {
  readonly startedAt: number;
  beatsLeft: number;
}

interface BoardRun {
  readonly board: SimulatedBoard;
  readonly target: LoadTarget;
  session: Session | null;
}

class Recorder {
  readonly latencies: number[] = [];
  readonly byAction = new Map<RepliedAction, number[]>();
  readonly samples: string[] = [];
  queries = 0;
  replies = 0;
  alives = 0;
  timeouts = 0;
  badReplies = 0;
  failures = 0;

  constructor(private readonly verify: VerifyMode) {}

  /** Sends one query and records it; resolves with whether it got the expected answer. */
  async run(
    run: BoardRun,
    action: RepliedAction,
    card: CardRole,
    measured: boolean,
    send: () => Promise<QueryResult>,
  ): Promise<boolean> {
    this.queries++;
    let result: QueryResult;
    try {
      result = await send();
    } catch (error) {
      this.failures++;
      this.sample(
        `${run.target.topicId} ${action}: ${error instanceof Error ? error.message : String(error)}`,
      );
      return false;
    }
    if (result.status !== 'reply') {
      this.timeouts++;
      this.sample(`${run.target.topicId} ${action}: ${result.status}`);
      return false;
    }
    this.replies++;
    if (measured) {
      this.latencies.push(result.latencyMs);
      const perAction = this.byAction.get(action) ?? [];
      perAction.push(result.latencyMs);
      this.byAction.set(action, perAction);
    }
    if (!this.isExpected(action, card, result)) {
      this.badReplies++;
      this.sample(`${run.target.topicId} ${action}: unexpected answer ${result.raw}`);
      return false;
    }
    return true;
  }

  sample(message: string): void {
    if (this.samples.length < MAX_ERROR_SAMPLES) this.samples.push(message);
  }

  private isExpected(action: RepliedAction, card: CardRole, result: ReplyResult): boolean {
    if (this.verify === 'echo') return true;
    const reply = result.reply;
    if (reply?.['request_ok'] !== true) return false;
    if (action !== 'checkuser') return true;
    // Refusals are answers too: request_ok true (never false, see the protocol) and not valid.
    return reply['is_valid'] === (card === 'authorized' || card === 'maintainer');
  }
}

function between(random: () => number, [min, max]: readonly [number, number]): number {
  return min + random() * (max - min);
}

function secondsSince(startedAt: number): number {
  return Math.round((performance.now() - startedAt) / 1000);
}

function send(run: BoardRun, action: RepliedAction, card: CardRole, timeoutMs: number): Promise<QueryResult> {
  const { board, target, session } = run;
  const duration = session ? secondsSince(session.startedAt) : 0;
  const options = { timeoutMs };
  const uid = cardFor(target, card);
  switch (action) {
    case 'checkuser':
      return board.checkuser(uid, options);
    case 'checkmachine':
      return board.checkmachine(options);
    case 'startuse':
      return board.startuse(uid, false, options);
    case 'inuse':
      return board.inuse(uid, duration, options);
    case 'stopuse':
      return board.stopuse(uid, duration, false, options);
    case 'maintenance':
      return board.maintenance(uid, false, options);
  }
}

/**
 * Drives one simulated board per target against the broker, verifies every reply and returns
 * latency and throughput figures. Each board keeps a single query in flight, like the firmware.
 * Throws when the boards cannot connect.
 */
export async function runLoad(options: LoadOptions): Promise<LoadStats> {
  const timeoutMs = options.timeoutMs ?? BOARD_REPLY_TIMEOUT_MS;
  const random = options.random ?? Math.random;
  const timing: CadenceTiming = { ...FIRMWARE_CADENCE, ...options.cadence };
  const prefix = options.clientIdPrefix ?? `BOARD${Math.floor(random() * 0xffff).toString(16)}-`;
  const recorder = new Recorder(options.verify);

  const runs: BoardRun[] = options.targets.map((target) => ({
    target,
    session: null,
    board: new SimulatedBoard({
      url: options.url,
      ...(options.username === undefined ? {} : { username: options.username }),
      ...(options.password === undefined ? {} : { password: options.password }),
      ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
      clientId: `${prefix}${target.topicId}`,
      topicRoot: options.topicRoot ?? 'machine',
      topicId: target.topicId,
    }),
  }));

  const mix = options.mix ?? 'classic';
  const sequence = MIX_SEQUENCES[mix];
  if (options.mode === 'saturate') {
    for (const target of options.targets) for (const s of sequence) cardFor(target, s.card);
  }
  const query = (
    run: BoardRun,
    action: RepliedAction,
    measured = true,
    card: CardRole = 'authorized',
  ): Promise<boolean> => recorder.run(run, action, card, measured, () => send(run, action, card, timeoutMs));

  const cadenceBoard = async (run: BoardRun, deadline: number): Promise<void> => {
    const start = performance.now();
    let nextCheck = start + random() * timing.checkmachineMs;
    let nextAlive = start + random() * timing.aliveMs;
    let nextSession = start + between(random, [0, timing.idleMs[1]]);
    for (;;) {
      const due = Math.min(nextCheck, nextAlive, nextSession);
      if (due >= deadline) return;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      if (due === nextCheck) {
        await query(run, 'checkmachine');
        nextCheck = due + timing.checkmachineMs;
      } else if (due === nextAlive) {
        try {
          await run.board.alive();
          recorder.alives++;
        } catch (error) {
          recorder.failures++;
          recorder.sample(
            `${run.target.topicId} alive: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
        nextAlive = due + timing.aliveMs;
      } else {
        const session = run.session;
        if (!session) {
          // Card tap: checkuser, then power on and startuse when granted.
          const granted = await query(run, 'checkuser');
          if (granted) {
            run.session = {
              startedAt: performance.now(),
              beatsLeft: Math.round(between(random, timing.inuseCount)),
            };
            await query(run, 'startuse');
            nextSession = performance.now() + timing.inuseMs;
          } else {
            nextSession = performance.now() + between(random, timing.idleMs);
          }
          nextCheck = Math.min(nextCheck, performance.now() + timing.tapCheckmachineMs);
        } else if (session.beatsLeft > 0) {
          session.beatsLeft--;
          await query(run, 'inuse');
          nextSession = due + timing.inuseMs;
        } else {
          // Same card again: logout.
          await query(run, 'stopuse');
          run.session = null;
          nextSession = performance.now() + between(random, timing.idleMs);
          nextCheck = Math.min(nextCheck, performance.now() + timing.tapCheckmachineMs);
        }
      }
    }
  };

  const saturateBoard = async (run: BoardRun, deadline: number): Promise<void> => {
    for (let n = 0; performance.now() < deadline; n = (n + 1) % sequence.length) {
      const { action, card } = sequence[n] ?? step('checkmachine');
      if (action === 'startuse') run.session = { startedAt: performance.now(), beatsLeft: 0 };
      const ok = await query(run, action, true, card);
      if (action === 'stopuse') run.session = null;
      // A board that cannot publish any more (client closed) stops; timeouts just go on.
      if (!ok && !run.board.connected) return;
    }
  };

  try {
    const concurrency = Math.max(1, options.connectConcurrency ?? 25);
    for (let i = 0; i < runs.length; i += concurrency) {
      await Promise.all(runs.slice(i, i + concurrency).map((run) => run.board.connect()));
    }

    const startedAt = performance.now();
    const deadline = startedAt + options.durationMs;
    const drive = options.mode === 'cadence' ? cadenceBoard : saturateBoard;
    await Promise.all(runs.map((run) => drive(run, deadline)));
    const elapsedMs = Math.max(performance.now() - startedAt, 1);
    const measuredReplies = recorder.replies;
    const measuredQueries = recorder.queries;

    if (options.closeSessions ?? true) {
      await Promise.all(runs.filter((run) => run.session).map((run) => query(run, 'stopuse', false)));
    }
    await sleep(options.drainMs ?? 300);

    const unexpected = runs.reduce((sum, run) => sum + run.board.unexpectedReplies.length, 0);
    for (const run of runs) {
      for (const stray of run.board.unexpectedReplies.slice(0, 2)) {
        recorder.sample(
          `${run.target.topicId}: unexpected reply ${stray.raw} after ${stray.afterQuery ?? 'nothing'}`,
        );
      }
    }
    const errors: LoadErrors = {
      timeouts: recorder.timeouts,
      badReplies: recorder.badReplies,
      unexpectedReplies: unexpected,
      failures: recorder.failures,
    };
    const byAction: Partial<Record<RepliedAction, LatencySummary>> = {};
    for (const [action, samples] of recorder.byAction) byAction[action] = summarizeLatencies(samples);
    return {
      mode: options.mode,
      verify: options.verify,
      mix,
      boards: runs.length,
      elapsedMs: round(elapsedMs, 1),
      queries: measuredQueries,
      count: measuredReplies,
      alives: recorder.alives,
      errors,
      errorCount: errors.timeouts + errors.badReplies + errors.unexpectedReplies + errors.failures,
      errorSamples: recorder.samples,
      latencyMs: summarizeLatencies(recorder.latencies),
      byAction,
      throughput: round(measuredReplies / (elapsedMs / 1000), 1),
    };
  } finally {
    await Promise.all(runs.map((run) => run.board.close()));
  }
}
