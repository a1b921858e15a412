/**
 * Load benchmark of the backend against simulated boards (product spec §4): latency at the real
 * firmware cadence, saturated throughput compared with a bare echo responder through the same broker,
 * and the app's CPU and memory. A measurement, not a test: exits 0 whatever the figures, 1 only when
 * the run itself broke (app did not start, replies missing or wrong).
 *
 *   node tools/bench.js [--boards 200] [--cadence-seconds 60] [--saturate-seconds 20] [--rounds 5] [--quick]
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
import { runLoad, type LoadStats, type LoadTarget } from './load';
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
  --quick                  shorter cadence phase
  --external-app           do not start the app; needs --mqtt-url, --username, --password, --seed
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
const READY_TIMEOUT_MS = 60_000;

interface BenchArgs {
  readonly boards: number;
  readonly cadenceSeconds: number;
  readonly saturateSeconds: number;
  readonly rounds: number;
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
  readonly boards: Credentials;
  readonly backend: Credentials;
  readonly targets: readonly LoadTarget[];
  readonly pid: number | null;
  readonly readyMs: number | null;
}

interface SeedFile {
  readonly roles: readonly object[];
  readonly machineTypes: readonly object[];
  readonly machines: readonly { readonly topicId: string; readonly name: string; readonly type: string }[];
  readonly members: readonly object[];
  readonly authorizations: readonly { readonly member: string; readonly machine: string }[];
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

class BenchBroken extends Error {}

function positiveInt(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new BenchBroken(`${flag} must be a positive integer`);
  return n;
}

function parseBenchArgs(argv: string[]): BenchArgs | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      boards: { type: 'string' },
      'cadence-seconds': { type: 'string' },
      'saturate-seconds': { type: 'string' },
      rounds: { type: 'string' },
      quick: { type: 'boolean', default: false },
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
    cadenceSeconds: positiveInt(values['cadence-seconds'], values.quick ? 20 : 60, '--cadence-seconds'),
    saturateSeconds: positiveInt(values['saturate-seconds'], 20, '--saturate-seconds'),
    rounds: positiveInt(values.rounds, 5, '--rounds'),
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

/** One machine, one member with a unique card and one authorization per board. */
export function generateSeed(boards: number): { seed: SeedFile; targets: LoadTarget[] } {
  const cards = new Set<string>();
  while (cards.size < boards) cards.add(randomBytes(4).toString('hex'));
  const uids = [...cards];
  const machines = uids.map((_, i) => ({ topicId: String(i + 1), name: `Bench ${i + 1}`, type: 'Printer' }));
  return {
    seed: {
      roles: [{ name: 'Members', authorizeAll: false, maintenance: false, portalAccess: 'none' }],
      machineTypes: [
        { name: 'Printer', autoLogoffMinutes: 1440, graceMinutes: 2, accessManagement: 'authorization' },
      ],
      machines,
      members: uids.map((card, i) => ({
        name: 'Bench',
        surname: `Member ${i + 1}`,
        email: `bench${i + 1}@example.org`,
        role: 'Members',
        card,
      })),
      authorizations: uids.map((card, i) => ({ member: card, machine: String(i + 1) })),
    },
    targets: uids.map((uid, i) => ({ topicId: String(i + 1), uid })),
  };
}

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
): Promise<{ app: AppProcess; endpoint: AppEndpoint }> {
  const cli = join(root, 'bin', 'fabomatic.js');
  if (!existsSync(cli)) throw new BenchBroken(`${cli} not found`);
  const [httpPort, brokerPort] = [await freePort(), await freePort()];
  const boardPassword = randomBytes(12).toString('hex');
  const backendPassword = randomBytes(12).toString('hex');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: '127.0.0.1',
    BROKER_HOST: '127.0.0.1',
    PORT: String(httpPort),
    DATABASE_URL: `sqlite:${join(workDir, 'bench.db')}`,
    BROKER_PORT: String(brokerPort),
    BOARD_MQTT_USERNAME: 'board',
    BOARD_MQTT_PASSWORD: boardPassword,
    BACKEND_MQTT_USERNAME: 'backend',
    BACKEND_MQTT_PASSWORD: backendPassword,
    LOG_LEVEL: 'warn',
    MQTT_TOPIC_ROOT: args.topicRoot,
  };
  const { seed, targets } = generateSeed(args.boards);
  const seedFile = join(workDir, 'seed.json');
  writeFileSync(seedFile, JSON.stringify(seed));
  console.log(`seeding ${args.boards} machines, members and authorizations…`);
  await runToCompletion(process.execPath, [cli, 'seed', seedFile], root, env);

  console.log(`starting the app (HTTP ${httpPort}, broker ${brokerPort})…`);
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [cli, 'serve'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const app = new AppProcess(child, join(workDir, 'app.log'));
  await waitReady(`http://127.0.0.1:${httpPort}/ready`, app);
  return {
    app,
    endpoint: {
      mqttUrl: `mqtt://127.0.0.1:${brokerPort}`,
      boards: { username: 'board', password: boardPassword },
      backend: { username: 'backend', password: backendPassword },
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
async function echoReachable(mqttUrl: string, credentials: Credentials): Promise<boolean> {
  const board = new SimulatedBoard({
    url: mqttUrl,
    ...credentials,
    topicRoot: ECHO_TOPIC_ROOT,
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

/** Mebibytes (what `ps` and /proc show, in KiB), for the tables and the JSON file. */
const mib = (bytes: number): number => round(bytes / 1024 / 1024, 1);
/** Decimal megabytes: the idle target (product.md §4) is checked in these, the stricter reading. */
const decimalMb = (bytes: number): number => round(bytes / 1e6, 1);

function printReport(
  phases: readonly PhaseResult[],
  checks: readonly TargetCheck[],
  idleRss: number | null,
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
    p.benchCpuPercent.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const row of rows) console.log(line(row));
  if (idleRss !== null) {
    console.log(`\napp idle RSS before load: ${mib(idleRss)} MiB = ${decimalMb(idleRss)} MB`);
  }
  for (const p of phases) {
    if (p.note) console.log(`note (${p.name}): ${p.note}`);
    for (const sample of p.stats.errorSamples) console.log(`  error (${p.name}): ${sample}`);
  }
  console.log('');
  for (const c of checks)
    console.log(`${c.pass ? 'PASS' : 'FAIL'}  ${c.name}: ${c.value} (target ${c.threshold})`);
}

async function runBench(args: BenchArgs, root: string, cleanups: (() => Promise<void>)[]): Promise<number> {
  const workDir = mkdtempSync(join(tmpdir(), 'fabomatic-bench-'));
  cleanups.push(async () => rmSync(workDir, { recursive: true, force: true }));

  let endpoint: AppEndpoint;
  let sampler: ProcSampler | null = null;
  if (args.externalApp) {
    endpoint = externalEndpoint(args);
  } else {
    const started = await startApp(root, args, workDir);
    cleanups.unshift(() => started.app.stop());
    endpoint = started.endpoint;
    console.log(`app ready in ${endpoint.readyMs} ms`);
  }
  if (endpoint.pid !== null) {
    await sleep(2000); // let start-up work settle before the idle reading
    sampler = new ProcSampler(endpoint.pid);
    sampler.start();
    cleanups.unshift(async () => sampler?.stop());
  }
  const idleRss = endpoint.pid === null ? null : (readProc(endpoint.pid)?.rssBytes ?? null);
  const boards = endpoint.targets.length;
  const common = { url: endpoint.mqttUrl, targets: endpoint.targets, topicRoot: args.topicRoot };

  const cadence = await measure(`cadence ${boards} boards ${args.cadenceSeconds}s`, sampler, () =>
    runLoad({
      ...common,
      ...endpoint.boards,
      mode: 'cadence',
      verify: 'backend',
      durationMs: args.cadenceSeconds * 1000,
    }),
  );
  const echo = await startEcho({ url: endpoint.mqttUrl, ...endpoint.backend, topicRoot: ECHO_TOPIC_ROOT });
  const rounds: { backend: PhaseResult; echo: PhaseResult; ratio: number }[] = [];
  try {
    const boardAccountWorks = await echoReachable(endpoint.mqttUrl, endpoint.boards);
    const echoBoards = boardAccountWorks ? endpoint.boards : endpoint.backend;
    const echoNote = boardAccountWorks
      ? undefined
      : `the board account may not use the echo topics (broker ACL): echo boards used the backend account; echo responder ran ${echo.where}`;
    const roundMs = Math.max(1000, Math.round((args.saturateSeconds * 1000) / args.rounds));
    const roundSeconds = round(roundMs / 1000, 1);
    const runBackend = (n: number): Promise<PhaseResult> =>
      measure(`saturate backend #${n} ${roundSeconds}s`, sampler, () =>
        runLoad({ ...common, ...endpoint.boards, mode: 'saturate', verify: 'backend', durationMs: roundMs }),
      );
    const runEcho = (n: number): Promise<PhaseResult> =>
      measure(
        `saturate echo #${n} ${roundSeconds}s`,
        sampler,
        () =>
          runLoad({
            ...common,
            ...echoBoards,
            topicRoot: ECHO_TOPIC_ROOT,
            mode: 'saturate',
            verify: 'echo',
            durationMs: roundMs,
          }),
        n === 1 ? echoNote : undefined,
      );
    // Alternating which side goes first (ABBA) cancels a steady drift of the machine's speed.
    for (let n = 1; n <= args.rounds; n++) {
      let backendPhase: PhaseResult;
      let echoPhase: PhaseResult;
      if (n % 2 === 1) {
        backendPhase = await runBackend(n);
        echoPhase = await runEcho(n);
      } else {
        echoPhase = await runEcho(n);
        backendPhase = await runBackend(n);
      }
      const echoRate = echoPhase.stats.throughput;
      rounds.push({
        backend: backendPhase,
        echo: echoPhase,
        ratio: echoRate > 0 ? round(backendPhase.stats.throughput / echoRate, 3) : 0,
      });
    }
  } finally {
    await echo.stop();
  }

  const phases = [cadence, ...rounds.flatMap((r) => [r.backend, r.echo])];
  const ratios = rounds.map((r) => r.ratio);
  const ratio = round(median(ratios), 3);
  const backendRate = round(median(rounds.map((r) => r.backend.stats.throughput)), 1);
  const echoRate = round(median(rounds.map((r) => r.echo.stats.throughput)), 1);
  const checks: TargetCheck[] = [
    {
      name: `p99 latency at real cadence (${boards} boards)`,
      value: cadence.stats.latencyMs.p99,
      threshold: `< ${TARGET_P99_MS} ms`,
      pass: cadence.stats.latencyMs.p99 < TARGET_P99_MS,
    },
    {
      name: `saturated throughput / echo, median of ${ratios.length} rounds [${ratios.join(', ')}] (medians ${backendRate} / ${echoRate} replies/s)`,
      value: ratio,
      threshold: `≥ ${TARGET_THROUGHPUT_RATIO}`,
      pass: ratio >= TARGET_THROUGHPUT_RATIO,
    },
  ];
  if (idleRss !== null) {
    const idleMb = decimalMb(idleRss);
    checks.push({
      name: `app idle RSS in MB (${mib(idleRss)} MiB)`,
      value: idleMb,
      threshold: `< ${TARGET_IDLE_RSS_MB} MB`,
      pass: idleMb < TARGET_IDLE_RSS_MB,
    });
  }
  if (endpoint.readyMs !== null) {
    const readyMs = endpoint.readyMs;
    checks.push({
      name: 'app ready (ms from spawn)',
      value: readyMs,
      threshold: `≤ ${TARGET_READY_MS} ms`,
      pass: readyMs <= TARGET_READY_MS,
    });
  }
  printReport(phases, checks, idleRss);

  const broken = phases
    .filter((p) => p.stats.count === 0 || p.stats.errorCount > 0)
    .map((p) => `${p.name}: ${p.stats.count} replies, ${p.stats.errorCount} errors`);
  const results = {
    startedAt: new Date().toISOString(),
    config: { ...args, boards, password: undefined, echoPassword: undefined },
    host: { cpus: cpus().length, node: process.version },
    app:
      endpoint.pid === null
        ? null
        : {
            readyMs: endpoint.readyMs,
            idleRssMiB: idleRss === null ? null : mib(idleRss),
            idleRssMB: idleRss === null ? null : decimalMb(idleRss),
            peakRssMiB: sampler ? mib(sampler.peakRssBytes) : null,
          },
    phases: phases.map((p) => ({
      ...p,
      app: p.app && { cpuPercent: round(p.app.cpuPercent, 1), peakRssMiB: mib(p.app.peakRssBytes) },
    })),
    throughputRatio: ratio,
    roundRatios: ratios,
    saturatedMedians: { backend: backendRate, echo: echoRate },
    checks,
    broken,
  };
  const outDir = join(root, 'bench-results');
  mkdirSync(outDir, { recursive: true });
  const outFile = join(outDir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nresults: ${outFile}`);
  if (broken.length > 0) {
    console.error(`\nthe run itself broke (missing or wrong replies):\n  ${broken.join('\n  ')}`);
    return 1;
  }
  return 0;
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
