#!/usr/bin/env node
'use strict';
// The board path's CPU a message, in one process: `npm run bench:board-path`.
//
// Starts the built app (SQLite in a scratch folder, the embedded broker), seeds it like `npm run
// bench` (one machine, member, authorization and maintenance plan a board, an unauthorized and an
// unknown card each, one maintainer), and has BOARDS boards run the firmware's mix (checkmachine,
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
// Build first: npx nx run api:build
const { execFileSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { existsSync, mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const root = join(__dirname, '..');
const dist = join(root, 'dist', 'apps', 'api');
const cli = join(root, 'bin', 'fabomatic.js');
if (!existsSync(join(dist, 'apps', 'api', 'src', 'main.js'))) {
  console.error('the app is not built yet: run `npx nx run api:build` first.');
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

/** The lab `npm run bench` seeds (libs/board-sim/src/bench.ts, generateSeed), for BOARDS boards. */
function labSeed() {
  const cards = new Set();
  while (cards.size < BOARDS * 3 + 1) cards.add(randomBytes(4).toString('hex'));
  const all = [...cards];
  const card = { authorized: all.slice(0, BOARDS), unauthorized: all.slice(BOARDS, BOARDS * 2) };
  card.unknown = all.slice(BOARDS * 2, BOARDS * 3);
  card.maintainer = all[BOARDS * 3];
  const machines = card.authorized.map((_, i) => ({
    topicId: String(i + 1),
    name: `Bench ${i + 1}`,
    type: 'Printer',
  }));
  const member = (uid, surname, email, role = 'Members') => ({
    name: 'Bench',
    surname,
    email,
    role,
    card: uid,
  });
  const seed = {
    roles: [
      { name: 'Members', authorizeAll: false, maintenance: false, portalAccess: 'none' },
      { name: 'Staff', authorizeAll: true, maintenance: true, portalAccess: 'none' },
    ],
    machineTypes: [
      { name: 'Printer', autoLogoffMinutes: 1440, graceMinutes: 2, accessManagement: 'authorization' },
    ],
    machines,
    members: [
      ...card.authorized.map((uid, i) => member(uid, `Member ${i + 1}`, `bench${i + 1}@example.org`)),
      ...card.unauthorized.map((uid, i) => member(uid, `Visitor ${i + 1}`, `visitor${i + 1}@example.org`)),
      member(card.maintainer, 'Staff', 'staff@example.org', 'Staff'),
    ],
    authorizations: card.authorized.map((uid, i) => ({ member: uid, machine: String(i + 1) })),
    maintenancePlans: machines.map((m) => ({
      machine: m.topicId,
      hoursBetween: 100_000,
      description: 'Bench check',
    })),
  };
  return { seed, card };
}

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
  const { seed, card } = labSeed();
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
      const topic = `machine/${i + 1}`;
      const uid = card.authorized[i];
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
          unknown: () => payload.checkuser(card.unknown[i]),
          stopuse: () => payload.stopuse(uid, seconds),
          unauthorized: () => payload.checkuser(card.unauthorized[i]),
          maintenance: () => payload.maintenance(card.maintainer),
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
    const boards = card.authorized.map((_, i) => board(i));
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
