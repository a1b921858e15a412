import { hostname } from 'node:os';
import { connectAsync, type MqttClient } from 'mqtt';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { startTestApp, type TestApp } from '../../testing/test-app';
import { backendIp, type LegacyStatsMessage } from './legacy-stats';

const BACKEND = { BACKEND_MQTT_USERNAME: 'stats-backend', BACKEND_MQTT_PASSWORD: 'stats-backend-secret' };

/** Collects every message on `filter` (a backend-account client: boards may not read stats). */
async function listen(
  lab: TestApp,
  filter: string,
): Promise<{ client: MqttClient; messages: [string, string][] }> {
  const client = await connectAsync(lab.running.brokerUrl, {
    username: BACKEND.BACKEND_MQTT_USERNAME,
    password: BACKEND.BACKEND_MQTT_PASSWORD,
    protocolVersion: 4,
    clientId: `stats-listener-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
  });
  const messages: [string, string][] = [];
  client.on('message', (topic, payload) => messages.push([topic, payload.toString('utf8')]));
  await client.subscribeAsync(filter, { qos: 0 });
  return { client, messages };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

describe('legacy stats message', () => {
  let lab: TestApp | undefined;
  afterEach(async () => {
    await lab?.stop();
    lab = undefined;
  });

  it('publishes the legacy fields on stats/<client id> every interval, counting board traffic', async () => {
    lab = await startTestApp({
      database: 'sqlite',
      broker: 'embedded',
      seed: LAB_SEED,
      env: { ...BACKEND, STATS_INTERVAL_SECONDS: '0.2' },
    });
    const { client, messages } = await listen(lab, 'stats/#');
    try {
      const board = await lab.board('1');
      await board.checkuser(CARDS.lucia);
      await board.checkmachine();
      await board.alive('serial-stats');
      await board.publishRaw('not json');
      // Four board messages received, two replies sent (alive and garbage get none).
      await until(
        () => messages.some(([, raw]) => (JSON.parse(raw) as LegacyStatsMessage).Received >= 4),
        3000,
      );
      const [topic, raw] = messages.at(-1) ?? ['', '{}'];
      expect(topic).toMatch(/^stats\/fabomatic-\d+-[0-9a-f]+$/);
      const message = JSON.parse(raw) as LegacyStatsMessage;
      expect(Object.keys(message)).toEqual(['Connected', 'Backend host', 'Backend IP', 'Received', 'Sent']);
      expect(message).toEqual({
        Connected: true,
        'Backend host': hostname(),
        'Backend IP': backendIp(),
        Received: 4,
        Sent: 2,
      });
      expect(backendIp()).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      // Every interval, not retained: several messages within a second.
      const before = messages.length;
      await new Promise((r) => setTimeout(r, 700));
      expect(messages.length - before).toBeGreaterThanOrEqual(2);
    } finally {
      await client.endAsync();
    }
  });

  it('uses STATS_TOPIC_PREFIX and is off with STATS_INTERVAL_SECONDS=0', async () => {
    lab = await startTestApp({
      database: 'sqlite',
      broker: 'embedded',
      env: { ...BACKEND, STATS_INTERVAL_SECONDS: '0.1', STATS_TOPIC_PREFIX: 'lab/stats' },
    });
    const custom = await listen(lab, 'lab/stats/+');
    await until(() => custom.messages.length > 0, 2000);
    await custom.client.endAsync();
    expect(custom.messages[0]?.[0]).toMatch(/^lab\/stats\/fabomatic-/);
    await lab.stop();

    lab = await startTestApp({
      database: 'sqlite',
      broker: 'embedded',
      env: { ...BACKEND, STATS_INTERVAL_SECONDS: '0' },
    });
    const off = await listen(lab, '#');
    await new Promise((r) => setTimeout(r, 600));
    await off.client.endAsync();
    expect(off.messages.filter(([topic]) => topic.startsWith('stats/'))).toEqual([]);
  });
});
