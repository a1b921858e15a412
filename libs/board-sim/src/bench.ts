/**
 * Load benchmark of the backend against simulated boards (product spec §4): latency at the real
 * firmware cadence, saturated throughput compared with a bare echo responder through the same broker,
 * and the app's CPU and memory. A measurement, not a test: exits 0 whatever the figures, 1 only when
 * the run itself broke (app did not start, replies missing or wrong).
 *
 *   node tools/bench.js [--boards 200] [--cadence-seconds 60] [--saturate-seconds 20] [--rounds 5] [--quick]
 *        [--mix classic|firmware|both] [--broker embedded|mosquitto|both] [--mosquitto-url mqtt://127.0.0.1:1883]
 *   node tools/bench.js --external-app --mqtt-url mqtt://host:1883 --username u --password p \
 *        --echo-username backend --echo-password p --seed seed.json
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  createWriteStream,
} from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { generateSeed, type SeedFile } from './bench-seed';
import { LOAD_MIXES, runLoad, type LoadMix, type LoadStats, type LoadTarget } from './load';
import { ProcSampler, readProc, type ProcUsage } from './proc-sampler';
import { SimulatedBoard } from './simulated-board';
import { startEcho } from './echo-worker';
import { median, round } from './stats';

const USAGE = `Usage: node tools/bench.js [options]
  --boards N               simulated boards (default 200)
  --cadence-seconds S      phase (a), boards at the firmware's cadence (default 60; --quick: 20)
  --saturate-seconds S     saturated time per side, backend and echo (default 20)
  --rounds R               the saturated time is split into R rounds that alternate backend and
                           echo (default 5); the ratio is the median of the rounds' ratios, so
                           a machine whose speed drifts during the run does not skew it
  --warmup-seconds S       before the rounds of each mix, S seconds of each side, printed but not
                           counted: the app's JIT compiles the board path in its first seconds of
                           load (default 5; 0: none)
  --quick                  shorter cadence phase
  --cadence-seconds 0      skips the cadence phase
  --mix M                  saturated query cycle: classic (a session and a checkmachine), firmware
                           (the field's mix: checkmachine, authorized tap, startuse, inuse, unknown
                           card tap, inuse, stopuse, tap without authorization, maintenance) or
                           both (default)
  --broker B               embedded (the app's own broker), mosquitto (the app started with
                           MQTT_URL on an external Mosquitto, the echo responder on the same one,
                           under a topic root unique to the run) or both (default)
  --mosquitto-url URL      the Mosquitto of --broker mosquitto (default mqtt://127.0.0.1:1883,
                           anonymous)
  --app-node-args="ARGS"   node options of the spawned app (e.g. "--cpu-prof --cpu-prof-dir=prof")
  --sql-profile            time every SQL statement of the app's event loop (tools/sql-profile.cjs)
                           and print, per broker, the statements that took the most time
  --external-app           do not start the app; needs --mqtt-url, --username, --password, --seed;
                           classic mix only (a seed file names no unknown or refused cards)
  --mqtt-url URL           broker of the external app
  --username / --password  board account of the external app
  --echo-username / --echo-password
                           account allowed to publish replies (default: the board account)
  --seed FILE              seed file the external app was seeded with (targets = its authorizations)
  --topic-root ROOT        topic root of the app (default machine)`;

const TARGET_P99_MS = 20;
const TARGET_THROUGHPUT_RATIO = 0.5;
const TARGET_IDLE_RSS_MB = 150;
const TARGET_READY_MS = 3000;
const ECHO_TOPIC_ROOT = 'echo';
type BrokerKind = 'embedded' | 'mosquitto';
const BROKERS: readonly BrokerKind[] = ['embedded', 'mosquitto'];
const READY_TIMEOUT_MS = 60_000;

interface BenchArgs {
  readonly boards: number;
  readonly cadenceSeconds: number;
  readonly saturateSeconds: number;
  readonly rounds: number;
  /** Seconds of each side run before the rounds of a mix, printed, not counted in the ratio. */
  readonly warmupSeconds: number;
  readonly mixes: readonly LoadMix[];
  readonly brokers: readonly BrokerKind[];
  readonly mosquittoUrl: string;
  /** Node options of the spawned app, e.g. `--cpu-prof --cpu-prof-dir=prof` to profile it. */
  readonly appNodeArgs: readonly string[];
  /** Time the app's SQL statements (tools/sql-profile.cjs) and print the costliest. */
  readonly sqlProfile: boolean;
  readonly externalApp: boolean;
  readonly mqttUrl: string | undefined;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly echoUsername: string | undefined;
  readonly echoPassword: string | undefined;
  readonly seed: string | undefined;
  readonly topicRoot: string;
}

