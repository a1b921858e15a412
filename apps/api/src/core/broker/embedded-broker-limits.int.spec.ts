import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectMqtt, type MqttClient } from 'mqtt';
import { EmbeddedBroker, type BrokerLimits } from './embedded-broker';

const BOARD = { username: 'board', password: 'board-password' };

const startBroker = (limits: Partial<BrokerLimits>, onRateLimited?: (clientId: string) => void) =>
  EmbeddedBroker.start({
    host: '127.0.0.1',
    port: 0,
    topicRoot: 'machine',
    accounts: {
      backend: { username: 'backend', password: 'backend-password' },
      board: BOARD,
      allowAnonymousBoards: false,
    },
    limits,
    ...(onRateLimited ? { onRateLimited } : {}),
  });

/**
 * Issue 11, broker limits: a stranger on the boards' network must not exhaust the embedded broker's
 * memory or connections, whatever it sends before (or instead of) authenticating.
 */
describe('embedded broker limits (attacks before authentication)', () => {
  let broker: EmbeddedBroker;
  const rateLimited: string[] = [];
  const sockets: Socket[] = [];
  const clients: MqttClient[] = [];

  const limits: Partial<BrokerLimits> = {
    maxConnectionsPerAddress: 4,
    connectTimeoutMs: 300,
    boardRate: { burst: 20, perSecond: 5 },
  };

  beforeAll(async () => {
    broker = await startBroker(limits, (clientId) => rateLimited.push(clientId));
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
    // Let the broker see the closes before the next test counts connections.
    await new Promise((r) => setTimeout(r, 50));
  });
  afterAll(async () => {
    await broker?.close();
  });

  const open = async (): Promise<Socket> => {
    const socket = connectTcp(broker.port, '127.0.0.1');
    socket.on('error', () => undefined);
    sockets.push(socket);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    return socket;
  };
  /** Resolves with the ms until the broker closed the socket, or null if it is still open at `ms`. */
  const closedWithin = (socket: Socket, ms: number) =>
    new Promise<number | null>((resolve) => {
      const started = Date.now();
      if (socket.destroyed) resolve(0);
      const timer = setTimeout(() => resolve(null), ms);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve(Date.now() - started);
      });
    });

  it('closes a connection announcing an oversized packet before reading (or authenticating) it', async () => {
    const socket = await open();
    // A CONNECT whose fixed header announces 10 MB: remaining length 10,000,000 as a variable int.
    let length = 10_000_000;
    const header = [0x10];
    do {
      let byte = length % 128;
      length = Math.floor(length / 128);
      if (length > 0) byte |= 0x80;
      header.push(byte);
    } while (length > 0);
    socket.write(Buffer.concat([Buffer.from(header), Buffer.alloc(1024, 0x41)]));
    expect(await closedWithin(socket, 200)).not.toBeNull();
  });

  it('still accepts a board whose packets are within the cap', async () => {
    const client = connectMqtt(`mqtt://127.0.0.1:${broker.port}`, {
      ...BOARD,
      clientId: 'BOARD-OK',
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    clients.push(client);
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    await client.publishAsync('machine/7', Buffer.alloc(32 * 1024, 0x20));
    expect(client.connected).toBe(true);
  });

  it('refuses more connections from one address than the cap', async () => {
    const held = await Promise.all([open(), open(), open(), open()]);
    const extra = await open();
    expect(await closedWithin(extra, 300)).not.toBeNull();
    for (const socket of held) expect(socket.destroyed).toBe(false);
    // Once one closes, the address may connect again.
    held[0]?.destroy();
    await new Promise((r) => setTimeout(r, 50));
    const again = await open();
    expect(await closedWithin(again, 100)).toBeNull();
  });

  it('closes a connection that sends no CONNECT in time', async () => {
    const socket = await open();
    const closed = await closedWithin(socket, 2000);
    expect(closed).not.toBeNull();
    expect(closed).toBeLessThan(1500);
  });

  it('closes a board connection flooding messages beyond its rate (a burst of replay passes)', async () => {
    const client = connectMqtt(`mqtt://127.0.0.1:${broker.port}`, {
      ...BOARD,
      clientId: 'BOARD-FLOOD',
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    clients.push(client);
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    for (let i = 0; i < 20; i += 1) client.publish('machine/8', '{"action":"alive"}');
    await new Promise((r) => setTimeout(r, 100));
    expect(client.connected).toBe(true);
    for (let i = 0; i < 50; i += 1) client.publish('machine/8', '{"action":"alive"}');
    await closed;
    expect(rateLimited).toContain('BOARD-FLOOD');
  });
});

/**
 * Closing the broker (app shutdown, the in-process restart after a database restore) must not wait
 * on a connection that has not finished connecting: a board reconnecting at that moment held the
 * listening server open until its CONNECT timed out, and the restart with it.
 */
describe('embedded broker close', () => {
  it('ends at once, closing a connection that has sent no CONNECT yet', async () => {
    // The production default: a silent connection is ended after 10 s.
    const broker = await startBroker({ connectTimeoutMs: 10_000 });
    const board = connectMqtt(`mqtt://127.0.0.1:${broker.port}`, { ...BOARD, reconnectPeriod: 0 });
    board.on('error', () => undefined);
    await new Promise<void>((resolve) => board.once('connect', () => resolve()));
    const silent = connectTcp(broker.port, '127.0.0.1');
    silent.on('error', () => undefined);
    await new Promise<void>((resolve) => silent.once('connect', () => resolve()));
    const silentClosed = new Promise<void>((resolve) => silent.once('close', () => resolve()));
    const boardClosed = new Promise<void>((resolve) => board.once('close', () => resolve()));

    const started = Date.now();
    await broker.close();
    const took = Date.now() - started;

    await Promise.all([silentClosed, boardClosed]);
    expect(took).toBeLessThan(2000);
    await board.endAsync(true);
  }, 15_000);
});
