import type { CurrentUser } from '@fabomatic/contracts';
import { ApiClient } from '../../testing/api-client';
import { LAB_SEED } from '../../testing/lab-seed';
import { decodeQuotedPrintable, SmtpInbox } from '../../testing/smtp-inbox';
import { startTestApp, type TestApp, type TestDatabase } from '../../testing/test-app';
import { Member } from '../members/member.entity';
import { Role } from '../roles/role.entity';
import { MAGIC_LINK_TTL_MS } from './magic-link.service';
import { hashPassword } from './password-hashing';

const PUBLIC_URL = 'https://fab.example.org';
const STAFF_PASSWORD = 'Cartellino-Blu-2026';
const invalid = { status: 400, body: { code: 'MAGIC_LINK_INVALID' } };

function tokenIn(raw: string): string {
  const match = /https:\/\/fab\.example\.org\/login\/link#token=([A-Za-z0-9_-]+)/.exec(
    decodeQuotedPrintable(raw),
  );
  if (!match?.[1]) throw new Error(`no sign-in link in:\n${raw}`);
  return match[1];
}

describe.each<TestDatabase>(['sqlite', 'postgres'])('sign-in by emailed link on %s', (database) => {
  let lab: TestApp;
  let inbox: SmtpInbox;
  const anonymous = () => new ApiClient(lab.running.httpUrl);
  const members = () => lab.dataSource.getRepository(Member);

  /** Asks a link for `email` and returns its token (the mail must arrive). */
  async function linkFor(email: string): Promise<string> {
    const count = inbox.messages.length;
    expect((await anonymous().post('/api/auth/magic-link', { email })).status).toBe(202);
    return tokenIn((await inbox.waitFor(count + 1)).raw);
  }

  beforeAll(async () => {
    inbox = await SmtpInbox.start();
    lab = await startTestApp({
      database,
      broker: 'embedded',
      seed: LAB_SEED,
      // Many links from one client address here: the per-address limits have their own tests.
      env: { SMTP_URL: inbox.url, PUBLIC_URL, AUTH_RATE_LIMIT: '100' },
    });
    const roles = lab.dataSource.getRepository(Role);
    await roles.update({ name: 'Fab Users' }, { portalAccess: 'member' });
    const outsiders = await roles.save(
      roles.create({
        name: 'Outsiders',
        authorizeAll: false,
        maintenance: false,
        portalAccess: 'none',
        reserved: false,
      }),
    );
    await members().update({ name: 'Lucía' }, { email: 'lucia@example.org', language: 'it' });
    await members().update({ name: 'Dora' }, { email: 'dora@example.org' });
    await members().update({ name: 'Mario' }, { email: 'mario@example.org', roleId: outsiders.id });
    await members().update(
      { email: 'staff@example.org' },
      { passwordHash: await hashPassword(STAFF_PASSWORD) },
    );
  });
  afterAll(async () => {
    await lab?.stop();
    await inbox?.close();
  });

  it('answers every address the same, and mails only a member who may sign in', async () => {
    const before = inbox.messages.length;
    const addresses = ['lucia@example.org', 'nobody@example.org', 'dora@example.org', 'mario@example.org'];
    const answers = [];
    for (const email of addresses) {
      const response = await anonymous().post('/api/auth/magic-link', { email });
      answers.push({ status: response.status, body: response.body });
    }
    expect(answers).toEqual(addresses.map(() => ({ status: 202, body: null })));
    await inbox.waitFor(before + 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(inbox.messages.slice(before).map((m) => m.to)).toEqual([['lucia@example.org']]);
  });

  it('signs a member in once, in their language, as a member without a password', async () => {
    const count = inbox.messages.length;
    expect((await anonymous().post('/api/auth/magic-link', { email: 'LUCIA@example.org' })).status).toBe(202);
    const mail = await inbox.waitFor(count + 1);
    expect(mail.raw).toContain('Subject: FabOMatic: il tuo link di accesso');
    const token = tokenIn(mail.raw);

    const lucia = anonymous();
    expect((await lucia.get('/api/auth/me')).status).toBe(401);
    expect(await lucia.post('/api/auth/magic-link/verify', { token })).toMatchObject({
      status: 200,
      body: { email: 'lucia@example.org', access: 'member', hasPassword: false, mustChangePassword: false },
    });
    expect(await lucia.get('/api/auth/me')).toMatchObject({ status: 200, body: { access: 'member' } });
    expect(await anonymous().post('/api/auth/magic-link/verify', { token })).toMatchObject(invalid);
  });

  it('voids every other link of the member once one is used', async () => {
    const first = await linkFor('lucia@example.org');
    const second = await linkFor('lucia@example.org');
    expect((await anonymous().post('/api/auth/magic-link/verify', { token: second })).status).toBe(200);
    expect(await anonymous().post('/api/auth/magic-link/verify', { token: first })).toMatchObject(invalid);
  });

  it('refuses a link after 15 minutes', async () => {
    const stale = await linkFor('lucia@example.org');
    const fresh = await linkFor('lucia@example.org');
    lab.clock.advance(MAGIC_LINK_TTL_MS - 5000);
    try {
      expect((await anonymous().post('/api/auth/magic-link/verify', { token: fresh })).status).toBe(200);
    } finally {
      lab.clock.advance(-(MAGIC_LINK_TTL_MS - 5000));
    }
    const late = await linkFor('lucia@example.org');
    lab.clock.advance(MAGIC_LINK_TTL_MS + 1000);
    try {
      expect(await anonymous().post('/api/auth/magic-link/verify', { token: late })).toMatchObject(invalid);
    } finally {
      lab.clock.advance(-(MAGIC_LINK_TTL_MS + 1000));
    }
    expect(await anonymous().post('/api/auth/magic-link/verify', { token: stale })).toMatchObject(invalid);
  });

  it('refuses the link of a member disabled, or whose role lost the portal, since it was sent', async () => {
    const token = await linkFor('lucia@example.org');
    await members().update({ name: 'Lucía' }, { disabled: true });
    expect(await anonymous().post('/api/auth/magic-link/verify', { token })).toMatchObject(invalid);
    await members().update({ name: 'Lucía' }, { disabled: false });

    const other = await linkFor('lucia@example.org');
    const roles = lab.dataSource.getRepository(Role);
    await roles.update({ name: 'Fab Users' }, { portalAccess: 'none' });
    expect(await anonymous().post('/api/auth/magic-link/verify', { token: other })).toMatchObject(invalid);
    await roles.update({ name: 'Fab Users' }, { portalAccess: 'member' });
    expect(await anonymous().post('/api/auth/magic-link/verify', { token: 'x'.repeat(43) })).toMatchObject(
      invalid,
    );
    // Both strategies see only a valid body: anything else is refused like on every route.
    for (const [path, body] of [
      ['/api/auth/magic-link/verify', {}],
      ['/api/auth/login', {}],
      ['/api/auth/login', { email: 'not-an-email', password: 'x' }],
      ['/api/auth/login', { email: 'lucia@example.org' }],
    ] as const) {
      expect(await anonymous().post(path, body)).toMatchObject({
        status: 400,
        body: { code: 'VALIDATION_FAILED' },
      });
    }
  });

  it('lets a member set a first password, then sign in with it, and keeps staff routes closed', async () => {
    const lucia = anonymous();
    expect(
      (await lucia.post('/api/auth/magic-link/verify', { token: await linkFor('lucia@example.org') })).status,
    ).toBe(200);
    for (const path of ['/api/members', '/api/roles', '/api/machines', '/api/usage', '/api/audit']) {
      expect([path, (await lucia.get(path)).status]).toEqual([path, 403]);
    }
    expect(await lucia.post('/api/auth/password', { newPassword: 'short' })).toMatchObject({
      status: 400,
      body: { code: 'WEAK_PASSWORD' },
    });
    expect(
      await lucia.post<CurrentUser>('/api/auth/password', { newPassword: 'Tessera-Rossa-2026' }),
    ).toMatchObject({
      status: 200,
      body: { hasPassword: true },
    });
    // From now on the current password is needed.
    expect(await lucia.post('/api/auth/password', { newPassword: 'Tessera-Gialla-2027' })).toMatchObject({
      status: 401,
      body: { code: 'CURRENT_PASSWORD_WRONG' },
    });
    expect(
      await lucia.post('/api/auth/password', {
        currentPassword: 'Tessera-Rossa-2026',
        newPassword: 'Tessera-Rossa-2026',
      }),
    ).toMatchObject({ status: 400, body: { code: 'NEW_PASSWORD_SAME_AS_CURRENT' } });
    const byPassword = anonymous();
    expect(await byPassword.login('lucia@example.org', 'Tessera-Rossa-2026')).toMatchObject({
      status: 200,
      body: { access: 'member', hasPassword: true },
    });
    expect((await byPassword.get('/api/members')).status).toBe(403);
    expect((await byPassword.post('/api/auth/logout')).status).toBe(204);
    expect((await byPassword.get('/api/auth/me')).status).toBe(401);
  });

  it('signs staff in by link too, at their own level', async () => {
    const staff = anonymous();
    expect(
      await staff.post('/api/auth/magic-link/verify', { token: await linkFor('staff@example.org') }),
    ).toMatchObject({ status: 200, body: { access: 'manager', hasPassword: true } });
    expect((await staff.get('/api/members')).status).toBe(200);
  });

  it('makes one address wait after a few requests, whichever client asks', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await anonymous().post('/api/auth/magic-link', { email: 'flood@example.org' })).status);
    }
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
  });
});

describe('sign-in links without SMTP, and the per-client limit', () => {
  let lab: TestApp;
  beforeAll(async () => {
    // AUTH_RATE_LIMIT 4: two link requests a minute per client address.
    lab = await startTestApp({ database: 'sqlite', broker: 'embedded', env: { AUTH_RATE_LIMIT: '4' } });
  });
  afterAll(() => lab?.stop());

  it('says EMAIL_NOT_CONFIGURED for every address, then limits the client address', async () => {
    const client = new ApiClient(lab.running.httpUrl);
    for (const email of ['boss@example.org', 'nobody@example.org']) {
      expect(await client.post('/api/auth/magic-link', { email })).toMatchObject({
        status: 503,
        body: { code: 'EMAIL_NOT_CONFIGURED' },
      });
    }
    expect(await client.post('/api/auth/magic-link', { email: 'third@example.org' })).toMatchObject({
      status: 429,
      body: { code: 'TOO_MANY_REQUESTS' },
    });
  });
});
