// Measures the two ways live events can travel between scaled-out instances (ADR 0007): the MQTT
// relay (core/live/live-relay.ts, reproduced here on the wire: JSON on `fabomatic/live/<group>/<id>`,
// QoS 0) and socket.io's PostgreSQL adapter (LISTEN/NOTIFY). Two instances in this process: A
// publishes, B has one dashboard socket (socket.io-client over WebSocket); the latency is from A's
// publish to the dashboard's handler. Needs the local PostgreSQL (db test) and Mosquitto.
//
//   node tools/live-transport-latency.mjs [events=2000] [rate per s=500] [--nodelay] [--relay-only]
//   node tools/live-transport-latency.mjs --failure [--guard]   (PostgreSQL drops the adapter's LISTEN
//   connection; --guard adds an 'error' listener to every pooled client first)
//   node tools/live-transport-latency.mjs --relay-failure   (a private Mosquitto, killed and restarted
//   after 1 s: when does the relay, with live-relay.ts's client options, deliver again)
//
// Not a benchmark of the app (tools/bench*): a one-off comparison of two transports.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAdapter } from '@socket.io/postgres-adapter';
import { connect } from 'mqtt';
import pg from 'pg';
import { Server } from 'socket.io';
import { io as connectClient } from 'socket.io-client';

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MQTT_URL = process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';
const run = randomBytes(4).toString('hex');
const ATTACHMENTS = `live_latency_attachments_${run}`;
const failureMode = process.argv.includes('--failure');
const [events = 2000, rate = 500] = process.argv
  .slice(2)
  .filter((a) => !a.startsWith('--'))
  .map(Number);

/** A dashboard's access event, as the gateway pushes it (about 330 bytes of JSON). */
const accessEvent = (seq) => ({
  id: 100000 + seq,
  at: new Date().toISOString(),
  action: 'checkuser',
  machineId: 12,
  machineName: 'Laser cutter (Trotec Speedy 300)',
  topicId: '12',
  memberId: 345,
  memberName: 'Giulia Bianchi',
  cardUid: '04a1b2c3d4e5f6',
  outcome: 'granted',
  reason: null,
  sentAt: performance.now(),
  seq,
});

/** A machine status with many plans: over NOTIFY's 8,000 bytes, it goes through the attachments table. */
const bigStatus = (seq) => ({
  machineId: 12,
  plans: Array.from({ length: 80 }, (_, i) => ({
    id: i,
    name: `Maintenance plan number ${i} for the laser`,
    due: new Date().toISOString(),
    overdue: false,
    hoursLeft: 12.5,
  })),
  sentAt: performance.now(),
  seq,
});

const cpuTicks = (pid) => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime, clock ticks (10 ms)
  } catch {
    return NaN;
  }
};

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function dashboardServer(setup) {
  const http = createServer();
  const io = new Server(http, { path: '/api/live', serveClient: false, ...setup });
  io.on('connection', (socket) => void socket.join('staff'));
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  return { io, http, port: http.address().port };
}

async function dashboard(port) {
  const socket = connectClient(`http://127.0.0.1:${port}`, { path: '/api/live', transports: ['websocket'] });
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  await sleep(200);
  return socket;
}

/** Publishes `count` events at `perSecond` through `emit`, the dashboard counts them; returns the figures. */
async function measure(
  label,
  emit,
  socket,
  count,
  perSecond,
  make = accessEvent,
  name = 'access-event',
  extraCpu = {},
) {
  const latencies = [];
  let done;
  const all = new Promise((resolve) => (done = resolve));
  const onEvent = (payload) => {
    latencies.push(performance.now() - payload.sentAt);
    if (latencies.length === count) done();
  };
  socket.on(name, onEvent);
  const cpu0 = process.cpuUsage();
  const extra0 = Object.fromEntries(Object.entries(extraCpu).map(([k, pid]) => [k, cpuTicks(pid)]));
  const started = performance.now();
  const batch = Math.max(1, Math.round(perSecond / 100));
  for (let sent = 0; sent < count;) {
    for (let i = 0; i < batch && sent < count; i++) emit(name, make(sent++));
    if (perSecond !== Infinity) await sleep(10);
    else if (sent % 200 === 0) await new Promise((r) => setImmediate(r));
  }
  const timeout = sleep(15000).then(() => 'timeout');
  await Promise.race([all, timeout]);
  const elapsed = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  socket.off(name, onEvent);
  const sorted = [...latencies].sort((x, y) => x - y);
  const extra = Object.entries(extraCpu).map(
    ([k, pid]) => `${k} ${((cpuTicks(pid) - extra0[k]) * 10).toFixed(0)} ms`,
  );
  console.log(
    `${label.padEnd(34)} ${String(latencies.length).padStart(5)}/${count} in ${elapsed.toFixed(0).padStart(5)} ms` +
      ` (${((latencies.length / elapsed) * 1000).toFixed(0).padStart(5)}/s)  p50 ${percentile(sorted, 50)?.toFixed(2).padStart(7)} ms` +
      `  p99 ${percentile(sorted, 99)?.toFixed(2).padStart(7)} ms  max ${sorted.at(-1)?.toFixed(1).padStart(7)} ms` +
      `  node CPU ${((cpu.user + cpu.system) / 1000).toFixed(0).padStart(5)} ms` +
      (extra.length ? `  ${extra.join(', ')}` : ''),
  );
  return latencies.length;
}

