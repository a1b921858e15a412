import { ApiClient } from '../../testing/api-client';
import { LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { decodeQuotedPrintable, SmtpInbox } from '../../testing/smtp-inbox';
import { startTestApp, type TestApp } from '../../testing/test-app';
import { Member } from '../members/member.entity';
import { PasswordResetToken } from './password-reset-token.entity';
import { RESET_TOKEN_TTL_MS } from './password-reset.service';
import { hashPassword } from './password-hashing';

const PUBLIC_URL = 'https://fab.example.org';

function linkIn(raw: string): string {
  const match = /https:\/\/fab\.example\.org\/reset-password\?token=([A-Za-z0-9_-]+)/.exec(
    decodeQuotedPrintable(raw),
  );
  if (!match?.[1]) throw new Error(`no reset link in:\n${raw}`);
  return match[1];
}

describe('password reset by email', () => {
  let lab: TestApp;
  let inbox: SmtpInbox;
  const anonymous = () => new ApiClient(lab.running.httpUrl);

  beforeAll(async () => {
    inbox = await SmtpInbox.start();
    lab = await startTestApp({
      database: 'sqlite',
      broker: 'embedded',
      seed: LAB_SEED,
      // Many links in one minute here: the per-address limit is api-security's to test.
      env: {
        SMTP_URL: inbox.url,
        SMTP_FROM: 'FabLab <noreply@fab.example.org>',
        PUBLIC_URL,
        AUTH_RATE_LIMIT: '100',
      },
    });
    const members = lab.dataSource.getRepository(Member);
    await members.update(
      { email: 'staff@example.org' },
      { passwordHash: await hashPassword('Old-Staff-Pass-1'), language: 'it' },
    );
  });
  afterAll(async () => {
    await lab?.stop();
    await inbox?.close();
  });

  it('mails a single-use link built from PUBLIC_URL, in the member language, and ends old sessions', async () => {
    const staff = anonymous();
    expect((await staff.login('staff@example.org', 'Old-Staff-Pass-1')).status).toBe(200);
    expect((await anonymous().post('/api/auth/forgot', { email: 'STAFF@example.org' })).status).toBe(202);
    const mail = await inbox.waitFor(1);
    expect(mail.to).toEqual(['staff@example.org']);
    expect(mail.from).toBe('noreply@fab.example.org');
    expect(mail.raw).toContain('Subject: FabOMatic: reimposta la password');
    const token = linkIn(mail.raw);

    expect(await anonymous().post('/api/auth/reset', { token, newPassword: 'short' })).toMatchObject({
      status: 400,
      body: { code: 'WEAK_PASSWORD' },
    });
    expect(
      (await anonymous().post('/api/auth/reset', { token, newPassword: 'Nuova-Chiave-2027' })).status,
    ).toBe(204);
    expect(
      await anonymous().post('/api/auth/reset', { token, newPassword: 'Altra-Chiave-2028' }),
    ).toMatchObject({
      status: 400,
      body: { code: 'RESET_TOKEN_INVALID' },
    });
    expect((await staff.get('/api/auth/me')).status).toBe(401);
    expect((await anonymous().login('staff@example.org', 'Nuova-Chiave-2027')).status).toBe(200);
  });

  it('answers the same for unknown and non-portal addresses, and sends nothing', async () => {
    const before = inbox.messages.length;
    for (const email of ['nobody@example.org', 'lucia@example.org']) {
      expect(await anonymous().post('/api/auth/forgot', { email })).toMatchObject({
        status: 202,
        body: null,
      });
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(inbox.messages.length).toBe(before);
  });

  it('refuses an expired link', async () => {
    const count = inbox.messages.length;
    await anonymous().post('/api/auth/forgot', { email: 'staff@example.org' });
    const token = linkIn((await inbox.waitFor(count + 1)).raw);
    lab.clock.advance(RESET_TOKEN_TTL_MS + 1000);
    try {
      expect(
        await anonymous().post('/api/auth/reset', { token, newPassword: 'Scaduta-Chiave-2029' }),
      ).toMatchObject({
        status: 400,
        body: { code: 'RESET_TOKEN_INVALID' },
      });
    } finally {
      lab.clock.advance(-(RESET_TOKEN_TTL_MS + 1000));
    }
  });

  it('lets staff send a member the link, in English by default', async () => {
    const admin = await adminClient(lab);
    const count = inbox.messages.length;
    const boss = await lab.dataSource.getRepository(Member).findOneByOrFail({ email: 'boss@example.org' });
    expect((await admin.post('/api/password-resets', { memberId: boss.id })).status).toBe(202);
    const mail = await inbox.waitFor(count + 1);
    expect(mail.to).toEqual(['boss@example.org']);
    expect(mail.raw).toContain('Subject: FabOMatic: reset your password');
    const noEmail = await lab.dataSource.getRepository(Member).findOneByOrFail({ name: 'Mario' });
    expect(await admin.post('/api/password-resets', { memberId: noEmail.id })).toMatchObject({
      status: 409,
      body: { code: 'MEMBER_HAS_NO_EMAIL' },
    });
  });

  it('kills the links sent before a password or email change, and keeps no expired or used one', async () => {
    const admin = await adminClient(lab);
    const tokens = lab.dataSource.getRepository(PasswordResetToken);
    const staffId = (
      await lab.dataSource.getRepository(Member).findOneByOrFail({ email: 'staff@example.org' })
    ).id;
    const linkFor = async (email: string) => {
      const count = inbox.messages.length;
      expect((await anonymous().post('/api/auth/forgot', { email })).status).toBe(202);
      return linkIn((await inbox.waitFor(count + 1)).raw);
    };
    const dead = { status: 400, body: { code: 'RESET_TOKEN_INVALID' } };

    const beforePassword = await linkFor('staff@example.org');
    const staff = anonymous();
    expect((await staff.login('staff@example.org', 'Nuova-Chiave-2027')).status).toBe(200);
    expect(
      (
        await staff.post('/api/auth/password', {
          currentPassword: 'Nuova-Chiave-2027',
          newPassword: 'Terza-Chiave-2030',
        })
      ).status,
    ).toBe(200);
    expect(
      await anonymous().post('/api/auth/reset', { token: beforePassword, newPassword: 'Quarta-Chiave-2031' }),
    ).toMatchObject(dead);

    const beforeEmail = await linkFor('staff@example.org');
    expect((await admin.patch(`/api/members/${staffId}`, { email: 'staff2@example.org' })).status).toBe(200);
    expect(
      await anonymous().post('/api/auth/reset', { token: beforeEmail, newPassword: 'Quinta-Chiave-2032' }),
    ).toMatchObject(dead);

    // Sending a link clears out the expired and used ones (earlier tests left both).
    const fresh = await linkFor('staff2@example.org');
    const now = lab.clock.now().getTime();
    expect((await tokens.find()).every((t) => t.usedAt === null && t.expiresAt.getTime() > now)).toBe(true);
    expect(
      (await anonymous().post('/api/auth/reset', { token: fresh, newPassword: 'Sesta-Chiave-2033' })).status,
    ).toBe(204);
  });
});
