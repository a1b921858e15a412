import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectMqtt } from 'mqtt';
import { EmbeddedBroker } from './embedded-broker';

const BOARD = { username: 'board', password: 'board-password' };

/**
 * Closing the broker (app shutdown, the in-process restart after a database restore) must not wait
 * on a connection that has not finished connecting: a board reconnecting at that moment held the
 * listening server open until its CONNECT timed out, and the restart with it.
 */
describe('embedded broker close', () => {
  it('ends at once, closing a connection that has sent no CONNECT yet', async () => {
    const broker = await EmbeddedBroker.start({
      host: '127.0.0.1',
      port: 0,
      topicRoot: 'machine',
      accounts: {
        backend: { username: 'backend', password: 'backend-password' },
        board: BOARD,
        allowAnonymousBoards: false,
      },
      // The production default: a silent connection is ended after 10 s.
      limits: { connectTimeoutMs: 10_000 },
    });
    const board = connectMqtt(`mqtt://127.0.0.1:${broker.port}`, { ...BOARD, reconnectPeriod: 0 });
    board.on('error', () => undefined);
    await new Promise<void>((resolve) => board.once('connect', () => resolve()));
    const silent: Socket = connectTcp(broker.port, '127.0.0.1');
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
