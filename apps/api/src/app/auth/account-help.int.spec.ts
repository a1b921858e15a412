import type { ForgotPasswordOptions, SystemInfo } from '@fabomatic/contracts';
import { ApiClient } from '../../testing/api-client';
import { LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { startTestApp, TEST_ADMIN, type TestApp } from '../../testing/test-app';
import type { LogLine } from '../../core/logging/logger';
import { Member } from '../members/member.entity';

/** Issue 12, "Accounts": a temporary password cannot be kept; a lab without email says so. */
describe('account help (no SMTP configured)', () => {
  let lab: TestApp;
  const anonymous = () => new ApiClient(lab.running.httpUrl);

  beforeAll(async () => {
    // No SMTP_URL; warnings kept, as an operator's log would.
    lab = await startTestApp({
      database: 'sqlite',
      broker: 'embedded',
      seed: LAB_SEED,
      env: { LOG_LEVEL: 'warn', AUTH_RATE_LIMIT: '100' },
    });
  });
  afterAll(() => lab?.stop());

  it('refuses the temporary password as the new one at the forced change, and it stays temporary', async () => {
    const boss = anonymous();
    expect((await boss.login(TEST_ADMIN.email, TEST_ADMIN.password)).status).toBe(200);
    expect(
      await boss.post('/api/auth/password', {
        currentPassword: TEST_ADMIN.password,
        newPassword: TEST_ADMIN.password,
      }),
    ).toMatchObject({ status: 400, body: { code: 'NEW_PASSWORD_SAME_AS_CURRENT' } });
    // Still bound to change it: nothing else opens.
    expect(await boss.get('/api/auth/me')).toMatchObject({ status: 200, body: { mustChangePassword: true } });
    expect(await boss.get('/api/roles')).toMatchObject({
      status: 403,
      body: { code: 'PASSWORD_CHANGE_REQUIRED' },
    });
    // A different password is taken, and then the temporary one no longer signs in.
    expect(
      await boss.post('/api/auth/password', {
        currentPassword: TEST_ADMIN.password,
        newPassword: TEST_ADMIN.changedTo,
      }),
    ).toMatchObject({ status: 200, body: { mustChangePassword: false } });
    expect((await anonymous().login(TEST_ADMIN.email, TEST_ADMIN.password)).status).toBe(401);
    // The same rule on the profile page's change.
    expect(
      await boss.post('/api/auth/password', {
        currentPassword: TEST_ADMIN.changedTo,
        newPassword: TEST_ADMIN.changedTo,
      }),
    ).toMatchObject({ status: 400, body: { code: 'NEW_PASSWORD_SAME_AS_CURRENT' } });
  });

  it('says "email is not configured" for every address alike, and logs the request for operators', async () => {
    expect(await anonymous().get<ForgotPasswordOptions>('/api/auth/forgot')).toMatchObject({
      status: 200,
      body: { emailConfigured: false },
    });
    const known = await anonymous().post('/api/auth/forgot', { email: 'admin@example.org' });
    const unknown = await anonymous().post('/api/auth/forgot', { email: 'nobody@example.org' });
    expect(known).toMatchObject({ status: 503, body: { code: 'EMAIL_NOT_CONFIGURED' } });
    // No account enumeration: the answer for an unknown address is the same, byte for byte.
    expect({ status: unknown.status, body: unknown.body }).toEqual({
      status: known.status,
      body: known.body,
    });

    const admin = await adminClient(lab);
    const logs = (await admin.get<LogLine[]>('/api/system/logs')).body;
    for (const email of ['admin@example.org', 'nobody@example.org']) {
      expect(logs).toContainEqual(
        expect.objectContaining({
          level: 'warn',
          message: expect.stringMatching(
            new RegExp(`password reset asked for ${email}.*SMTP_URL is not configured`),
          ),
        }),
      );
    }
  });

  it("refuses the member's reset button with the same code, and the system page shows the email status", async () => {
    const admin = await adminClient(lab);
    const staff = await lab.dataSource.getRepository(Member).findOneByOrFail({ email: 'staff@example.org' });
    expect(await admin.post('/api/password-resets', { memberId: staff.id })).toMatchObject({
      status: 503,
      body: { code: 'EMAIL_NOT_CONFIGURED' },
    });
    expect((await admin.get<SystemInfo>('/api/system')).body.email).toEqual({
      configured: false,
      from: 'FabOMatic <fabomatic@localhost>',
      requireTls: false,
    });
  });

  it('tells the portal whether the signed-in user has a card (a remote start needs one)', async () => {
    const admin = await adminClient(lab);
    expect((await admin.get('/api/auth/me')).body).toMatchObject({ email: TEST_ADMIN.email, hasCard: false });
    // Ada, the seeded admin with a card, signs in with the same password.
    const members = lab.dataSource.getRepository(Member);
    const { passwordHash } = await members.findOneByOrFail({ email: TEST_ADMIN.email });
    await members.update({ email: 'admin@example.org' }, { passwordHash });
    const ada = anonymous();
    expect((await ada.login('admin@example.org', TEST_ADMIN.changedTo)).status).toBe(200);
    expect((await ada.get('/api/auth/me')).body).toMatchObject({ email: 'admin@example.org', hasCard: true });
  });
});
