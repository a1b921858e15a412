import type { MqttClient } from 'mqtt';
import { EchoResponder } from './echo-responder';
import { runLoad, type LoadTarget } from './load';
import { openMqttClient } from './mqtt-connect';

const URL = 'mqtt://127.0.0.1:1883';

function uniqueRoot(): string {
  return `loadtest${process.pid}x${Math.floor(Math.random() * 1e9)}`;
}

function targets(n: number): LoadTarget[] {
  return Array.from({ length: n }, (_, i) => ({
    topicId: String(i + 1),
    uid: `0000aa${String(i).padStart(2, '0')}`,
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

  describe('backend verification', () => {
    let backend: MqttClient;

    beforeEach(async () => {
      await echo.close(); // this backend answers instead
      backend = await openMqttClient({ url: URL }, `fake-${Math.floor(Math.random() * 1e9)}`);
      // Denies card 2; answers everything else like a correct backend.
      backend.on('message', (topic, payload) => {
        const reply = payload.toString().includes('"checkuser"')
          ? { request_ok: true, is_valid: !topic.endsWith('/2'), level: 1, name: 'x' }
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
  });
});
