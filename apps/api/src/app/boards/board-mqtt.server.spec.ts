import type { MqttClient } from 'mqtt';
import { deniedUserReply, grantedUserReply } from '@fabomatic/board-protocol';
import type { BoardAnswerer, BoardPacket } from './board-packet';
import { BoardMqttServer } from './board-mqtt.server';

/** A handler whose answers the test releases one by one, so queries overlap as the test decides. */
function heldHandler() {
  const pending: (() => void)[] = [];
  const handler: BoardAnswerer = async (packet: BoardPacket) => {
    await new Promise<void>((resolve) => pending.push(resolve));
    const query = packet.parsed.ok ? packet.parsed.query : null;
    return query?.action === 'checkuser' && query.uid === '11223344'
      ? grantedUserReply('Mario', 1)
      : deniedUserReply();
  };
  return { handler, release: () => pending.shift()?.() };
}

const checkuser = (uid: string) => Buffer.from(JSON.stringify({ action: 'checkuser', uid }));
const tick = () => new Promise((r) => setImmediate(r));
const isValid = (payload: string) => (JSON.parse(payload) as { is_valid?: boolean }).is_valid;

describe('BoardMqttServer on an external broker: overlapping queries on one topic', () => {
  const published: { topic: string; payload: string }[] = [];
  const client = {
    publish: (topic: string, payload: string | Buffer) => published.push({ topic, payload: String(payload) }),
  } as unknown as MqttClient;
  const conflicts: string[] = [];

  const server = (embedded: boolean) => {
    const s = new BoardMqttServer({
      url: 'mqtt://127.0.0.1:1',
      topicRoot: 'machine',
      onTopicConflict: (topicId, payload) => conflicts.push(`${topicId} ${payload.toString()}`),
      ...(embedded ? { connectInProcess: () => ({}) as never } : {}),
    });
    const held = heldHandler();
    s.bindAnswerer(held.handler);
    return { s, held };
  };

  beforeEach(() => {
    published.length = 0;
    conflicts.length = 0;
  });

  it('denies both queries (the forged grant too) when the second arrives before the first is answered', async () => {
    const { s, held } = server(false);
    const first = s.handleMessage('machine/1', checkuser('11223344'), client, {});
    const second = s.handleMessage('machine/1', checkuser('deadbeef'), client, {});
    await tick();
    held.release();
    await Promise.all([first, second]);
    expect(published.map((p) => [p.topic, isValid(p.payload)])).toEqual([
      ['machine/1/reply', false],
      ['machine/1/reply', false],
    ]);
    expect(conflicts).toHaveLength(2);
  });

  it('answers queries that follow one another, and queries on different topics at once', async () => {
    const { s, held } = server(false);
    const first = s.handleMessage('machine/1', checkuser('11223344'), client, {});
    await tick();
    held.release();
    await first;
    const next = s.handleMessage('machine/1', checkuser('11223344'), client, {});
    const other = s.handleMessage('machine/2', checkuser('11223344'), client, {});
    await tick();
    held.release();
    held.release();
    await Promise.all([next, other]);
    expect(published.map((p) => isValid(p.payload))).toEqual([true, true, true]);
    expect(conflicts).toEqual([]);
  });

  it('leaves the embedded broker to its pinning: no overlap check there', async () => {
    const { s, held } = server(true);
    const first = s.handleMessage('machine/1', checkuser('11223344'), client, {});
    const second = s.handleMessage('machine/1', checkuser('deadbeef'), client, {});
    await tick();
    held.release();
    held.release();
    await Promise.all([first, second]);
    expect(published.map((p) => isValid(p.payload)).sort()).toEqual([false, true]);
    expect(conflicts).toEqual([]);
  });
});

describe('BoardMqttServer: what it hands to the bound answerer', () => {
  const published: string[] = [];
  const client = {
    publish: (topic: string, payload: string | Buffer) => published.push(`${topic} ${String(payload)}`),
  } as unknown as MqttClient;
  const make = () =>
    new BoardMqttServer({
      url: 'mqtt://127.0.0.1:1',
      topicRoot: 'machine',
      connectInProcess: () => ({}) as never,
    });

  beforeEach(() => {
    published.length = 0;
  });

  it('answers a query once, hands alive and garbage over unanswered, and ignores non-board topics', async () => {
    const s = make();
    const seen: string[] = [];
    s.bindAnswerer((packet) => {
      seen.push(`${packet.topicId} ${packet.parsed.ok ? packet.parsed.query.action : packet.parsed.error}`);
      return Promise.resolve(
        packet.parsed.ok && packet.parsed.query.action === 'checkuser' ? deniedUserReply() : null,
      );
    });
    await s.handleMessage('machine/7', checkuser('deadbeef'), client, {});
    await s.handleMessage(
      'machine/7',
      Buffer.from('{"action":"alive","version":"1.0","ip":"1"}'),
      client,
      {},
    );
    await s.handleMessage('machine/7', Buffer.from([0xff, 0xfe]), client, {});
    await s.handleMessage('machine/not a topic', checkuser('deadbeef'), client, {});
    expect(seen).toEqual(['7 checkuser', '7 alive', '7 not-utf8']);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatch(/^machine\/7\/reply /);
  });

  it('sends nothing when the answer fails or no answerer is bound (the board replays)', async () => {
    const unbound = make();
    await unbound.handleMessage('machine/7', checkuser('deadbeef'), client, {});
    const failing = make();
    failing.bindAnswerer(() => Promise.reject(new Error('disk full')));
    await failing.handleMessage('machine/7', checkuser('deadbeef'), client, {});
    await failing.handleMessage(
      'machine/7',
      Buffer.from('{"action":"alive","version":"1.0","ip":"1"}'),
      client,
      {},
    );
    expect(published).toEqual([]);
  });
});
