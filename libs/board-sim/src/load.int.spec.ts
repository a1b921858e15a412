import type { MqttClient } from 'mqtt';
import { EchoResponder } from './echo-responder';
import { FIRMWARE_SEQUENCE, runLoad, type LoadTarget } from './load';
import { openMqttClient } from './mqtt-connect';

/** The Mosquitto the integration specs use (the machine's, or the one `npm test` started). */
const URL = process.env['TEST_MQTT_URL'] ?? 'mqtt://127.0.0.1:1883';

function uniqueRoot(): string {
  return `loadtest${process.pid}x${Math.floor(Math.random() * 1e9)}`;
}

function targets(n: number): LoadTarget[] {
  return Array.from({ length: n }, (_, i) => ({
    topicId: String(i + 1),
    uid: `0000aa${String(i).padStart(2, '0')}`,
    unknownUid: `0000bb${String(i).padStart(2, '0')}`,
    unauthorizedUid: `0000cc${String(i).padStart(2, '0')}`,
    maintainerUid: '0000dd00',
  }));
}

/** Deterministic random source (mulberry32). */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('runLoad', () => {
  let root: string;
  let echo: EchoResponder;

  beforeEach(async () => {
    root = uniqueRoot();
    echo = new EchoResponder({ url: URL, topicRoot: root });
    await echo.start();
  });

  afterEach(async () => {
    await echo.close();
  });

  it('saturates 10 boards against the echo responder with sane stats', async () => {
    const stats = await runLoad({
      url: URL,
      topicRoot: root,
      targets: targets(10),
      mode: 'saturate',
      verify: 'echo',
      durationMs: 1500,
      drainMs: 100,
    });

    expect(stats.boards).toBe(10);
    expect(stats.errors).toEqual({ timeouts: 0, badReplies: 0, unexpectedReplies: 0, failures: 0 });
    expect(stats.errorCount).toBe(0);
    expect(stats.count).toBeGreaterThan(100);
    expect(stats.queries).toBe(stats.count);
    expect(stats.latencyMs.count).toBe(stats.count);
    expect(stats.latencyMs.p50).toBeGreaterThan(0);
    expect(stats.latencyMs.p50).toBeLessThanOrEqual(stats.latencyMs.p95);
    expect(stats.latencyMs.p95).toBeLessThanOrEqual(stats.latencyMs.p99);
    expect(stats.latencyMs.p99).toBeLessThanOrEqual(stats.latencyMs.max);
    expect(stats.elapsedMs).toBeGreaterThanOrEqual(1500);
    // throughput is reported rounded to 0.1/s
    expect(Math.abs(stats.throughput - stats.count / (stats.elapsedMs / 1000))).toBeLessThan(1);
    expect(Object.keys(stats.byAction).sort()).toEqual([
      'checkmachine',
      'checkuser',
      'inuse',
      'startuse',
      'stopuse',
    ]);
    // Every measured reply plus the wind-down stopuse of boards left in a session.
    expect(echo.answered).toBeGreaterThanOrEqual(stats.count);
  });

  it('runs the firmware cadence (compressed) without errors, alive included', async () => {
    const stats = await runLoad({
      url: URL,
      topicRoot: root,
      targets: targets(10),
      mode: 'cadence',
      verify: 'echo',
      durationMs: 1200,
      drainMs: 100,
      random: seeded(42),
      cadence: {
        checkmachineMs: 200,
        aliveMs: 300,
        inuseMs: 100,
        tapCheckmachineMs: 20,
        inuseCount: [1, 2],
        idleMs: [50, 150],
      },
    });

    expect(stats.errorCount).toBe(0);
    expect(stats.alives).toBeGreaterThanOrEqual(10);
    // ~6 checkmachine per board plus sessions: far fewer than saturation, far more than nothing.
    expect(stats.count).toBeGreaterThan(60);
    expect(stats.count).toBeLessThan(1000);
    for (const action of ['checkmachine', 'checkuser', 'startuse', 'inuse', 'stopuse'] as const) {
      expect(stats.byAction[action]?.count).toBeGreaterThan(0);
    }
  });

  it('refuses to run the firmware mix on targets that lack its cards', async () => {
    await expect(
      runLoad({
        url: URL,
        topicRoot: root,
        targets: [{ topicId: '1', uid: '0000aa00' }],
        mode: 'saturate',
        mix: 'firmware',
        verify: 'echo',
        durationMs: 100,
      }),
    ).rejects.toThrow(/target 1 has no unknown card/);
  });

  describe('backend verification', () => {
    let backend: MqttClient;
    /** The queries the fake backend received, per topic, in order. */
    let received: Map<string, { action: string; uid?: string }[]>;
    /** Whether the fake backend grants a card on a machine (topic id). */
    let grants: (uid: string, topicId: string) => boolean;

    beforeEach(async () => {
      await echo.close(); // this backend answers instead
      received = new Map();
      // Denies card 2 and the firmware mix's unknown and unauthorized cards, like a correct backend.
      grants = (uid, topicId) => topicId !== '2' && !/^0000(bb|cc)/.test(uid);
      backend = await openMqttClient({ url: URL }, `fake-${Math.floor(Math.random() * 1e9)}`);
      backend.on('message', (topic, payload) => {
        const query = JSON.parse(payload.toString()) as { action: string; uid?: string };
        received.set(topic, [...(received.get(topic) ?? []), query]);
        const topicId = topic.slice(topic.lastIndexOf('/') + 1);
        const reply =
          query.action === 'checkuser'
            ? { request_ok: true, is_valid: grants(query.uid ?? '', topicId), level: 1, name: 'x' }
            : { request_ok: true };
        backend.publish(`${topic}/reply`, JSON.stringify(reply));
      });
      await backend.subscribeAsync(`${root}/+`, { qos: 0 });
    });

    afterEach(async () => {
      await backend.endAsync(true);
    });

    it('counts a denied authorized card as a bad reply', async () => {
      const stats = await runLoad({
        url: URL,
        topicRoot: root,
        targets: targets(2),
        mode: 'saturate',
        verify: 'backend',
        durationMs: 300,
        drainMs: 50,
      });

      expect(stats.errors.timeouts).toBe(0);
      expect(stats.errors.unexpectedReplies).toBe(0);
      expect(stats.errors.badReplies).toBeGreaterThan(0);
      expect(stats.errorSamples[0]).toMatch(/^2 checkuser: unexpected answer .*"is_valid":false/);
    });

    it("sends the firmware's mix in order and takes its refusals as right answers", async () => {
      const stats = await runLoad({
        url: URL,
        topicRoot: root,
        targets: targets(3).filter((t) => t.topicId !== '2'),
        mode: 'saturate',
        mix: 'firmware',
        verify: 'backend',
        durationMs: 400,
        drainMs: 50,
      });

      expect(stats.mix).toBe('firmware');
      expect(stats.errorCount).toBe(0);
      expect(Object.keys(stats.byAction).sort()).toEqual([
        'checkmachine',
        'checkuser',
        'inuse',
        'maintenance',
        'startuse',
        'stopuse',
      ]);
      const sent = received.get(`${root}/3`) ?? [];
      expect(sent.length).toBeGreaterThanOrEqual(FIRMWARE_SEQUENCE.length);
      expect(sent.slice(0, 9)).toEqual([
        { action: 'checkmachine' },
        { action: 'checkuser', uid: '0000aa02' },
        { action: 'startuse', uid: '0000aa02' },
        expect.objectContaining({ action: 'inuse', uid: '0000aa02' }),
        { action: 'checkuser', uid: '0000bb02' },
        expect.objectContaining({ action: 'inuse', uid: '0000aa02' }),
        expect.objectContaining({ action: 'stopuse', uid: '0000aa02' }),
        { action: 'checkuser', uid: '0000cc02' },
        { action: 'maintenance', uid: '0000dd00' },
      ]);
    });

    it('counts a granted unknown card as a bad reply', async () => {
      grants = (uid) => !uid.startsWith('0000cc'); // grants the unknown card
      const stats = await runLoad({
        url: URL,
        topicRoot: root,
        targets: targets(1),
        mode: 'saturate',
        mix: 'firmware',
        verify: 'backend',
        durationMs: 300,
        drainMs: 50,
      });

      expect(stats.errors.badReplies).toBeGreaterThan(0);
      expect(stats.errorSamples[0]).toMatch(/^1 checkuser: unexpected answer .*"is_valid":true/);
    });
  });
});
