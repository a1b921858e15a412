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
  const opened: SimulatedBoard[] = [];

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

  it('refuses a forged grant on a topic a board holds: no reply, no grant to the board, a refusal on record', async () => {
    const real = await board('1', 'BOARD17');
    const unexpected: UnexpectedReply[] = [];
    real.on('unexpected', (u) => unexpected.push(u));
    expect(await reply(real.checkmachine())).toMatchObject({ request_ok: true, is_valid: true });

    // The account's password, read out of a board's flash, on another connection.
    const intruder = await board('1', 'BOARD666');
    const forged = await intruder.checkuser(CARDS.mario);
    expect(forged.status).toBe('timeout');
    // The real board's own query gets its own answer, and nothing else reached it.
    expect(await reply(real.checkuser(CARDS.unknown))).toMatchObject({ request_ok: true, is_valid: false });
    expect(unexpected).toEqual([]);

    const events = await admin.get<Page<AccessEventDto>>('/api/access-events?reason=topic-conflict');
    expect(events.status).toBe(200);
    expect(events.body.items).toEqual([
      expect.objectContaining({ topicId: '1', cardUid: CARDS.mario, action: 'checkuser', granted: false }),
    ]);
    // Mario's card was never granted anywhere.
    const mario = await admin.get<Page<AccessEventDto>>(`/api/access-events?cardUid=${CARDS.mario}`);
    expect(mario.body.items.filter((e) => e.granted)).toEqual([]);
  });

  it('refuses a forged denial or use on the topic as well, and the real board keeps working', async () => {
    const real = await board('3', 'BOARD33');
    expect(await reply(real.checkmachine())).toMatchObject({ request_ok: true });
    const intruder = await board('3', 'BOARD334');
    expect((await intruder.checkmachine()).status).toBe('timeout');
    const again = await board('3', 'BOARD335');
    expect((await again.startuse(CARDS.lucia)).status).toBe('timeout');
    expect(await reply(real.checkuser(CARDS.lucia))).toMatchObject({ request_ok: true });
    const events = await admin.get<Page<AccessEventDto>>('/api/access-events?reason=topic-conflict');
    const onTopic3 = events.body.items.filter((e) => e.topicId === '3');
    expect(onTopic3.map((e) => e.action).sort()).toEqual(['checkmachine', 'startuse']);
    // No session was opened by the forged startuse.
    const usage = await admin.get<Page<{ machineName: string }>>('/api/usage?pageSize=100');
    expect(usage.body.items.filter((s) => s.machineName === 'Trapano')).toEqual([]);
  });

  it("refuses a connection that takes a live board's client id instead of kicking the board off", async () => {
    const real = await board('012', 'BOARD42');
    expect(await reply(real.checkmachine())).toMatchObject({ request_ok: true });
    await expect(
      openMqttClient({ url: lab.running.brokerUrl, ...BOARD_ACCOUNT, connectTimeoutMs: 2000 }, 'BOARD42'),
    ).rejects.toThrow();
    expect(real.connected).toBe(true);
    expect(await reply(real.checkmachine())).toMatchObject({ request_ok: true });
  });

  it('passes a topic to the next connection once its board has disconnected', async () => {
    const first = await board('4', 'BOARD4');
    expect(await reply(first.checkmachine())).toMatchObject({ request_ok: true });
    await first.close();
    const replacement = await board('4', 'BOARD44');
    expect(await reply(replacement.checkmachine())).toMatchObject({ request_ok: true });
  });
});