interface Credentials {
  readonly username?: string;
  readonly password?: string;
}

/** Where the bench reaches the app. */
interface AppEndpoint {
  readonly mqttUrl: string;
  readonly topicRoot: string;
  /** Root of the echo responder's topics on the same broker. */
  readonly echoRoot: string;
  readonly boards: Credentials;
  readonly backend: Credentials;
  readonly targets: readonly LoadTarget[];
  readonly pid: number | null;
  readonly readyMs: number | null;
}

interface PhaseResult {
  readonly name: string;
  readonly stats: LoadStats;
  readonly app: ProcUsage | null;
  /** CPU of the bench process itself (load generator), percent of one core. */
  readonly benchCpuPercent: number;
  readonly note?: string;
}

interface TargetCheck {
  readonly name: string;
  readonly value: number;
  readonly threshold: string;
  readonly pass: boolean;
}

/** One broker × mix: the medians of its alternating rounds. */
interface ComboResult {
  readonly broker: BrokerKind | 'external';
  readonly mix: LoadMix;
  readonly ratios: readonly number[];
  readonly ratio: number;
  readonly backendRate: number;
  readonly echoRate: number;
  /** Medians of the backend rounds' p50 and p99 latencies. */
  readonly p50: number;
  readonly p99: number;
  /** Median app CPU per reply of the backend rounds (µs; 0 for an external app). */
  readonly appMicros: number;
}

class BenchBroken extends Error {}

function positiveInt(value: string | undefined, fallback: number, flag: string, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new BenchBroken(`${flag} must be an integer ≥ ${min}`);
  return n;
}

function choice<T extends string>(value: string, all: readonly T[], flag: string): readonly T[] {
  if (value === 'both') return all;
  const found = all.find((v) => v === value);
  if (!found) throw new BenchBroken(`${flag} must be ${all.join(', ')} or both`);
  return [found];
}

function parseBenchArgs(argv: string[]): BenchArgs | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      boards: { type: 'string' },
      'cadence-seconds': { type: 'string' },
      'saturate-seconds': { type: 'string' },
      rounds: { type: 'string' },
      'warmup-seconds': { type: 'string' },
      quick: { type: 'boolean', default: false },
      mix: { type: 'string', default: 'both' },
      broker: { type: 'string', default: 'both' },
      'mosquitto-url': { type: 'string', default: 'mqtt://127.0.0.1:1883' },
      'app-node-args': { type: 'string', default: '' },
      'sql-profile': { type: 'boolean', default: false },
      'external-app': { type: 'boolean', default: false },
      'mqtt-url': { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      'echo-username': { type: 'string' },
      'echo-password': { type: 'string' },
      seed: { type: 'string' },
      'topic-root': { type: 'string', default: 'machine' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return null;
  return {
    boards: positiveInt(values.boards, 200, '--boards'),
    cadenceSeconds: positiveInt(values['cadence-seconds'], values.quick ? 20 : 60, '--cadence-seconds', 0),
    saturateSeconds: positiveInt(values['saturate-seconds'], 20, '--saturate-seconds'),
    rounds: positiveInt(values.rounds, 5, '--rounds'),
    warmupSeconds: positiveInt(values['warmup-seconds'], 5, '--warmup-seconds', 0),
    mixes:
      values['external-app'] && values.mix === 'both' ? ['classic'] : choice(values.mix, LOAD_MIXES, '--mix'),
    brokers: values['external-app'] ? ['embedded'] : choice(values.broker, BROKERS, '--broker'),
    mosquittoUrl: values['mosquitto-url'],
    appNodeArgs: values['app-node-args'].split(' ').filter(Boolean),
    sqlProfile: values['sql-profile'] && !values['external-app'],
    externalApp: values['external-app'],
    mqttUrl: values['mqtt-url'],
    username: values.username,
    password: values.password,
    echoUsername: values['echo-username'],
    echoPassword: values['echo-password'],
    seed: values.seed,
    topicRoot: values['topic-root'],
  };
}

/** The repository root: the nearest parent holding nx.json. */
function findRepoRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Per board: one machine with a maintenance plan (not due), a member authorized on it, a member
 * without any authorization, and a card nobody holds; one staff member (authorize all) does the
 * maintenance taps. All cards are distinct.
 */
/** Targets of an existing seed file: authorizations whose member is a card. */
function targetsFromSeed(file: string, boards: number): LoadTarget[] {
  const seed = JSON.parse(readFileSync(file, 'utf8')) as Partial<SeedFile>;
  const targets = (seed.authorizations ?? [])
    .filter((a) => /^[0-9a-f]{8}$/i.test(a.member))
    .map((a) => ({ topicId: a.machine, uid: a.member.toLowerCase() }));
  const unique = [...new Map(targets.map((t) => [t.topicId, t])).values()];
  if (unique.length === 0) throw new BenchBroken(`${file}: no authorization of a card on a machine`);
  return unique.slice(0, boards);
}

/** The spawned app: its output is kept in a log file, the tail in memory for error messages. */
class AppProcess {
  private readonly tail: string[] = [];
  private exitCode: number | null = null;
  private exited = false;

  constructor(
    private readonly child: ChildProcess,
    logFile: string,
  ) {
    const log = createWriteStream(logFile);
    const keep = (chunk: Buffer): void => {
      log.write(chunk);
      this.tail.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      this.tail.splice(0, Math.max(0, this.tail.length - 30));
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code) => {
      this.exited = true;
      this.exitCode = code;
      log.end();
    });
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get running(): boolean {
    return !this.exited;
  }

  describeExit(): string {
    return `app exited with code ${this.exitCode}:\n${this.tail.join('\n')}`;
  }

  outputTail(): string {
    return this.tail.join('\n');
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolveExit) => this.child.once('exit', () => resolveExit()));
    this.child.kill('SIGTERM');
    const killed = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
    if (!killed) {
      this.child.kill('SIGKILL');
      await exited;
    }
  }
}

