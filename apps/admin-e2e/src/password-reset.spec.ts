import { expect, test } from '@playwright/test';
import { SMTPServer } from 'smtp-server';

const MANAGER = { email: 'manager@example.org', password: 'Manager-Pass-2026' };

/** Receives the app's emails on the port serve-lab.js gave it (ADMIN_E2E_SMTP_PORT). */
function startInbox(): Promise<{ messages: string[]; close: () => Promise<void> }> {
  const messages: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        messages.push(Buffer.concat(chunks).toString('utf8'));
        callback();
      });
    },
  });
  return new Promise((resolve) =>
    server.listen(Number(process.env['ADMIN_E2E_SMTP_PORT']), '127.0.0.1', () =>
      resolve({ messages, close: () => new Promise((done) => server.close(() => done())) }),
    ),
  );
}

test('a forgotten password is reset from the emailed link, once', async ({ page, request }) => {
  const inbox = await startInbox();
  try {
    // A portal user of its own, so the other specs' passwords stay as they are.
    const email = `reset-${Date.now().toString(36)}@example.org`;
    const login = await request.post('/api/auth/login', {
      data: MANAGER,
      headers: { 'x-requested-with': 'fabomatic' },
    });
    expect(login.ok()).toBe(true);
    const roles = (await (await request.get('/api/roles?q=lab%20staff')).json()) as {
      items: { id: number }[];
    };
    const created = await request.post('/api/members', {
      data: { name: 'Rita', surname: 'Reset', email, roleId: roles.items[0]?.id },
      headers: { 'x-requested-with': 'fabomatic' },
    });
    expect(created.status()).toBe(201);

    await page.goto('/login');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    // The sign-in form has an Email field too: fill the one of the page that has replaced it.
    await expect(page.getByRole('heading', { name: 'Reset your password', level: 1 })).toBeVisible();
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await expect(page.getByRole('status')).toContainText('email with a link is on its way');

    await expect.poll(() => inbox.messages.length, { timeout: 5000 }).toBe(1);
    const text = inbox.messages[0]?.replace(/=\r?\n/g, '').replace(/=3D/g, '=') ?? '';
    const link = /http:\/\/127\.0\.0\.1:\d+\/reset-password\?token=[A-Za-z0-9_-]+/.exec(text)?.[0];
    expect(link).toBeTruthy();

    await page.goto(link ?? '');
    await page.getByLabel(/New password/).fill('Rita-Nuova-Chiave-1');
    await page.getByRole('button', { name: 'Save password' }).click();
    await expect(page.getByRole('status')).toHaveText('Your password is changed. Sign in with it now.');

    await page.goto(link ?? '');
    await page.getByLabel(/New password/).fill('Rita-Altra-Chiave-2');
    await page.getByRole('button', { name: 'Save password' }).click();
    await expect(page.getByRole('alert')).toContainText('invalid, already used or expired');

    await page.goto('/login');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('Rita-Nuova-Chiave-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('link', { name: 'Members' })).toBeVisible();
  } finally {
    await inbox.close();
  }
});
