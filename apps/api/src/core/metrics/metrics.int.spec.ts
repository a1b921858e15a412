import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { startTestApp, type TestApp } from '../../testing/test-app';

const TOKEN = 'scrape-token-0123456789';

describe('Prometheus metrics', () => {
  let lab: TestApp;

  beforeAll(async () => {
    lab = await startTestApp({
      database: 'sqlite',
      broker: 'embedded',
      seed: LAB_SEED,
      env: { METRICS_TOKEN: TOKEN },
    });
  });
  afterAll(() => lab?.stop());

  const scrape = async () => {
    const response = await fetch(`${lab.running.httpUrl}/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status).toBe(200);
    return response.text();
  };

  it('counts board messages by action and outcome, reply times, open sessions and online boards', async () => {
    const board = await lab.board('1');
    await board.checkuser(CARDS.lucia);
    await board.startuse(CARDS.lucia);
    await board.publishRaw('not json');
    await board.checkmachine();
    const text = await scrape();
    expect(text).toMatch(/fabomatic_board_messages_total\{action="checkuser",outcome="answered"\} 1/);
    expect(text).toMatch(/fabomatic_board_messages_total\{action="unknown",outcome="malformed-not-json"\} 1/);
    expect(text).toMatch(/fabomatic_board_reply_seconds_count\{action="startuse"\} 1/);
    expect(text).toMatch(/fabomatic_sessions_open 1/);
    expect(text).toMatch(/fabomatic_boards_online 1/);
    expect(text).toMatch(/fabomatic_process_resident_memory_bytes \d+/);
  });

  it('counts HTTP requests by route pattern', async () => {
    await fetch(`${lab.running.httpUrl}/api/roles/12345`);
    const text = await scrape();
    expect(text).toMatch(
      /fabomatic_http_requests_total\{method="GET",route="\/api\/roles\/:id",status="401"\} 1/,
    );
  });

  it('needs the bearer token when one is configured', async () => {
    expect((await fetch(`${lab.running.httpUrl}/metrics`)).status).toBe(401);
    for (const authorization of [`Bearer ${TOKEN.slice(0, -1)}`, `Bearer ${TOKEN}x`, TOKEN, 'Bearer ']) {
      const response = await fetch(`${lab.running.httpUrl}/metrics`, { headers: { authorization } });
      expect([authorization, response.status]).toEqual([authorization, 401]);
    }
  });
});
