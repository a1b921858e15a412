import { CSRF_HEADER, CSRF_HEADER_VALUE } from '@fabomatic/contracts';
import { LAB_SEED } from '../../testing/lab-seed';
import { startTestApp, TEST_ADMIN, type TestApp } from '../../testing/test-app';

/** A login attempt that claims to come from `forwardedFor` (X-Forwarded-For). */
async function login(lab: TestApp, email: string, password: string, forwardedFor?: string): Promise<number> {
  const response = await fetch(`${lab.running.httpUrl}/api/auth/login`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [CSRF_HEADER]: CSRF_HEADER_VALUE,
      ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
    },
    body: JSON.stringify({ email, password }),
  });
  return response.status;
}

describe('login rate limits', () => {
  describe('with no proxy trusted (the default)', () => {
    let lab: TestApp;
    beforeAll(async () => {
      lab = await startTestApp({ database: 'sqlite', broker: 'embedded', env: { AUTH_RATE_LIMIT: '3' } });
    });
    afterAll(() => lab?.stop());

    it('attack: rotating X-Forwarded-For does not escape the per-address limit', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        statuses.push(await login(lab, `guess-${i}@example.org`, 'wrong-password', `198.51.100.${i + 1}`));
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
    });
  });

  describe('behind a proxy named in TRUST_PROXY', () => {
    let lab: TestApp;
    beforeAll(async () => {
      lab = await startTestApp({
        database: 'sqlite',
        broker: 'embedded',
        seed: LAB_SEED,
        env: { AUTH_RATE_LIMIT: '3', TRUST_PROXY: '127.0.0.1' },
      });
    });
    afterAll(() => lab?.stop());

    it('counts each forwarded client apart, and an IPv6 /64 as one client', async () => {
      const other = [];
      for (let i = 0; i < 5; i++) other.push(await login(lab, `a${i}@example.org`, 'x', `2001:db8:${i}::1`));
      expect(other).toEqual([401, 401, 401, 401, 401]);
      const sameBlock = [];
      for (let i = 0; i < 5; i++) {
        sameBlock.push(await login(lab, `b${i}@example.org`, 'x', `2001:db8:aa:bb:${i}:${i}:${i}:${i + 1}`));
      }
      expect(sameBlock).toEqual([401, 401, 401, 429, 429]);
      const mapped = [];
      mapped.push(await login(lab, 'c1@example.org', 'x', '203.0.113.9'));
      mapped.push(await login(lab, 'c2@example.org', 'x', '::ffff:203.0.113.9'));
      mapped.push(await login(lab, 'c3@example.org', 'x', '203.0.113.9'));
      mapped.push(await login(lab, 'c4@example.org', 'x', '::ffff:203.0.113.9'));
      expect(mapped).toEqual([401, 401, 401, 429]);
    });

    it('attack: guessing one account from many addresses backs off, the same for an unknown account', async () => {
      // The clock stands still (a loaded machine must not outwait the 1 s back-off by accident).
      let now = Date.now();
      const frozen = jest.spyOn(lab.clock, 'now').mockImplementation(() => new Date(now));
      const address = (() => {
        let n = 0;
        return () => `192.0.2.${++n}`;
      })();
      for (const email of [TEST_ADMIN.email, 'nobody@example.org']) {
        const statuses = [];
        for (let i = 0; i < 7; i++) statuses.push(await login(lab, email, 'wrong-password', address()));
        expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
      }
      // Even the right password waits; once the wait is over it signs in and the count starts afresh.
      expect(await login(lab, TEST_ADMIN.email, TEST_ADMIN.password, address())).toBe(429);
      now += 1000;
      expect(await login(lab, TEST_ADMIN.email.toUpperCase(), 'wrong-password', address())).toBe(401);
      now += 2000;
      expect(await login(lab, TEST_ADMIN.email, TEST_ADMIN.password, address())).toBe(200);
      for (let i = 0; i < 4; i++) expect(await login(lab, TEST_ADMIN.email, 'wrong', address())).toBe(401);
      // A session guessing its own current password counts against the same account.
      const session =
        (
          await fetch(`${lab.running.httpUrl}/api/auth/login`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              [CSRF_HEADER]: CSRF_HEADER_VALUE,
              'x-forwarded-for': address(),
            },
            body: JSON.stringify({ email: TEST_ADMIN.email, password: TEST_ADMIN.password }),
          })
        ).headers
          .getSetCookie()[0]
          ?.split(';')[0] ?? '';
      const change = async () =>
        (
          await fetch(`${lab.running.httpUrl}/api/auth/password`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              [CSRF_HEADER]: CSRF_HEADER_VALUE,
              'x-forwarded-for': address(),
              cookie: session,
            },
            body: JSON.stringify({ currentPassword: 'guess-guess-guess', newPassword: 'Tessera-Nuova-2026' }),
          })
        ).status;
      const changes = [];
      for (let i = 0; i < 6; i++) changes.push(await change());
      expect(changes).toEqual([401, 401, 401, 401, 401, 429]);
      frozen.mockRestore();
    });
  });
});
