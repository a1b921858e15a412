#!/usr/bin/env node
'use strict';
// The board path's CPU a message, in one process: `npm run bench:board-path`.
//
// Starts the built app (SQLite in a scratch folder, the embedded broker), seeds it like `npm run
// bench` (libs/board-sim/src/bench-seed.ts), and has BOARDS boards run the firmware's mix (checkmachine,
// an authorized tap, startuse, inuse, an unknown card's tap, inuse, stopuse, a tap without
// authorization, maintenance) through the transport's `handleMessage`, each waiting for its reply
// before the next query, as the firmware does. What it leaves out is the MQTT socket: no broker, no
// other process, so the figure is the app's own work (parsing the board's JSON, the answer, its SQL
// and group commit, the reply's encoding, GC), without the broker and the load generator sharing
// the 2 cores. It prints the CPU µs a message of each slice, their median, and the messages a second.
//
// This machine's speed still drifts between runs (37 – 54 µs for one build within ten minutes): to
// compare two builds, run it from each worktree in turn, several times, and compare the medians.
// Settings (environment): BOARDS (50), SLICES (12), SLICE_MS (1500), WARMUP_MS (4000).
// Build first: npx nx run-many -t build -p api board-sim
const { execFileSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { existsSync, mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const root = join(__dirname, '..');
const dist = join(root, 'dist', 'apps', 'api');
const benchSeed = join(root, 'dist', 'tools', 'libs', 'board-sim', 'src', 'bench-seed.js');
const cli = join(root, 'bin', 'fabomatic.js');
if (!existsSync(join(dist, 'apps', 'api', 'src', 'main.js')) || !existsSync(benchSeed)) {
  console.error('not built yet: run `npx nx run-many -t build -p api board-sim` first.');
  process.exit(1);
}

function setting(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    console.error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return value;
}
const BOARDS = setting('BOARDS', 50);
const SLICES = setting('SLICES', 12);
const SLICE_MS = setting('SLICE_MS', 1500);
const WARMUP_MS = setting('WARMUP_MS', 4000);

const { compilerOptions } = require(join(root, 'tsconfig.base.json'));
const paths = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [alias, [target.replace(/\.ts$/, '.js')]]),
);
require('tsconfig-paths').register({ baseUrl: dist, paths, addMatchAll: false });

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const workDir = mkdtempSync(join(tmpdir(), 'fabomatic-board-path-'));
  const password = () => randomBytes(12).toString('hex');
  const env = {
    ...process.env,
    HOST: '127.0.0.1',
    BROKER_HOST: '127.0.0.1',
    PORT: '0',
    BROKER_PORT: '0',
    DATABASE_URL: `sqlite:${join(workDir, 'bench.db')}`,
    LOG_LEVEL: 'error',
    BOARD_MQTT_USERNAME: 'board',
    BOARD_MQTT_PASSWORD: password(),
    BACKEND_MQTT_USERNAME: 'backend',
    BACKEND_MQTT_PASSWORD: password(),
    BOARD_RATE_LIMIT_BURST: '1000000',
    BOARD_RATE_LIMIT_PER_SECOND: '1000000',
  };
  delete env.MQTT_URL;
  // The lab `npm run bench` seeds (libs/board-sim/src/bench-seed.ts).
  const { seed, targets } = require(benchSeed).generateSeed(BOARDS);
  writeFileSync(join(workDir, 'seed.json'), JSON.stringify(seed));
  execFileSync(process.execPath, [cli, 'seed', join(workDir, 'seed.json')], { env, stdio: 'ignore' });

  const { startApp } = require(join(dist, 'apps/api/src/main.js'));
  const { loadConfig } = require(join(dist, 'apps/api/src/core/config/config.schema.js'));
  const { FIRMWARE_PAYLOADS: payload } = require(join(dist, 'libs/shared/board-protocol/src/fixtures.js'));
  const running = await startApp(loadConfig(env));
  try {
    // The transport Nest started (main.ts, connectBoardTransport): the one microservice.
    const [microservice] = running.app.getMicroservices();
    const transport = microservice?.serverInstance;
    if (!transport || typeof transport.handleMessage !== 'function')
      throw new Error('board transport not found');
    const waiting = new Map();
    // What the transport publishes a reply with when it has no socket (the in-process client's part).
    const client = {
      connected: true,
      publish(topic, body) {
        const resolve = waiting.get(topic);
        waiting.delete(topic);
        resolve?.(body);
      },
    };
    const steps = [
      'checkmachine',
      'tap',
      'startuse',
      'inuse',
      'unknown',
      'inuse',
      'stopuse',
      'unauthorized',
      'maintenance',
    ];
    let answered = 0;
    let stop = false;
    const board = async (i) => {
      const topic = `machine/${targets[i].topicId}`;
      const target = targets[i];
      const uid = target.uid;
      let startedAt = 0;
      for (let n = 0; !stop; n = (n + 1) % steps.length) {
        const step = steps[n];
        const seconds = startedAt ? Math.floor((Date.now() - startedAt) / 1000) : 0;
        if (step === 'startuse') startedAt = Date.now();
        const body = {
          checkmachine: () => payload.checkmachine(),
          tap: () => payload.checkuser(uid),
          startuse: () => payload.startuse(uid),
          inuse: () => payload.inuse(uid, seconds),
          unknown: () => payload.checkuser(target.unknownUid),
          stopuse: () => payload.stopuse(uid, seconds),
          unauthorized: () => payload.checkuser(target.unauthorizedUid),
          maintenance: () => payload.maintenance(target.maintainerUid),
        }[step]();
        const reply = new Promise((resolve) => waiting.set(`${topic}/reply`, resolve));
        void transport.handleMessage(topic, Buffer.from(body), client, {});
        const answer = JSON.parse(String(await reply));
        if (typeof answer.request_ok !== 'boolean')
          throw new Error(`${topic} ${step}: bad reply ${JSON.stringify(answer)}`);
        if (step === 'stopuse') startedAt = 0;
        answered += 1;
      }
    };
    const boards = targets.map((_, i) => board(i));
    console.log(
      `${BOARDS} boards, firmware mix, in process; warm-up ${WARMUP_MS} ms, then ${SLICES} slices of ${SLICE_MS} ms`,
    );
    await sleep(WARMUP_MS);
    const slices = [];
    for (let s = 0; s < SLICES; s += 1) {
      const count = answered;
      const cpu = process.cpuUsage();
      const started = performance.now();
      await sleep(SLICE_MS);
      const used = process.cpuUsage(cpu);
      const messages = answered - count;
      slices.push({
        us: (used.user + used.system) / messages,
        rate: (messages * 1000) / (performance.now() - started),
      });
    }
    stop = true;
    await Promise.all(boards);
    const us = slices.map((s) => s.us);
    console.log(`CPU µs a message, each slice: ${us.map((v) => v.toFixed(1)).join(' ')}`);
    console.log(
      `median ${median(us).toFixed(1)} µs a message, ${median(slices.map((s) => s.rate)).toFixed(0)} messages/s`,
    );
  } finally {
    await running.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error instanceof Error ? error.stack : String(error));
    process.exit(1);
  },
);
