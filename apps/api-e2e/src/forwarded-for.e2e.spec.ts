import { embeddedBrokerEnv } from './support/lab';
import { type AppChild, freePort, removeTempDirs, spawnApp, stopAll, tempDir } from './support/processes';

/**
 * The built app as installed, no proxy configured: a client rotating X-Forwarded-For is still one
 * client to the login rate limit (it used to trust loopback peers, so anyone on the box could).
 */
describe('attack: X-Forwarded-For rotation against the login rate limit', () => {
  let app: AppChild | undefined;

  afterAll(async () => {
    await app?.stop('SIGTERM');
    await stopAll();
    removeTempDirs();
  });

  it('does not escape the per-address limit from a peer that is not a trusted proxy', async () => {
    const [httpPort, brokerPort] = [await freePort(), await freePort()];
    app = spawnApp(httpPort, {
      DATABASE_URL: `sqlite:${tempDir()}/fabomatic.db`,
      AUTH_RATE_LIMIT: '5',
      ...embeddedBrokerEnv(brokerPort),
    });
    await app.waitReady();
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const response = await fetch(`${app.httpUrl}/api/auth/login`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-requested-with': 'fabomatic',
          'x-forwarded-for': `203.0.113.${i + 1}, 198.51.100.${i + 1}`,
        },
        body: JSON.stringify({ email: `guess-${i}@example.org`, password: 'not-the-password' }),
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
  });
});