async function relayPath() {
  const group = `latency${run}`;
  const client = (id) =>
    connect(MQTT_URL, { clientId: `live-latency-${id}-${run}`, protocolVersion: 4, queueQoSZero: false });
  const a = client('a');
  const b = client('b');
  await Promise.all([a, b].map((c) => new Promise((resolve) => c.once('connect', resolve))));
  // --nodelay: the relay's own sockets without Nagle's algorithm (mqtt.js leaves it on).
  if (process.argv.includes('--nodelay')) for (const c of [a, b]) c.stream.setNoDelay(true);
  const server = await dashboardServer({});
  const ownB = `fabomatic/live/${group}/b`;
  await b.subscribeAsync(`fabomatic/live/${group}/+`, { qos: 0 });
  // B: what the relay does with another instance's event, then the gateway's emit.
  b.on('message', (topic, payload) => {
    if (topic === ownB) return;
    const message = JSON.parse(payload.toString('utf8'));
    if (typeof message.name !== 'string' || typeof message.payload !== 'object') return;
    server.io.to('staff').emit(message.name, message.payload);
  });
  const socket = await dashboard(server.port);
  const emit = (name, payload) =>
    a.publish(`fabomatic/live/${group}/a`, JSON.stringify({ name, payload }), { qos: 0, retain: false });
  const mosquitto = Number(process.env.MOSQUITTO_PID);
  const extra = Number.isFinite(mosquitto) && mosquitto > 0 ? { mosquitto } : {};
  await measure('relay (MQTT), warm-up', emit, socket, 200, 1000);
  await measure(`relay (MQTT), ${rate}/s`, emit, socket, events, rate, accessEvent, 'access-event', extra);
  await measure('relay (MQTT), burst', emit, socket, events, Infinity, accessEvent, 'access-event', extra);
  await measure(
    'relay (MQTT), 10 kB status, 50/s',
    emit,
    socket,
    200,
    50,
    bigStatus,
    'machine-status',
    extra,
  );
  socket.close();
  server.io.close();
  await Promise.all([a.endAsync(), b.endAsync()]);
}

