import { randomBytes } from 'node:crypto';
import { connect as connectTcp, type Socket } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
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

/**
 * Issue 11's attack suite, board side, against the built app with its embedded broker and the
 * default limits: a stranger on the boards' network, or a holder of the shared board account.
 * The attacks needing a live board to forge for, per-board accounts or a portal session are in
 * attacks.e2e.spec.ts; bodies, X-Forwarded-For and Mosquitto in their own files.
 */
describe('attacks on the embedded broker (default limits)', () => {
  const { seed, machines } = labSeed(2);
  const [machine, other] = machines as [(typeof machines)[0], (typeof machines)[0]];
  let app: AppChild;
  let brokerPort: number;
  let databaseFile: string;
  const boards: SimulatedBoard[] = [];
  const sockets: Socket[] = [];

  beforeAll(async () => {
    const dir = tempDir();
    databaseFile = join(dir, 'fabomatic.db');
    const databaseUrl = `sqlite:${databaseFile}`;
    await seedDatabase(dir, databaseUrl, seed);
    const httpPort = await freePort();
    brokerPort = await freePort();
    // The shared e2e environment lifts the limits (every simulated board is on 127.0.0.1): not here.
    const {
      BROKER_MAX_CONNECTIONS_PER_IP: _perIp,
      BOARD_RATE_LIMIT_BURST: _burst,
      BOARD_RATE_LIMIT_PER_SECOND: _rate,
      ...env
    } = embeddedBrokerEnv(brokerPort);
    app = spawnApp(httpPort, { DATABASE_URL: databaseUrl, LOG_LEVEL: 'error', ...env });
    await app.waitReady();
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all(boards.map((b) => b.close()));
    await app?.stop('SIGTERM');
    await stopAll();
    removeTempDirs();
  });

  async function board(topicId: string): Promise<SimulatedBoard> {
    const b = new SimulatedBoard({
      url: `mqtt://127.0.0.1:${brokerPort}`,
      topicId,
      clientId: uniqueClientId(`board${topicId}`),
      ...BOARD_ACCOUNT,
    });
    await b.connect();
    boards.push(b);
    return b;
  }

  async function open(): Promise<Socket> {
    const socket = connectTcp(brokerPort, '127.0.0.1');
    socket.on('error', () => undefined);
    sockets.push(socket);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    return socket;
  }

  const closedWithin = (socket: Socket, ms: number) =>
    new Promise<boolean>((resolve) => {
      if (socket.destroyed) resolve(true);
      const timer = setTimeout(() => resolve(false), ms);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });

  it('closes an oversized packet before authentication, without reading it', async () => {
    const before = (await processMemory(app.pid)).rss;
    const socket = await open();
    // A CONNECT announcing 200 MB (remaining length as an MQTT variable integer), then 1 MB of it.
    let length = 200 * 1024 * 1024;
    const header = [0x10];
    do {
      let byte = length % 128;
      length = Math.floor(length / 128);
      if (length > 0) byte |= 0x80;
      header.push(byte);
    } while (length > 0);
    socket.write(Buffer.from(header));
    for (let i = 0; i < 16 && !socket.destroyed; i++) socket.write(Buffer.alloc(64 * 1024, 0x41));
    expect(await closedWithin(socket, 1000)).toBe(true);
    expect((await processMemory(app.pid)).rss - before).toBeLessThan(32 * 1024 * 1024);
    const real = await board(other.topicId);
    expect(await real.checkuser(other.card)).toMatchObject({ status: 'reply', reply: { is_valid: true } });
  });

  it('refuses more than 32 connections from one address', async () => {
    const held = await Promise.all(Array.from({ length: 40 }, () => open()));
    const closed = await Promise.all(held.map((s) => closedWithin(s, 500)));
    // 32 less the board of the previous test (and its MQTT connection) may stay; the rest are closed.
    expect(closed.filter(Boolean).length).toBeGreaterThanOrEqual(8);
    for (const socket of held) socket.destroy();
    // Let the broker see them go before the next test connects.
    await new Promise((r) => setTimeout(r, 300));
  });

  it('flooding with random cards: the rows written stay bounded', async () => {
    const flooder = await board(machine.topicId);
    for (let i = 0; i < 2000 && flooder.connected; i++) {
      // A publish racing the broker closing the flooding connection may never call back: bounded.
      await Promise.race([
        flooder
          .publishRaw(JSON.stringify({ action: 'checkuser', uid: randomBytes(4).toString('hex') }))
          .catch(() => undefined),
        new Promise((r) => setTimeout(r, 1000)),
      ]);
    }
    await new Promise((r) => setTimeout(r, 1000));
    const db = new Database(databaseFile, { readonly: true });
    try {
      const row = db
        // The history and its inbox (ADR 0010: SQLite commits a board's access events there first).
        .prepare(
          `SELECT (SELECT COUNT(*) FROM access_events WHERE "topicId" = ?)
                + (SELECT COUNT(*) FROM access_event_inbox WHERE "topicId" = ?) AS n`,
        )
        .get(machine.topicId, machine.topicId) as { n: number };
      // The burst (200) and a few seconds of the rate (20/s), not 2,000.
      expect(row.n).toBeLessThanOrEqual(300);
    } finally {
      db.close();
    }
  });
});
