import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { expect, type Page, request, test } from '@playwright/test';

// A restore restarts the app: this spec runs its own lab (serve-lab.js) on free ports of its own,
// away from the suite's shared server (playwright.config.ts) and from any other suite on the machine.
const ADMIN = { email: 'admin@example.org', password: 'Admin-Pass-2026' };

test.describe.configure({ timeout: 120_000 });

let lab: ChildProcess | undefined;
let baseURL = '';

/** A TCP port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Waits until the lab answers and its admin (seeded once the app is ready) can sign in. */
async function labReady(): Promise<void> {
  const api = await request.newContext({ baseURL });
  try {
    await expect
      .poll(
        async () => {
          if (lab?.exitCode !== null) throw new Error(`the lab exited (${String(lab?.exitCode)})`);
          const response = await api
            .post('/api/auth/login', { headers: { 'x-requested-with': 'fabomatic' }, data: ADMIN })
            .catch(() => null);
          return response?.status() ?? 0;
        },
        { timeout: 60_000, intervals: [250, 500, 1000] },
      )
      .toBe(200);
  } finally {
    await api.dispose();
  }
}

test.beforeAll(async () => {
  test.setTimeout(90_000);
  const [port, brokerPort, smtpPort] = [await freePort(), await freePort(), await freePort()];
  baseURL = `http://127.0.0.1:${port}`;
  lab = spawn(process.execPath, ['apps/admin-e2e/serve-lab.js', String(port), String(brokerPort)], {
    cwd: join(__dirname, '..', '..', '..'),
    // No SMTP listener there: this lab sends no mail, and never to the suite's inbox. The lab stops
    // when its stdin closes, so that it does not outlive a test run that is killed.
    env: { ...process.env, ADMIN_E2E_SMTP_PORT: String(smtpPort), SERVE_LAB_STOP_WITH_STDIN: '1' },
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  await labReady();
});

test.afterAll(async () => {
  const running = lab;
  if (!running || running.exitCode !== null) return;
  const exited = new Promise((resolve) => running.once('exit', resolve));
  running.kill('SIGTERM');
  await exited;
});

async function signIn(page: Page): Promise<void> {
  await page.goto(`${baseURL}/login`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Machines', level: 1 })).toBeVisible();
}

/** Looks a surname up in the members list: the rows found, header row excluded. */
async function membersNamed(page: Page, surname: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Members' }).click();
  await expect(page).toHaveURL(/\/members$/);
  // Coming from an earlier search, the box is emptied from the URL once the list reloads: typing
  // before that could be wiped.
  const search = page.getByRole('searchbox', { name: /Search/ });
  await expect(search).toHaveValue('');
  await expect(page.getByRole('status').filter({ hasText: 'Loading…' })).toHaveCount(0);
  await search.fill(surname);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`[?&]q=${surname}`));
  await expect(page.getByRole('status').filter({ hasText: 'Loading…' })).toHaveCount(0);
  return page.getByRole('row').filter({ hasText: surname });
}

test('an admin downloads a backup, is refused a file that is not one, then restores it', async ({ page }) => {
  const tag = randomBytes(3).toString('hex');
  const surname = `Restore-${tag}`;
  await signIn(page);
  const nav = page.getByRole('navigation', { name: 'Main' });

  // The backup: a SQLite database file.
  await nav.getByRole('link', { name: 'System' }).click();
  await expect(page.getByRole('heading', { name: 'System', level: 1 })).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download backup' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^fabomatic-[\d-]+\.db$/);
  // Kept under its own name, as a person's browser would save it.
  const backup = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(backup);
  expect((await readFile(backup)).subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');

  // Data made after the backup.
  await nav.getByRole('link', { name: 'Members' }).click();
  await page.getByRole('link', { name: 'New member', exact: true }).click();
  await page.getByLabel('Name', { exact: true }).fill('Rita');
  await page.getByLabel('Surname').fill(surname);
  await page.getByLabel('Role').selectOption({ label: 'Fab Users' });
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page).toHaveURL(/\/members$/);
  await expect(await membersNamed(page, surname)).toHaveCount(1);

  // A text file is refused, translated, and nothing changes.
  await nav.getByRole('link', { name: 'System' }).click();
  const restore = page.getByRole('region', { name: 'Restore' });
  await restore.getByLabel('Backup file').setInputFiles({
    name: 'notes.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('Not a database, just some notes.\n'),
  });
  const confirm = page.getByRole('alertdialog');
  await expect(confirm).toContainText('Replace all current data with notes.txt?');
  await expect(confirm.getByText(/Replace all current data/)).toBeFocused();
  await confirm.getByRole('button', { name: 'Restore this backup' }).click();
  await expect(restore.getByRole('alert')).toHaveText(
    'This file is not a FabOMatic database this version can restore.',
  );
  await expect(confirm).toHaveCount(0);
  await expect(restore.getByRole('status')).toHaveCount(0);
  await page.getByRole('banner').getByLabel('Language').selectOption('it');
  await expect(page.getByRole('region', { name: 'Ripristino' }).getByRole('alert')).toHaveText(
    'Questo file non è un database FabOMatic ripristinabile da questa versione.',
  );
  await page.getByRole('banner').getByLabel('Lingua').selectOption('en');
  await expect(await membersNamed(page, surname)).toHaveCount(1);

  // Cancelling forgets the file; then the real backup is restored and the app restarts on it.
  await nav.getByRole('link', { name: 'System' }).click();
  await restore.getByLabel('Backup file').setInputFiles(backup);
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(restore.getByLabel('Backup file')).toHaveValue('');
  await restore.getByLabel('Backup file').setInputFiles(backup);
  await expect(confirm).toContainText(`Replace all current data with ${download.suggestedFilename()}?`);
  await confirm.getByRole('button', { name: 'Restore this backup' }).click();
  const status = restore.getByRole('status');
  // Counts as the backup holds them (other specs of the shared lab add members and machines).
  await expect(status).toContainText(/Backup accepted: \d+ members, \d+ machines, \d+ sessions\./);
  // The backup's sessions do not come back (one may have been signed out since): everyone, the
  // admin who restored included, signs in again.
  await expect(page).toHaveURL(/\/login$/, { timeout: 60_000 });
  await signIn(page);

  // The member made after the backup is gone; the lab's own data is there.
  await expect(await membersNamed(page, surname)).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'No members match.' })).toBeVisible();
  await expect(await membersNamed(page, 'Rossi')).toHaveCount(1);
  await nav.getByRole('link', { name: 'Machines', exact: true }).click();
  await expect(page.getByRole('cell', { name: 'Prusa MK4' })).toBeVisible();
});
