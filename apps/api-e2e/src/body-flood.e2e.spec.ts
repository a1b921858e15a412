import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SimulatedBoard } from '@fabomatic/board-sim';
import { BOARD_ACCOUNT, embeddedBrokerEnv, labSeed, seedDatabase, uniqueClientId } from './support/lab';
import {
  type AppChild,
  freePort,
  processMemory,
  removeTempDirs,
  spawnApp,
  stopAll,
  tempDir,
} from './support/processes';

/** The attack of issue 11: four parallel bodies of ~190 MB, no session. */
const BODY_BYTES = 190 * 1024 * 1024;
const PARALLEL = 4;
const RSS_BUDGET_BYTES = 300 * 1024 * 1024;
/** A board gives up on a reply after 2 s. */
const BOARD_TIMEOUT_MS = 2000;
const CHUNK = Buffer.alloc(1024 * 1024, 0x41);

interface Sent {
  /** The HTTP status, or null when the connection ended without a response. */
  readonly status: number | null;
  readonly bytesWritten: number;
  readonly error?: string;
}

/** POSTs `bytes` of application/octet-stream, streamed (the test never holds the body in memory). */
function postBody(url: string, bytes: number, headers: Record<string, string>): Promise<Sent> {
  return new Promise((resolve) => {
    let status: number | null = null;
    let written = 0;
    let settled = false;
    const done = (error?: Error) => {
      if (settled) return;
      settled = true;
      resolve({ status, bytesWritten: written, ...(error ? { error: error.message } : {}) });
    };
    const req = httpRequest(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/octet-stream', 'content-length': String(bytes) },
    });
    req.setTimeout(60000, () => req.destroy(new Error('timed out')));
    req.on('response', (response) => {
      status = response.statusCode ?? null;
      response.resume();
      response.on('end', () => {
        // An early answer: stop sending what the server no longer wants.
        req.destroy();
        done();
      });
    });
    req.on('error', (error) => done(status === null ? error : undefined));
    req.on('close', () => done());
    const write = () => {
      while (written < bytes && !req.destroyed) {
        const chunk = bytes - written >= CHUNK.length ? CHUNK : CHUNK.subarray(0, bytes - written);
        written += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', write);
          return;
        }
      }
      if (!req.destroyed) req.end();
    };
    write();
  });
}

describe('unauthenticated request bodies', () => {
  const { seed, machines } = labSeed(1);
  let app: AppChild;
  let board: SimulatedBoard;

  beforeAll(async () => {
    const dir = tempDir();
    const databaseUrl = `sqlite:${join(dir, 'fabomatic.db')}`;
    await seedDatabase(dir, databaseUrl, seed);
    const [httpPort, brokerPort] = [await freePort(), await freePort()];
    app = spawnApp(httpPort, {
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      ...embeddedBrokerEnv(brokerPort),
    });
    await app.waitReady();
    board = new SimulatedBoard({
      url: `mqtt://127.0.0.1:${brokerPort}`,
      topicId: machines[0]?.topicId ?? '1',
      clientId: uniqueClientId('body-flood'),
      ...BOARD_ACCOUNT,
    });
    await board.connect();
    expect(await board.checkmachine()).toMatchObject({ status: 'reply' });
  });

  afterAll(async () => {
    await board?.close();
    await app?.stop('SIGTERM');
    await stopAll();
    removeTempDirs();
  });

  /** Sends the bodies while sampling the app's RSS and a board's round trips; reports both. */
  async function attack(label: string, path: string, headers: Record<string, string>) {
    const before = (await processMemory(app.pid)).rss;
    let peak = before;
    let attacking = true;
    const sampler = (async () => {
      while (attacking) {
        try {
          peak = Math.max(peak, (await processMemory(app.pid)).rss);
        } catch {
          return; // the app exited: reported below
        }
        await sleep(20);
      }
    })();
    const latencies: number[] = [];
    let unanswered = 0;
    const pinger = (async () => {
      while (attacking) {
        const outcome = await board.checkmachine({ timeoutMs: BOARD_TIMEOUT_MS });
        if (outcome.status === 'reply') latencies.push(outcome.latencyMs);
        else unanswered += 1;
        await sleep(50);
      }
    })();
    const started = performance.now();
    const sent = await Promise.all(
      Array.from({ length: PARALLEL }, () => postBody(`${app.httpUrl}${path}`, BODY_BYTES, headers)),
    );
    const elapsedMs = performance.now() - started;
    // Memory freed late (a parser still copying) counts too.
    await sleep(500);
    attacking = false;
    await Promise.all([sampler, pinger]);
    const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    console.log(
      `${label}: ${PARALLEL} × ${mib(BODY_BYTES)} MiB in ${Math.round(elapsedMs)} ms; answers ` +
        `${JSON.stringify(sent.map((s) => s.status ?? s.error))}, MiB sent ${sent.map((s) => mib(s.bytesWritten)).join(', ')}; ` +
        `app RSS ${mib(before)} → peak ${mib(peak)} MiB (budget ${mib(RSS_BUDGET_BYTES)}); board round trips ` +
        `${latencies.length}, slowest ${Math.round(Math.max(0, ...latencies))} ms, unanswered ${unanswered}`,
    );
    expect(app.alive).toBe(true);
    return { sent, peak, latencies, unanswered };
  }

  it('keeps memory flat on POST /api/auth/login and answers boards meanwhile', async () => {
    const result = await attack('login', '/api/auth/login', {});
    for (const s of result.sent) if (s.status !== null) expect(s.status).toBeGreaterThanOrEqual(400);
    expect(result.peak).toBeLessThan(RSS_BUDGET_BYTES);
    expect(result.unanswered).toBe(0);
    expect(result.latencies.length).toBeGreaterThan(0);
    expect(Math.max(...result.latencies)).toBeLessThan(BOARD_TIMEOUT_MS);
  });

  it('keeps memory flat on POST /api/system/restore without a session', async () => {
    const result = await attack('restore without a session', '/api/system/restore', {
      'x-requested-with': 'fabomatic',
    });
    for (const s of result.sent) if (s.status !== null) expect(s.status).toBe(401);
    expect(result.peak).toBeLessThan(RSS_BUDGET_BYTES);
    expect(result.unanswered).toBe(0);
    expect(result.latencies.length).toBeGreaterThan(0);
    expect(Math.max(...result.latencies)).toBeLessThan(BOARD_TIMEOUT_MS);
    // Still serving after both floods.
    expect(await app.readyStatus()).toBe(200);
  });
});
