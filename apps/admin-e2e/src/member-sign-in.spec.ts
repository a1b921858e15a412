import AxeBuilder from '@axe-core/playwright';
import { expect, type APIRequestContext, type Page, test } from '@playwright/test';
import { SMTPServer } from 'smtp-server';

/** WCAG 2.1 A and AA, as in accessibility.spec.ts. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const CSRF = { 'x-requested-with': 'fabomatic' };
const PHONE = { width: 390, height: 844 };
const ADMIN = { email: 'admin@example.org', password: 'Admin-Pass-2026' };
const STAFF = { email: 'staff@example.org', password: 'Staff-Pass-2026' };

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

/** A member of a role at the members' portal level, with an email and no password. */
async function createMember(request: APIRequestContext): Promise<string> {
  const suffix = Date.now().toString(36);
  expect((await request.post('/api/auth/login', { data: ADMIN, headers: CSRF })).ok()).toBe(true);
  const role = await request.post('/api/roles', {
    data: {
      name: `Portal members ${suffix}`,
      authorizeAll: false,
      maintenance: false,
      portalAccess: 'member',
    },
    headers: CSRF,
  });
  expect(role.status()).toBe(201);
  const email = `member-${suffix}@example.org`;
  const created = await request.post('/api/members', {
    data: { name: 'Marta', surname: 'Socia', email, roleId: ((await role.json()) as { id: number }).id },
    headers: CSRF,
  });
  expect(created.status()).toBe(201);
  await request.post('/api/auth/logout', { headers: CSRF });
  return email;
}

async function expectNoViolations(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const report = results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact ?? 'n/a'}): ${violation.help}\n` +
      violation.nodes.map((node) => `    ${node.target.join(' ')} — ${node.failureSummary ?? ''}`).join('\n'),
  );
  expect(report, `axe violations on ${label} (${page.url()})`).toEqual([]);
}

test.describe("members' portal sign-in", () => {
  // Axe runs take a few seconds a page on the shared two cores.
  test.describe.configure({ timeout: 120_000 });

  test('a member signs in by the emailed link on a phone and lands on their portal', async ({
    page,
    request,
  }) => {
    const inbox = await startInbox();
    try {
      const email = await createMember(request);
      await page.setViewportSize(PHONE);
      await page.goto('/login');
      await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
      await expect(page.getByRole('heading', { name: 'Sign in with an emailed link' })).toBeVisible();
      await expectNoViolations(page, 'login, link form');
      await page.getByLabel('Email').fill(email);
      await page.getByRole('button', { name: 'Send me a sign-in link' }).click();
      await expect(page.getByRole('status')).toContainText(
        'If this address belongs to a member, a link is on its way',
      );

      await expect.poll(() => inbox.messages.length, { timeout: 5000 }).toBe(1);
      const text = inbox.messages[0]?.replace(/=\r?\n/g, '').replace(/=3D/g, '=') ?? '';
      const link = /http:\/\/127\.0\.0\.1:\d+\/login\/link#token=[A-Za-z0-9_-]+/.exec(text)?.[0];
      expect(link).toBeTruthy();

      await page.goto(link ?? '');
      await expect(page).toHaveURL(/\/me$/);
      // The token leaves the address bar; the shell's folded navigation opens from its Menu button.
      expect(page.url()).not.toContain('token');
      await page.getByRole('button', { name: 'Menu' }).click();
      const nav = page.getByRole('navigation', { name: "Members' portal" });
      for (const name of [
        'Home',
        'Sessions',
        'Refused taps',
        'Problems',
        'Report a problem',
        'My data',
        'Profile',
      ]) {
        await expect(nav.getByRole('link', { name, exact: true })).toBeVisible();
      }
      await expect(nav.getByRole('button', { name: 'Sign out' })).toBeVisible();
      await expectNoViolations(page, 'the members’ portal shell, menu open, on a phone');

      // Staff pages send a member back to their own.
      await page.goto('/members');
      await expect(page).toHaveURL(/\/me$/);

      await page.goto('/me/profile');
      await expect(page.getByRole('heading', { name: 'Profile', level: 1 })).toBeVisible();
      await expect(page.getByRole('heading', { name: 'Set a password' })).toBeVisible();
      await expect(page.getByLabel('Current password')).toHaveCount(0);
      await expectNoViolations(page, 'member profile');
      await page.getByLabel('New password', { exact: true }).fill('Marta-Chiave-2026');
      await page.getByLabel('Repeat the new password').fill('Marta-Chiave-2026');
      await page.getByRole('button', { name: 'Set a password' }).click();
      await expect(page.getByRole('status')).toHaveText('Password changed.');
      await expect(page.getByLabel('Current password')).toBeVisible();

      // In Italian: the profile, the shell and the landing page of a used link.
      await page.getByRole('combobox', { name: 'Language' }).selectOption('it');
      await expect(page.getByRole('heading', { name: 'Profilo', level: 1 })).toBeVisible();
      await expectNoViolations(page, 'member profile in Italian');
      await page.getByRole('button', { name: 'Menu' }).click();
      await page
        .getByRole('navigation', { name: 'Portale dei soci' })
        .getByRole('button', { name: 'Esci' })
        .click();
      await expect(page).toHaveURL(/\/login$/);

      await page.goto(link ?? '');
      await expect(page.getByRole('heading', { name: 'Accesso in corso', level: 1 })).toBeVisible();
      await expect(page.getByRole('alert')).toContainText('non è valido');
      await expectNoViolations(page, 'a used sign-in link in Italian');

      // The password works too, and lands on the members' portal.
      await page.goto('/login');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill('Marta-Chiave-2026');
      await page.getByRole('button', { name: 'Accedi' }).click();
      await expect(page).toHaveURL(/\/me$/);
    } finally {
      await inbox.close();
    }
  });

  test('the landing page of a bad link, in English', async ({ page }) => {
    await page.goto('/login/link#token=not-a-real-token-at-all-000000');
    await expect(page.getByRole('heading', { name: 'Signing in', level: 1 })).toBeVisible();
    await expect(page.getByRole('alert')).toContainText('invalid, already used or expired');
    await expect(page.getByRole('link', { name: 'Ask for a new link' })).toBeVisible();
    await expectNoViolations(page, 'a bad sign-in link');
  });

  test('staff still land on the dashboard', async ({ page }) => {
    await page.goto('/login');
    await page.getByLabel('Email').fill(STAFF.email);
    await page.getByLabel('Password').fill(STAFF.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('link', { name: 'Members' })).toBeVisible();
    expect(new URL(page.url()).pathname).toBe('/');
  });
});