async function adapterPath() {
  const setupPool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
  await setupPool.query(
    `CREATE TABLE ${ATTACHMENTS} (id bigserial UNIQUE, created_at timestamptz DEFAULT now(), payload bytea)`,
  );
  const pool = (name) =>
    new pg.Pool({ connectionString: DATABASE_URL, max: 4, application_name: `live-latency-${name}-${run}` });
  const poolA = pool('a');
  const poolB = pool('b');
  if (process.argv.includes('--guard')) {
    // What an integration would have to add: the adapter's LISTEN client is checked out of the pool,
    // so nothing handles its 'error' event (an uncaught exception) unless every client gets a listener.
    for (const p of [poolA, poolB]) {
      p.on('error', () => undefined);
      p.on('connect', (client) => client.on('error', () => undefined));
    }
  }
  const errors = [];
  const options = {
    tableName: ATTACHMENTS,
    channelPrefix: `latency${run}`,
    errorHandler: (e) => errors.push(e),
  };
  const serverA = await dashboardServer({ adapter: createAdapter(poolA, options) });
  const serverB = await dashboardServer({ adapter: createAdapter(poolB, options) });
  await sleep(1500);
  const socket = await dashboard(serverB.port);
  const emit = (name, payload) => serverA.io.to('staff').emit(name, payload);
  const backends = await setupPool.query(
    `SELECT pid, application_name, query FROM pg_stat_activity WHERE application_name LIKE $1`,
    [`live-latency-%-${run}`],
  );
  const extra = Object.fromEntries(
    backends.rows.map((row, i) => [
      `pg ${row.application_name.split('-')[2]}${row.query.startsWith('LISTEN') ? ' listen' : ''} #${i}`,
      row.pid,
    ]),
  );
  const pgTotal = () => backends.rows.reduce((sum, row) => sum + cpuTicks(row.pid), 0);
  if (failureMode) {
    await measure('adapter, before the failure', emit, socket, 200, 200);
    const listener = backends.rows.find(
      (row) => row.application_name.includes('-b-') && row.query.startsWith('LISTEN'),
    );
    const crashed = [];
    process.on('uncaughtException', (error) => crashed.push(error));
    await setupPool.query('SELECT pg_terminate_backend($1)', [listener.pid]);
    const cut = performance.now();
    let received = 0;
    socket.on('access-event', () => received++);
    for (let i = 0; i < 100 && received === 0; i++) {
      emit('access-event', accessEvent(i));
      await sleep(100);
    }
    console.log(
      `adapter: LISTEN connection of B terminated; first event through again after ${received ? (performance.now() - cut).toFixed(0) : 'never (10 s)'} ms;` +
        ` uncaught exceptions: ${crashed.map((e) => e.message).join('; ') || 'none'}; handler errors: ${errors.length}`,
    );
  } else {
    await measure('adapter (pg NOTIFY), warm-up', emit, socket, 200, 1000);
    const pg0 = pgTotal();
    await measure(`adapter (pg NOTIFY), ${rate}/s`, emit, socket, events, rate, accessEvent, 'access-event');
    const pg1 = pgTotal();
    await measure('adapter (pg NOTIFY), burst', emit, socket, events, Infinity, accessEvent, 'access-event');
    const pg2 = pgTotal();
    await measure('adapter (attachment), 10 kB, 50/s', emit, socket, 200, 50, bigStatus, 'machine-status');
    const pg3 = pgTotal();
    // The gateway emits an access event twice (full card UIDs to managers, masked to read-only users).
    const twoRooms = (name, payload) => {
      serverA.io.to('cards-full').emit(name, payload);
      serverA.io.to('staff').emit(name, payload);
    };
    await measure(
      `adapter, 2 rooms an event, ${rate}/s`,
      twoRooms,
      socket,
      events,
      rate,
      accessEvent,
      'access-event',
    );
    const pg4 = pgTotal();
    console.log(
      `PostgreSQL backends' CPU: ${rate}/s run ${(pg1 - pg0) * 10} ms, burst ${(pg2 - pg1) * 10} ms, attachments ${(pg3 - pg2) * 10} ms, 2 rooms ${(pg4 - pg3) * 10} ms` +
        ` (${Object.keys(extra).join(', ')}); adapter errors: ${errors.length}`,
    );
  }
  socket.close();
  serverA.io.close();
  serverB.io.close();
  await sleep(200);
  // A pool whose LISTEN client is being re-acquired may not end: do not wait for it.
  await Promise.race([Promise.allSettled([poolA.end(), poolB.end()]), sleep(2000)]);
  const stored = await setupPool.query(`SELECT count(*)::int AS n FROM ${ATTACHMENTS}`);
  console.log(`attachments table rows (payloads over NOTIFY's limit): ${stored.rows[0].n}`);
  await setupPool.query(`DROP TABLE ${ATTACHMENTS}`);
  await setupPool.end();
}

/** The relay's client as live-relay.ts makes it: reconnect every second, subscribe on every connect. */
function relayClient(url, id, group) {
  const client = connect(url, {
    clientId: `live-latency-${id}-${run}`,
    protocolVersion: 4,
    reconnectPeriod: 1000,
    connectTimeout: 5000,
    queueQoSZero: false,
  });
  client.on('connect', () => client.subscribe(`fabomatic/live/${group}/+`, { qos: 0 }));
  client.on('error', () => undefined);
  return client;
}

async function relayFailure() {
  const port = 20000 + Math.floor(Math.random() * 5000);
  const broker = () => spawn('mosquitto', ['-p', String(port)], { stdio: 'ignore' });
  let mosquitto = broker();
  await sleep(500);
  const group = `failure${run}`;
  const url = `mqtt://127.0.0.1:${port}`;
  const a = relayClient(url, 'a', group);
  const b = relayClient(url, 'b', group);
  await Promise.all([a, b].map((c) => new Promise((resolve) => c.once('connect', resolve))));
  await sleep(200);
  let received = 0;
  b.on('message', (topic) => topic.endsWith('/a') && received++);
  const send = () =>
    a.publish(`fabomatic/live/${group}/a`, '{"name":"access-event","payload":{}}', { qos: 0 });
  send();
  await sleep(200);
  const before = received;
  mosquitto.kill('SIGKILL');
  const cut = performance.now();
  await sleep(1000);
  mosquitto = broker();
  const restarted = performance.now();
  let back = null;
  for (let i = 0; i < 150 && back === null; i++) {
    send();
    await sleep(100);
    if (received > before) back = performance.now();
  }
  console.log(
    `relay: broker killed, restarted after ${(restarted - cut).toFixed(0)} ms; events through again ` +
      (back ? `${(back - restarted).toFixed(0)} ms after the restart` : 'never (15 s)'),
  );
  await Promise.allSettled([a.endAsync(true), b.endAsync(true)]);
  mosquitto.kill('SIGTERM');
}

console.log(`big status payload: ${Buffer.byteLength(JSON.stringify(bigStatus(0)))} bytes of JSON`);
if (process.argv.includes('--relay-failure')) {
  await relayFailure();
  process.exit(0);
}
if (!failureMode) await relayPath();
if (!process.argv.includes('--relay-only')) await adapterPath();
process.exit(0);
