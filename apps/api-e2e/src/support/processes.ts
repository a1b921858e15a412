import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The workspace root: `bin/fabomatic.js` runs the built app from `dist/apps/api`. */
export const REPO_ROOT = resolve(__dirname, '../../../..');
const CLI = join(REPO_ROOT, 'bin', 'fabomatic.js');

/** Keep the last bytes of a child's output for failure messages. */
const OUTPUT_LIMIT = 64 * 1024;

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A child process with its output captured and a promise of its exit. */
export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  readonly pid: number;
  readonly exited: Promise<Exit>;
  /** Whether it has exited already. */
  readonly alive: boolean;
  /** The tail of stdout + stderr, for diagnostics. */
  output(): string;
  /** Output lines that report errors or dropped replies (the first 200), and how many there were. */
  readonly notable: { readonly lines: string[]; count: number };
  /** Sends `signal` and waits for the exit; escalates to SIGKILL after `graceMs`. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<Exit>;
}

const running = new Set<Child>();

/** Log lines worth reporting: errors (JSON or text logs) and replies the app decided not to send. */
const NOTABLE = /"level":"(error|fatal)"|\bERROR\b|no reply sent|Unhandled|uncaught/i;

/** Spawns a command with piped output; the child is tracked until it exits (see {@link stopAll}). */
export function spawnChild(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): Child {
  const proc = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (proc.pid === undefined) throw new Error(`${name}: spawn failed`);
  let output = '';
  const notable = { lines: [] as string[], count: 0 };
  /** One line splitter per stream, so stdout and stderr lines never merge. */
  const collector = () => {
    let partial = '';
    return (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      if (output.length > OUTPUT_LIMIT * 2) output = output.slice(-OUTPUT_LIMIT);
      const lines = (partial + text).split('\n');
      partial = (lines.pop() ?? '').slice(-OUTPUT_LIMIT);
      for (const line of lines) {
        if (!NOTABLE.test(line)) continue;
        notable.count += 1;
        if (notable.lines.length < 200) notable.lines.push(line.slice(0, 2000));
      }
    };
  };
  const append = collector();
  proc.stdout?.on('data', append);
  proc.stderr?.on('data', collector());
  let exit: Exit | null = null;
  const exited = new Promise<Exit>((done) => {
    proc.once('exit', (code, signal) => {
      exit = { code, signal };
      running.delete(child);
      done(exit);
    });
    proc.once('error', (error) => {
      append(Buffer.from(`\n[spawn error] ${error.message}\n`));
      exit = { code: null, signal: null };
      running.delete(child);
      done(exit);
    });
  });
  const child: Child = {
    name,
    process: proc,
    pid: proc.pid,
    exited,
    get alive() {
      return exit === null;
    },
    output: () => output.slice(-OUTPUT_LIMIT),
    notable,
    async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000) {
      if (exit) return exit;
      proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
  running.add(child);
  return child;
}

/** Stops every child still running (afterEach / afterAll safety net). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => child.stop('SIGKILL')));
}

/** A port nobody listens on right now (listen on port 0, read it, close). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', done);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** Temp dirs removed by {@link removeTempDirs}. */
const tempDirs: string[] = [];

export function tempDir(prefix = 'fabomatic-e2e-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A minimal environment: nothing of the test runner's (DATABASE_URL, MQTT_URL...) leaks in. */
export function baseEnv(vars: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: process.env['HOME'] ?? tmpdir(),
    NODE_ENV: 'production',
    ...vars,
  };
}

/** Runs `fabomatic <args>` to completion; throws with its output when it fails. */
export async function runCli(
  args: string[],
  vars: Record<string, string>,
  timeoutMs = 30000,
): Promise<string> {
  const child = spawnChild(`fabomatic ${args[0] ?? ''}`, process.execPath, [CLI, ...args], baseEnv(vars));
  const timer = setTimeout(() => child.process.kill('SIGKILL'), timeoutMs);
  const exit = await child.exited.finally(() => clearTimeout(timer));
  if (exit.code !== 0) {
    throw new Error(`fabomatic ${args.join(' ')} failed (${JSON.stringify(exit)}):\n${child.output()}`);
  }
  return child.output();
}

/** The app started with `fabomatic serve`. */
export interface AppChild extends Child {
  readonly httpUrl: string;
  /** GET /ready status, or 0 when the HTTP server does not answer. */
  readyStatus(): Promise<number>;
  /** Resolves once /ready answers 200; rejects (with the app output) if the app exits or the deadline passes. */
  waitReady(timeoutMs?: number, pollMs?: number): Promise<void>;
}

/** Spawns `node bin/fabomatic.js serve` with `vars` (HTTP on 127.0.0.1:`httpPort`). */
export function spawnApp(httpPort: number, vars: Record<string, string>): AppChild {
  const env = baseEnv({ HOST: '127.0.0.1', PORT: String(httpPort), LOG_FORMAT: 'json', ...vars });
  const child = spawnChild('fabomatic serve', process.execPath, [CLI, 'serve'], env);
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  const readyStatus = async (): Promise<number> => {
    try {
      const response = await fetch(`${httpUrl}/ready`, { signal: AbortSignal.timeout(1000) });
      await response.body?.cancel();
      return response.status;
    } catch {
      return 0;
    }
  };
  return Object.assign(child, {
    httpUrl,
    readyStatus,
    async waitReady(timeoutMs = 15000, pollMs = 25) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (!child.alive) {
          throw new Error(
            `the app exited before being ready (${JSON.stringify(await child.exited)}):\n${child.output()}`,
          );
        }
        if ((await readyStatus()) === 200) return;
        await sleep(pollMs);
      }
      throw new Error(`the app was not ready within ${timeoutMs} ms:\n${child.output()}`);
    },
  });
}

/** Polls `condition` every `pollMs` until it holds or `timeoutMs` passed; returns whether it held. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  pollMs = 20,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(pollMs);
  }
}

export interface ProcessMemory {
  /** VmRSS, bytes. */
  readonly rss: number;
  /** RssAnon (heaps, stacks), bytes. */
  readonly anon: number;
  /** RssFile (mapped code and files), bytes. */
  readonly file: number;
}

/** Reads the resident memory of a process from /proc/<pid>/status (values there are KiB). */
export async function processMemory(pid: number): Promise<ProcessMemory> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): number => {
    const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB$`, 'm').exec(status);
    if (!match?.[1]) throw new Error(`no ${name} in /proc/${pid}/status`);
    return Number(match[1]) * 1024;
  };
  return { rss: field('VmRSS'), anon: field('RssAnon'), file: field('RssFile') };
}
