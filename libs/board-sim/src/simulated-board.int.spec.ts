import type { MqttClient } from 'mqtt';
import { FIRMWARE_PAYLOADS } from '@fabomatic/board-protocol';
import { EchoResponder } from './echo-responder';
import { openMqttClient } from './mqtt-connect';
import { SimulatedBoard, type QueryResult, type UnexpectedReply } from './simulated-board';

/** The Mosquitto the integration specs use (the machine's, or the one `npm test` started). */
const URL = process.env['TEST_MQTT_URL'] ?? 'mqtt://127.0.0.1:1883';

function uniqueRoot(): string {
  return `simtest${process.pid}x${Math.floor(Math.random() * 1e9)}`;
}

/** A hand-driven backend: records the queries it receives, answers only when told. */
async function manualBackend(
  root: string,
): Promise<{ client: MqttClient; received: { topic: string; raw: Buffer }[] }> {
  const client = await openMqttClient({ url: URL }, `manual-${Math.floor(Math.random() * 1e9)}`);
  const received: { topic: string; raw: Buffer }[] = [];
  client.on('message', (topic, raw) => received.push({ topic, raw }));
  await client.subscribeAsync(`${root}/+`, { qos: 0 });
  return { client, received };
}

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('SimulatedBoard', () => {
  let root: string;
  let board: SimulatedBoard;
  const closers: (() => Promise<unknown>)[] = [];

  beforeEach(async () => {
    root = uniqueRoot();
    board = new SimulatedBoard({ url: URL, topicRoot: root, topicId: '012' });
    await board.connect();
    closers.push(() => board.close());
  });

  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });

  it('uses the firmware topics, keeping the topic id as typed', () => {
    expect(board.queryTopic).toBe(`${root}/012`);
    expect(board.replyTopic).toBe(`${root}/012/reply`);
    expect(board.requestTopic).toBe(`${root}/012/request`);
  });

  it('round-trips a query through the echo responder, and gets no reply to alive', async () => {
    const echo = new EchoResponder({ url: URL, topicRoot: root });
    await echo.start();
    closers.push(() => echo.close());

    const result = await board.checkmachine();
    expect(result.status).toBe('reply');
    if (result.status !== 'reply') return;
    expect(result.reply).toEqual({ request_ok: true });
    expect(result.latencyMs).toBeGreaterThan(0);
    expect(result.latencyMs).toBeLessThan(2000);

    await expect(board.alive()).resolves.toEqual({ status: 'sent' });
    const next = await board.checkuser('aabbccd1');
    expect(next.status).toBe('reply');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(echo.answered).toBe(2);
    expect(board.unexpectedReplies).toEqual([]);
  });

  it('publishes the exact firmware payloads', async () => {
    const backend = await manualBackend(root);
    closers.push(() => backend.client.endAsync(true));
    const quick = { timeoutMs: 20 };
    await board.startuse('aabbccd1', true, quick);
    await board.inuse('aabbccd1', 30, quick);
    await board.stopuse('aabbccd1', 125, false, quick);
    await board.maintenance('aabbccd1', false, quick);
    await board.publishRaw(Buffer.from([0xff, 0xfe]));
    await until(() => backend.received.length === 5);
    expect(backend.received.map((m) => m.topic)).toEqual(Array(5).fill(`${root}/012`));
    expect(backend.received.map((m) => m.raw.toString('latin1'))).toEqual([
      FIRMWARE_PAYLOADS.startuseReplay('aabbccd1'),
      FIRMWARE_PAYLOADS.inuse('aabbccd1', 30),
      FIRMWARE_PAYLOADS.stopuse('aabbccd1', 125),
      FIRMWARE_PAYLOADS.maintenance('aabbccd1'),
      '\xff\xfe',
    ]);
  });

  it('keeps one query in flight: concurrent queries are sent one after the other', async () => {
    const backend = await manualBackend(root);
    closers.push(() => backend.client.endAsync(true));
    const results: QueryResult[] = [];
    const pending = [board.checkuser('00000001'), board.checkuser('00000002'), board.checkmachine()].map(
      (p) => p.then((r) => results.push(r)),
    );

    for (let n = 1; n <= 3; n++) {
      await until(() => backend.received.length === n);
      // The next query is not published before this one is answered.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(backend.received).toHaveLength(n);
      await backend.client.publishAsync(`${root}/012/reply`, `{"request_ok":true,"n":${n}}`);
    }
    await Promise.all(pending);

    expect(backend.received.map((m) => m.raw.toString())).toEqual([
      FIRMWARE_PAYLOADS.checkuser('00000001'),
      FIRMWARE_PAYLOADS.checkuser('00000002'),
      FIRMWARE_PAYLOADS.checkmachine(),
    ]);
    expect(results.map((r) => (r.status === 'reply' ? r.reply?.['n'] : r.status))).toEqual([1, 2, 3]);
    expect(board.unexpectedReplies).toEqual([]);
  });

  it('times out without a reply, and the next query still goes out', async () => {
    const backend = await manualBackend(root);
    closers.push(() => backend.client.endAsync(true));
    const first = await board.checkmachine({ timeoutMs: 100 });
    expect(first.status).toBe('timeout');
    if (first.status === 'timeout') expect(first.latencyMs).toBeGreaterThanOrEqual(99);

    const second = board.checkmachine();
    await until(() => backend.received.length === 2);
    await backend.client.publishAsync(`${root}/012/reply`, 'not json');
    await expect(second).resolves.toMatchObject({ status: 'reply', reply: null, raw: 'not json' });
  });

  it('records replies arriving with no query in flight (stray, late, or to alive)', async () => {
    const backend = await manualBackend(root);
    closers.push(() => backend.client.endAsync(true));
    const seen: UnexpectedReply[] = [];
    board.on('unexpected', (u) => seen.push(u));

    await backend.client.publishAsync(`${root}/012/reply`, '{"request_ok":false}');
    await until(() => board.unexpectedReplies.length === 1);
    expect(board.unexpectedReplies[0]).toMatchObject({ raw: '{"request_ok":false}', afterQuery: null });

    await board.alive();
    await until(() => backend.received.length === 1);
    await backend.client.publishAsync(`${root}/012/reply`, '{"request_ok":true}');
    await until(() => board.unexpectedReplies.length === 2);
    expect(board.unexpectedReplies[1]?.afterQuery).toBe(FIRMWARE_PAYLOADS.alive());
    expect(seen).toEqual(board.unexpectedReplies);
  });

  it('collects commands received on /request', async () => {
    const backend = await manualBackend(root);
    closers.push(() => backend.client.endAsync(true));
    const next = board.nextRequest();
    await backend.client.publishAsync(`${root}/012/request`, '{"request_type":"start","uid":"aabbccd1"}');
    await expect(next).resolves.toMatchObject({ command: { request_type: 'start', uid: 'aabbccd1' } });
    expect(board.requests).toHaveLength(1);
    expect(board.unexpectedReplies).toEqual([]);
  });

  it('rejects a query once closed', async () => {
    await board.close();
    await expect(board.checkmachine()).rejects.toThrow('not connected');
  });
});
