import type { AccessEventDto, Page } from '@fabomatic/contracts';
import { SimulatedBoard, openMqttClient, type QueryResult, type UnexpectedReply } from '@fabomatic/board-sim';
import type { ApiClient } from '../../testing/api-client';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { BOARD_ACCOUNT, startTestApp, type TestApp } from '../../testing/test-app';

async function reply(result: Promise<QueryResult>): Promise<Record<string, unknown>> {
  const r = await result;
  if (r.status !== 'reply' || r.reply === null) throw new Error(`expected a reply, got ${JSON.stringify(r)}`);
  return r.reply;
}

/**
 * Issue 11: the boards share one broker account, whose password every board's flash holds. On the
 * embedded broker a board topic belongs to the connection that first published there, while it
 * lives: a second holder of the account can neither query on it (a forged grant the real board would
 * take for its own answer, or a forged denial) nor take the board's client id to kick it off.
 */
describe('board topics pinned to their connection (embedded broker, shared account)', () => {
  let lab: TestApp;
  let admin: ApiClient;
  const opened: { close(): Promise<unknown> }[] = [];

  const board = async (topicId: string, clientId: string) => {
    const b = new SimulatedBoard({
      url: lab.running.brokerUrl,
      topicRoot: lab.topicRoot,
      topicId,
      clientId,
      ...BOARD_ACCOUNT,
    });
    await b.connect();
    opened.push(b);
    return b;
  };

  beforeAll(async () => {
    lab = await startTestApp({ database: 'sqlite', broker: 'embedded', seed: LAB_SEED });
    admin = await adminClient(lab);
  });
  afterAll(async () => {
    await Promise.all(opened.map((b) => b.close()));
    await lab?.stop();
  });

  /** A holder of the shared account that only publishes: it never gets a reply topic to read. */
  const intruder = async (clientId: string) => {
    const client = await openMqttClient({ url: lab.running.brokerUrl, ...BOARD_ACCOUNT }, clientId);
    opened.push({ close: () => client.endAsync(true) });
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    return {
      client,
      closed,
      publish: (topicId: string, payload: object) =>
        client.publishAsync(`${lab.topicRoot}/${topicId}`, JSON.stringify(payload)),
    };
  };
  const conflicts = async (topicId: string, count: number) => {
    let items: AccessEventDto[] = [];
    for (let i = 0; i < 100 && items.length < count; i++) {
      const page = await admin.get<Page<AccessEventDto>>('/api/access-events?reason=topic-conflict');
      items = page.body.items.filter((e) => e.topicId === topicId);
      if (items.length < count) await new Promise((r) => setTimeout(r, 20));
    }
    return items;
  };

  it('refuses a forged grant on a topic a board holds: no reply, no grant to the board, a refusal on record', async () => {
    const real = await board('1', 'BOARD17');
    const unexpected: UnexpectedReply[] = [];
    real.on('unexpected', (u) => unexpected.push(u));
    expect(await reply(real.checkmachine())).toMatchObject({ request_ok: true, is_valid: true });

    // The account's password, read out of a board's flash, on another connection.
    const forger = await intruder('BOARD666');
    await forger.publish('1', { action: 'checkuser', uid: CARDS.mario });
    await forger.closed;
    // The real board's own query gets its own answer, and nothing else reached it.
    expect(await reply(real.checkuser(CARDS.unknown))).toMatchObject({ request_ok: true, is_valid: false });
    expect(unexpected).toEqual([]);

    expect(await conflicts('1', 1)).toEqual([
      expect.objectContaining({ topicId: '1', cardUid: CARDS.mario, action: 'checkuser', granted: false }),
    ]);
    // Mario's card was never granted anywhere.
    const mario = await admin.get<Page<AccessEventDto>>(`/api/access-events?cardUid=${CARDS.mario}`);
    expect(mario.body.items.filter((e) => e.granted)).toEqual([]);
  });

  it('refuses a forged denial or use on the topic as well, and the real board keeps working', async () => {
    const real = await board('3', 'BOARD33');
    expect(await reply(real.checkmachine())).toMatchObject({ request_ok: true });
    const first = await intruder('BOARD334');
    await first.publish('3', { action: 'checkmachine' });
    await first.closed;
    const second = await intruder('BOARD335');
    await second.publish('3', { action: 'startuse', uid: CARDS.lucia });
    await second.closed;
    expect(await reply(real.checkuser(CARDS.lucia))).toMatchObject({ request_ok: true });
    expect((await conflicts('3', 2)).map((e) => e.action).sort()).toEqual(['checkmachine', 'startuse']);
    // No session was opened by the forged startuse.
    const usage = await admin.get<Page<{ machineName: string }>>('/api/usage?pageSize=100');
    expect(usage.body.items.filter((s) => s.machineName === 'Trapano')).toEqual([]);
  });

  it("refuses to let another connection read a live board's replies or remote starts (negative SUBACK)", async () => {
    const real = await board('012', 'BOARD12');
    expect(await reply(real.checkmachine())).toMatchObject({ request_ok: true });
    const listener = await intruder('BOARD120');
    // mqtt.js turns a SUBACK of QoS 128 (refused) into an error.
    for (const topic of [`${lab.topicRoot}/012/request`, `${lab.topicRoot}/012/reply`]) {
      await expect(listener.client.subscribeAsync(topic)).rejects.toThrow('Subscribe error');
    }
    // Refused, not dropped: the connection is still there (Mosquitto answers the same way).
    expect(listener.client.connected).toBe(true);
    expect(await reply(real.checkmachine())).toMatchObject({ request_ok: true });
  });

  it("refuses a connection that takes a live board's client id instead of kicking the board off", async () => {
    const real = await board('4', 'BOARD42');
    expect(await reply(real.checkmachine())).toMatchObject({ request_ok: true });
    await expect(
      openMqttClient({ url: lab.running.brokerUrl, ...BOARD_ACCOUNT, connectTimeoutMs: 2000 }, 'BOARD42'),
    ).rejects.toThrow();
    expect(real.connected).toBe(true);
    expect(await reply(real.checkmachine())).toMatchObject({ request_ok: true });
  });

  it('passes a topic to the next connection once its board has disconnected', async () => {
    const first = await board('77', 'BOARD7');
    expect(await reply(first.checkmachine())).toMatchObject({ request_ok: true });
    await first.close();
    const replacement = await board('77', 'BOARD77');
    expect(await reply(replacement.checkmachine())).toMatchObject({ request_ok: true });
  });
});