function runToCompletion(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolveRun(output)
        : reject(new BenchBroken(`${args.join(' ')} exited ${code}:\n${output}`)),
    );
  });
}

async function waitReady(url: string, app: AppProcess): Promise<void> {
  const deadline = performance.now() + READY_TIMEOUT_MS;
  let last = 'no answer';
  while (performance.now() < deadline) {
    if (!app.running) throw new BenchBroken(app.describeExit());
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (response.status === 200) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(50);
  }
  throw new BenchBroken(`app not ready after ${READY_TIMEOUT_MS} ms (${last}):\n${app.outputTail()}`);
}

async function startApp(
  root: string,
  args: BenchArgs,
  workDir: string,
  broker: BrokerKind,
): Promise<{ app: AppProcess; endpoint: AppEndpoint }> {
  const cli = join(root, 'bin', 'fabomatic.js');
  if (!existsSync(cli)) throw new BenchBroken(`${cli} not found`);
  const [httpPort, brokerPort] = [await freePort(), await freePort()];
  const boardPassword = randomBytes(12).toString('hex');
  const backendPassword = randomBytes(12).toString('hex');
  // On a shared Mosquitto, topics unique to this run keep other users' traffic out of the figures.
  const prefix = broker === 'mosquitto' ? `bench-${randomBytes(4).toString('hex')}/` : '';
  const topicRoot = `${prefix}${args.topicRoot}`;
  const { MQTT_URL: _inherited, ...inheritedEnv } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...inheritedEnv,
    HOST: '127.0.0.1',
    BROKER_HOST: '127.0.0.1',
    PORT: String(httpPort),
    DATABASE_URL: `sqlite:${join(workDir, `bench-${broker}.db`)}`,
    BROKER_PORT: String(brokerPort),
    BOARD_MQTT_USERNAME: 'board',
    BOARD_MQTT_PASSWORD: boardPassword,
    BACKEND_MQTT_USERNAME: 'backend',
    BACKEND_MQTT_PASSWORD: backendPassword,
    LOG_LEVEL: 'warn',
    MQTT_TOPIC_ROOT: topicRoot,
    // Every simulated board connects from 127.0.0.1, and saturates its topic: no broker limit applies.
    BROKER_MAX_CONNECTIONS: '1000000',
    BROKER_MAX_CONNECTIONS_PER_IP: '1000000',
    BOARD_RATE_LIMIT_BURST: '1000000',
    BOARD_RATE_LIMIT_PER_SECOND: '1000000',
    ...(broker === 'mosquitto' ? { MQTT_URL: args.mosquittoUrl } : {}),
    ...(args.sqlProfile ? { FABOMATIC_SQL_PROFILE: sqlProfileFile(workDir, broker) } : {}),
  };
  const { seed, targets } = generateSeed(args.boards);
  const seedFile = join(workDir, `seed-${broker}.json`);
  writeFileSync(seedFile, JSON.stringify(seed));
  console.log(`seeding ${args.boards} machines, members and authorizations…`);
  await runToCompletion(process.execPath, [cli, 'seed', seedFile], root, env);

  console.log(
    `starting the app (HTTP ${httpPort}, ${broker === 'mosquitto' ? `Mosquitto ${args.mosquittoUrl}, topic root ${topicRoot}` : `embedded broker ${brokerPort}`})…`,
  );
  const spawnedAt = performance.now();
  const profiler = args.sqlProfile ? ['--require', join(root, 'tools', 'sql-profile.cjs')] : [];
  const child = spawn(process.execPath, [...args.appNodeArgs, ...profiler, cli, 'serve'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const app = new AppProcess(child, join(workDir, `app-${broker}.log`));
  await waitReady(`http://127.0.0.1:${httpPort}/ready`, app);
  const embedded = broker === 'embedded';
  return {
    app,
    endpoint: {
      mqttUrl: embedded ? `mqtt://127.0.0.1:${brokerPort}` : args.mosquittoUrl,
      topicRoot,
      echoRoot: `${prefix}${ECHO_TOPIC_ROOT}`,
      // Mosquitto of the bench is anonymous; the embedded broker checks both accounts.
      boards: embedded ? { username: 'board', password: boardPassword } : {},
      backend: embedded ? { username: 'backend', password: backendPassword } : {},
      targets,
      pid: app.pid,
      readyMs: round(performance.now() - spawnedAt, 0),
    },
  };
}

function externalEndpoint(args: BenchArgs): AppEndpoint {
  if (!args.mqttUrl || !args.seed) throw new BenchBroken('--external-app needs --mqtt-url and --seed');
  const boards: Credentials = {
    ...(args.username === undefined ? {} : { username: args.username }),
    ...(args.password === undefined ? {} : { password: args.password }),
  };
  const backend: Credentials =
    args.echoUsername === undefined
      ? boards
      : {
          username: args.echoUsername,
          ...(args.echoPassword === undefined ? {} : { password: args.echoPassword }),
        };
  return {
    mqttUrl: args.mqttUrl,
    topicRoot: args.topicRoot,
    echoRoot: ECHO_TOPIC_ROOT,
    boards,
    backend,
    targets: targetsFromSeed(resolve(args.seed), args.boards),
    pid: null,
    readyMs: null,
  };
}

/**
 * Whether boards with `credentials` can use the echo topics: the app's broker may confine the board
 * account to the app's own topic root, in which case the echo phase uses the backend account.
 */
async function echoReachable(mqttUrl: string, echoRoot: string, credentials: Credentials): Promise<boolean> {
  const board = new SimulatedBoard({
    url: mqttUrl,
    ...credentials,
    topicRoot: echoRoot,
    topicId: '1',
  });
  try {
    await board.connect();
    const result = await board.checkmachine();
    return result.status === 'reply';
  } catch {
    return false;
  } finally {
    await board.close();
  }
}

async function measure(
  name: string,
  sampler: ProcSampler | null,
  load: () => Promise<LoadStats>,
  note?: string,
): Promise<PhaseResult> {
  console.log(`\n▶ ${name}…`);
  const from = sampler?.sample() ?? null;
  const benchFrom = process.cpuUsage();
  const benchStart = performance.now();
  const stats = await load();
  const benchCpu = process.cpuUsage(benchFrom);
  const benchSeconds = (performance.now() - benchStart) / 1000;
  const to = sampler?.sample() ?? null;
  const app = sampler && from && to ? sampler.usageBetween(from, to) : null;
  const result: PhaseResult = {
    name,
    stats,
    app,
    benchCpuPercent: round(((benchCpu.user + benchCpu.system) / 1e6 / benchSeconds) * 100, 1),
    ...(note ? { note } : {}),
  };
  console.log(
    `  ${stats.count} replies, ${stats.errorCount} errors, p99 ${stats.latencyMs.p99} ms, ${stats.throughput}/s`,
  );
  return result;
}

/**
 * The app's CPU time per reply, over the whole phase (connects and drain included): robust to a
 * busy machine, where replies/s only show the CPU share the app got. In echo phases on the embedded
 * broker this is the broker's cost alone.
 */
const appMicrosPerReply = (p: PhaseResult): number =>
  p.app && p.stats.count > 0 ? round((p.app.cpuSeconds * 1e6) / p.stats.count, 0) : 0;

/** Mebibytes (what `ps` and /proc show, in KiB), for the tables and the JSON file. */
const mib = (bytes: number): number => round(bytes / 1024 / 1024, 1);
/** Decimal megabytes: the idle target (product.md §4) is checked in these, the stricter reading. */
const decimalMb = (bytes: number): number => round(bytes / 1e6, 1);

function printReport(
  phases: readonly PhaseResult[],
  combos: readonly ComboResult[],
  checks: readonly TargetCheck[],
  idleRss: ReadonlyMap<BrokerKind, number>,
): void {
  const header = [
    'phase',
    'replies',
    'errors',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'max ms',
    'replies/s',
    'app CPU%',
    'app RSS MiB',
    'app µs/reply',
    'bench CPU%',
  ];
  const rows = phases.map((p) => [
    p.name,
    String(p.stats.count),
    String(p.stats.errorCount),
    p.stats.latencyMs.p50.toFixed(2),
    p.stats.latencyMs.p95.toFixed(2),
    p.stats.latencyMs.p99.toFixed(2),
    p.stats.latencyMs.max.toFixed(2),
    p.stats.throughput.toFixed(1),
    p.app ? p.app.cpuPercent.toFixed(1) : 'n/a',
    p.app ? mib(p.app.peakRssBytes).toFixed(1) : 'n/a',
    p.app && p.stats.count > 0 ? appMicrosPerReply(p).toFixed(0) : 'n/a',
    p.benchCpuPercent.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const row of rows) console.log(line(row));
  for (const [broker, rss] of idleRss) {
    console.log(`\napp idle RSS before load (${broker}): ${mib(rss)} MiB = ${decimalMb(rss)} MB`);
  }
  const comboHeader = [
    'broker',
    'mix',
    'backend/s',
    'echo/s',
    'ratio',
    'round ratios',
    'p50 ms',
    'p99 ms',
    'app µs/reply',
  ];
  const comboRows = combos.map((c) => [
    c.broker,
    c.mix,
    c.backendRate.toFixed(1),
    c.echoRate.toFixed(1),
    c.ratio.toFixed(3),
    c.ratios.join(' '),
    c.p50.toFixed(2),
    c.p99.toFixed(2),
    c.appMicros > 0 ? String(c.appMicros) : 'n/a',
  ]);
  const comboWidths = comboHeader.map((h, i) =>
    Math.max(h.length, ...comboRows.map((r) => (r[i] ?? '').length)),
  );
  const comboLine = (cells: readonly string[]): string =>
    cells.map((c, i) => (i < 2 ? c.padEnd(comboWidths[i] ?? 0) : c.padStart(comboWidths[i] ?? 0))).join('  ');
  console.log(
    `\nsaturated, medians of the rounds (replies/s, backend/echo ratio, backend latency):\n${comboLine(comboHeader)}\n${comboWidths.map((w) => '-'.repeat(w)).join('  ')}`,
  );
  for (const row of comboRows) console.log(comboLine(row));
  for (const p of phases) {
    if (p.note) console.log(`note (${p.name}): ${p.note}`);
    for (const sample of p.stats.errorSamples) console.log(`  error (${p.name}): ${sample}`);
  }
  console.log('');
  for (const c of checks)
    console.log(`${c.pass ? 'PASS' : 'FAIL'}  ${c.name}: ${c.value} (target ${c.threshold})`);
}

interface BrokerRun {
  readonly phases: PhaseResult[];
  readonly combos: ComboResult[];
  readonly checks: TargetCheck[];
  readonly idleRss: number | null;
  readonly peakRss: number | null;
  readonly readyMs: number | null;
}

/** What the phases of one broker run share. */
interface BrokerPhases {
  readonly args: BenchArgs;
  /** The broker, or `external`, as the phase names and checks print it. */
  readonly label: BrokerKind | 'external';
  readonly endpoint: AppEndpoint;
  readonly sampler: ProcSampler | null;
}

/** One app on one broker: the cadence phase, then the alternating saturated rounds of each mix. */
async function runBroker(
  args: BenchArgs,
  root: string,
  workDir: string,
  broker: BrokerKind,
  cleanups: (() => Promise<void>)[],
): Promise<BrokerRun> {
  const { endpoint, app } = await openEndpoint(args, root, workDir, broker, cleanups);
  const label = args.externalApp ? 'external' : broker;
  let sampler: ProcSampler | null = null;
  const phases: PhaseResult[] = [];
  const combos: ComboResult[] = [];
  const checks: TargetCheck[] = [];
  try {
    if (endpoint.pid !== null) {
      await sleep(2000); // let start-up work settle before the idle reading
      sampler = new ProcSampler(endpoint.pid);
      sampler.start();
    }
    const idleRss = endpoint.pid === null ? null : (readProc(endpoint.pid)?.rssBytes ?? null);
    const run: BrokerPhases = { args, label, endpoint, sampler };

    if (args.cadenceSeconds > 0) {
      const cadence = await runCadencePhase(run);
      phases.push(cadence.phase);
      checks.push(cadence.check);
    }
    const saturated = await runSaturatedMixes(run);
    phases.push(...saturated.phases);
    combos.push(...saturated.combos);
    checks.push(...saturated.checks, ...appChecks(label, idleRss, endpoint.readyMs));
    return {
      phases,
      combos,
      checks,
      idleRss,
      peakRss: sampler ? sampler.peakRssBytes : null,
      readyMs: endpoint.readyMs,
    };
  } finally {
    sampler?.stop();
    // The next broker's app must not share the 2 cores with this one.
    await app?.stop();
    if (args.sqlProfile) printSqlProfile(label, sqlProfileFile(workDir, broker));
  }
}

const sqlProfileFile = (workDir: string, broker: BrokerKind) => join(workDir, `sql-${broker}.json`);

/** The statements that took the app's event loop the most time (tools/sql-profile.cjs's totals). */
function printSqlProfile(label: string, file: string): void {
  if (!existsSync(file)) {
    console.log(`\nSQL profile (${label}): none written`);
    return;
  }
  const { statements } = JSON.parse(readFileSync(file, 'utf8')) as {
    statements: { sql: string; calls: number; ms: number }[];
  };
  const total = statements.reduce((sum, s) => sum + s.ms, 0);
  console.log(
    `\nSQL profile (${label}): ${round(total, 0)} ms in ${statements.length} statements, the costliest:`,
  );
  console.log('     ms   share      calls  µs/call  statement');
  for (const s of [...statements].sort((a, b) => b.ms - a.ms).slice(0, 15)) {
    const share = `${round((100 * s.ms) / total, 1)} %`;
    console.log(
      `${String(round(s.ms, 0)).padStart(7)}  ${share.padStart(6)}  ${String(s.calls).padStart(9)}  ${String(round((1000 * s.ms) / s.calls, 1)).padStart(7)}  ${s.sql.slice(0, 110)}`,
    );
  }
}

/** The app the bench starts on `broker`, or the external one; a started app is stopped by `cleanups`. */
async function openEndpoint(
  args: BenchArgs,
  root: string,
  workDir: string,
  broker: BrokerKind,
  cleanups: (() => Promise<void>)[],
): Promise<{ endpoint: AppEndpoint; app: AppProcess | null }> {
  if (args.externalApp) return { endpoint: externalEndpoint(args), app: null };
  const started = await startApp(root, args, workDir, broker);
  cleanups.unshift(() => started.app.stop());
  console.log(`app ready in ${started.endpoint.readyMs} ms`);
  return started;
}

/** The load every phase sends: the endpoint's broker, boards and topic root. */
const loadBase = (endpoint: AppEndpoint) => ({
  url: endpoint.mqttUrl,
  targets: endpoint.targets,
  topicRoot: endpoint.topicRoot,
});

/** Phase (a): every board at the firmware's cadence, judged on its p99 latency. */
async function runCadencePhase({
  args,
  label,
  endpoint,
  sampler,
}: BrokerPhases): Promise<{ phase: PhaseResult; check: TargetCheck }> {
  const boards = endpoint.targets.length;
  const phase = await measure(`${label} cadence ${boards} boards ${args.cadenceSeconds}s`, sampler, () =>
    runLoad({
      ...loadBase(endpoint),
      ...endpoint.boards,
      mode: 'cadence',
      verify: 'backend',
      durationMs: args.cadenceSeconds * 1000,
    }),
  );
  return {
    phase,
    check: {
      name: `${label}: p99 latency at real cadence (${boards} boards)`,
      value: phase.stats.latencyMs.p99,
      threshold: `< ${TARGET_P99_MS} ms`,
      pass: phase.stats.latencyMs.p99 < TARGET_P99_MS,
    },
  };
}

/** The saturated rounds of every mix, backend against the echo responder on the same broker. */
async function runSaturatedMixes(
  run: BrokerPhases,
): Promise<{ phases: PhaseResult[]; combos: ComboResult[]; checks: TargetCheck[] }> {
  const { endpoint } = run;
  const phases: PhaseResult[] = [];
  const combos: ComboResult[] = [];
  const checks: TargetCheck[] = [];
  const echo = await startEcho({
    url: endpoint.mqttUrl,
    ...endpoint.backend,
    topicRoot: endpoint.echoRoot,
  });
  try {
    const boardAccountWorks = await echoReachable(endpoint.mqttUrl, endpoint.echoRoot, endpoint.boards);
    const echoSide: EchoSide = {
      boards: boardAccountWorks ? endpoint.boards : endpoint.backend,
      note: boardAccountWorks
        ? undefined
        : `the board account may not use the echo topics (broker ACL): echo boards used the backend account; echo responder ran ${echo.where}`,
    };
    for (const mix of run.args.mixes) {
      const saturated = await runSaturatedMix(run, mix, echoSide);
      phases.push(...saturated.phases);
      combos.push(saturated.combo);
      checks.push(saturated.check);
    }
  } finally {
    await echo.stop();
  }
  return { phases, combos, checks };
}

/** The account the echo phases' boards use, and why when it is not the board account. */
interface EchoSide {
  readonly boards: Credentials;
  readonly note: string | undefined;
}

/** One mix: rounds alternating backend and echo, and the medians of their figures. */
async function runSaturatedMix(
  { args, label, endpoint, sampler }: BrokerPhases,
  mix: LoadMix,
  echoSide: EchoSide,
): Promise<{ phases: PhaseResult[]; combo: ComboResult; check: TargetCheck }> {
  const roundMs = Math.max(1000, Math.round((args.saturateSeconds * 1000) / args.rounds));
  const runBackend = (name: string, durationMs = roundMs): Promise<PhaseResult> =>
    measure(`${label} ${mix} backend ${name} ${round(durationMs / 1000, 1)}s`, sampler, () =>
      runLoad({
        ...loadBase(endpoint),
        ...endpoint.boards,
        mode: 'saturate',
        mix,
        verify: 'backend',
        durationMs,
      }),
    );
  const runEcho = (name: string, durationMs = roundMs, note?: string): Promise<PhaseResult> =>
    measure(
      `${label} ${mix} echo ${name} ${round(durationMs / 1000, 1)}s`,
      sampler,
      () =>
        runLoad({
          ...loadBase(endpoint),
          ...echoSide.boards,
          topicRoot: endpoint.echoRoot,
          mode: 'saturate',
          mix,
          verify: 'echo',
          durationMs,
        }),
      note,
    );
  // Warm-up, not counted: the app's first seconds under load run the board path before the JIT has
  // optimised it (~2× the CPU a reply of the rounds after); a lab's backend runs for weeks.
  const warmup: PhaseResult[] = [];
  if (args.warmupSeconds > 0) {
    warmup.push(await runBackend('warm-up (not counted)', args.warmupSeconds * 1000));
    warmup.push(await runEcho('warm-up (not counted)', args.warmupSeconds * 1000, echoSide.note));
  }
  const rounds: { backend: PhaseResult; echo: PhaseResult; ratio: number }[] = [];
  // Alternating which side goes first (ABBA) cancels a steady drift of the machine's speed.
  for (let n = 1; n <= args.rounds; n++) {
    let backendPhase: PhaseResult;
    let echoPhase: PhaseResult;
    const note = n === 1 && warmup.length === 0 ? echoSide.note : undefined;
    if (n % 2 === 1) {
      backendPhase = await runBackend(`#${n}`);
      echoPhase = await runEcho(`#${n}`, roundMs, note);
    } else {
      echoPhase = await runEcho(`#${n}`, roundMs, note);
      backendPhase = await runBackend(`#${n}`);
    }
    const echoRate = echoPhase.stats.throughput;
    rounds.push({
      backend: backendPhase,
      echo: echoPhase,
      ratio: echoRate > 0 ? round(backendPhase.stats.throughput / echoRate, 3) : 0,
    });
  }
  const ratios = rounds.map((r) => r.ratio);
  const combo: ComboResult = {
    broker: label,
    mix,
    ratios,
    ratio: round(median(ratios), 3),
    backendRate: round(median(rounds.map((r) => r.backend.stats.throughput)), 1),
    echoRate: round(median(rounds.map((r) => r.echo.stats.throughput)), 1),
    p50: round(median(rounds.map((r) => r.backend.stats.latencyMs.p50)), 2),
    p99: round(median(rounds.map((r) => r.backend.stats.latencyMs.p99)), 2),
    appMicros: round(median(rounds.map((r) => appMicrosPerReply(r.backend))), 0),
  };
  return {
    phases: [...warmup, ...rounds.flatMap((r) => [r.backend, r.echo])],
    combo,
    check: {
      name: `${label} ${mix}: saturated throughput / echo, median of ${ratios.length} rounds [${ratios.join(', ')}] (medians ${combo.backendRate} / ${combo.echoRate} replies/s)`,
      value: combo.ratio,
      threshold: `≥ ${TARGET_THROUGHPUT_RATIO}`,
      pass: combo.ratio >= TARGET_THROUGHPUT_RATIO,
    },
  };
}

/** The app's own targets: idle memory and start-up time (neither known for an external app). */
function appChecks(label: string, idleRss: number | null, readyMs: number | null): TargetCheck[] {
  const checks: TargetCheck[] = [];
  if (idleRss !== null) {
    const idleMb = decimalMb(idleRss);
    checks.push({
      name: `${label}: app idle RSS in MB (${mib(idleRss)} MiB)`,
      value: idleMb,
      threshold: `< ${TARGET_IDLE_RSS_MB} MB`,
      pass: idleMb < TARGET_IDLE_RSS_MB,
    });
  }
  if (readyMs !== null) {
    checks.push({
      name: `${label}: app ready (ms from spawn)`,
      value: readyMs,
      threshold: `≤ ${TARGET_READY_MS} ms`,
      pass: readyMs <= TARGET_READY_MS,
    });
  }
  return checks;
}

async function runBench(args: BenchArgs, root: string, cleanups: (() => Promise<void>)[]): Promise<number> {
  const workDir = mkdtempSync(join(tmpdir(), 'fabomatic-bench-'));
  cleanups.push(async () => rmSync(workDir, { recursive: true, force: true }));

  const runs = new Map<BrokerKind, BrokerRun>();
  for (const broker of args.brokers) {
    console.log(`\n═══ ${args.externalApp ? 'external app' : `broker: ${broker}`} ═══`);
    runs.set(broker, await runBroker(args, root, workDir, broker, cleanups));
  }
  const all = [...runs.values()];
  const phases = all.flatMap((r) => r.phases);
  const combos = all.flatMap((r) => r.combos);
  const checks = all.flatMap((r) => r.checks);
  const idleRss = new Map<BrokerKind, number>();
  for (const [broker, r] of runs) if (r.idleRss !== null) idleRss.set(broker, r.idleRss);
  printReport(phases, combos, checks, idleRss);

  const broken = phases
    .filter((p) => p.stats.count === 0 || p.stats.errorCount > 0)
    .map((p) => `${p.name}: ${p.stats.count} replies, ${p.stats.errorCount} errors`);
  writeResults(root, { args, runs, phases, combos, checks, broken });
  if (broken.length > 0) {
    console.error(`\nthe run itself broke (missing or wrong replies):\n  ${broken.join('\n  ')}`);
    return 1;
  }
  return 0;
}

/** Everything one run measured, for its JSON file. */
interface BenchOutcome {
  readonly args: BenchArgs;
  readonly runs: ReadonlyMap<BrokerKind, BrokerRun>;
  readonly phases: readonly PhaseResult[];
  readonly combos: readonly ComboResult[];
  readonly checks: readonly TargetCheck[];
  /** The phases whose replies were missing or wrong. */
  readonly broken: readonly string[];
}

/** The run's figures as bench-results/bench-<time>.json (passwords left out). */
function writeResults(root: string, { args, runs, phases, combos, checks, broken }: BenchOutcome): void {
  const results = {
    startedAt: new Date().toISOString(),
    config: { ...args, password: undefined, echoPassword: undefined },
    host: { cpus: cpus().length, node: process.version },
    apps: Object.fromEntries(
      [...runs].map(([broker, r]) => [
        broker,
        {
          readyMs: r.readyMs,
          idleRssMiB: r.idleRss === null ? null : mib(r.idleRss),
          idleRssMB: r.idleRss === null ? null : decimalMb(r.idleRss),
          peakRssMiB: r.peakRss === null ? null : mib(r.peakRss),
        },
      ]),
    ),
    phases: phases.map((p) => ({
      ...p,
      app: p.app && {
        cpuPercent: round(p.app.cpuPercent, 1),
        cpuMicrosPerReply: appMicrosPerReply(p),
        peakRssMiB: mib(p.app.peakRssBytes),
      },
    })),
    combinations: combos,
    checks,
    broken,
  };
  const outDir = join(root, 'bench-results');
  mkdirSync(outDir, { recursive: true });
  const outFile = join(outDir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nresults: ${outFile}`);
}

/** CLI entry; resolves to the exit code. */
export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  const cleanups: (() => Promise<void>)[] = [];
  const onSignal = (): void => {
    void Promise.allSettled(cleanups.map((cleanup) => cleanup())).then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  try {
    const args = parseBenchArgs(argv);
    if (!args) {
      console.log(USAGE);
      return 0;
    }
    return await runBench(args, findRepoRoot(), cleanups);
  } catch (error) {
    console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  }
}

if (require.main === module) {
  void main().then((code) => {
    process.exitCode = code;
  });
}
