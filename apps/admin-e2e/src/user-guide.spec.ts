import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { SimulatedBoard } from '@fabomatic/board-sim';
import { expect, type Page, test } from '@playwright/test';
import { setting } from './lab-settings';

// Walks the portal like a new member of staff and saves the screenshots of docs/user-guide.md.
/**
 * Every run takes the screenshots; `UPDATE_USER_GUIDE=1` writes them over docs/user-guide (commit
 * them), otherwise they go to tmp/ so a test run leaves the work tree clean.
 */
const SHOTS = path.join(
  __dirname,
  '../../..',
  process.env['UPDATE_USER_GUIDE'] ? 'docs/user-guide' : 'tmp/user-guide',
);
const CSRF = { 'x-requested-with': 'fabomatic' };
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

async function shot(page: Page, name: string): Promise<void> {
  // Let lazy pages, fonts and charts settle before the picture.
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: path.join(SHOTS, name), fullPage: true, animations: 'disabled' });
}

test.use({ viewport: DESKTOP });

test('the user guide walk: every page it shows is there, with live content', async ({ page }) => {
  test.setTimeout(180_000);
  mkdirSync(SHOTS, { recursive: true });
  const board = new SimulatedBoard({
    url: setting('ADMIN_E2E_BROKER_URL'),
    username: setting('BOARD_MQTT_USERNAME'),
    password: setting('BOARD_MQTT_PASSWORD'),
    topicId: '3',
  });
  await board.connect();
  let started = false;
  try {
    await page.goto('/login');
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await page.getByLabel('Email').fill('admin@example.org');
    await shot(page, 'login.png');

    // Signed in through the API in the page's context (it shares the cookie): serve-lab.js seeds this
    // admin just after the app is ready, and sign-ins are limited to 10 a minute for all the specs,
    // so this waits for both, whatever ran before.
    await expect(async () => {
      const login = await page.request.post('/api/auth/login', {
        headers: CSRF,
        data: { email: 'admin@example.org', password: 'Admin-Pass-2026' },
      });
      expect(login.ok()).toBe(true);
    }).toPass({ intervals: [1_000, 5_000], timeout: 75_000 });
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Machines', level: 1 })).toBeVisible();
    await expect(page.getByRole('status')).toHaveText(/Live/);

    // Some history for the usage and report pages, and a plan for the maintenance pages. Made
    // through the API with unique enough times; a clash with an earlier run is harmless.
    const find = async (url: string) =>
      ((await (await page.request.get(url)).json()) as { items: { id: number }[] }).items[0].id;
    const mario = await find('/api/members?q=Rossi');
    const prusa = await find('/api/machines?q=Prusa');
    const ultimaker = await find('/api/machines?q=Ultimaker');
    const day = (daysAgo: number, hour: number) =>
      new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 11) + `${hour}:00:00.000Z`;
    for (const [machineId, daysAgo, from, to] of [
      [prusa, 9, 10, 12],
      [prusa, 5, 14, 17],
      [ultimaker, 3, 9, 11],
      [ultimaker, 2, 15, 16],
    ]) {
      await page.request.post('/api/usage', {
        headers: CSRF,
        data: { memberId: mario, machineId, startedAt: day(daysAgo, from), endedAt: day(daysAgo, to) },
      });
    }
    const plans = (await (
      await page.request.get('/api/maintenance-plans?q=Clean%20the%20nozzle')
    ).json()) as {
      total: number;
    };
    if (plans.total === 0) {
      const plan = await page.request.post('/api/maintenance-plans', {
        headers: CSRF,
        data: { machineId: ultimaker, description: 'Clean the nozzle', hoursBetween: 200 },
      });
      expect(plan.ok()).toBe(true);
    }

    // The dashboard, live: Mario Rossi taps his card and starts the Ultimaker; a stranger is denied.
    const card = page.getByRole('article', { name: 'Ultimaker S5' });
    const feed = page.getByRole('region', { name: 'Live activity' });
    expect((await board.checkuser('aabbccd1')).status).toBe('reply');
    expect((await board.startuse('aabbccd1')).status).toBe('reply');
    started = true;
    await expect(card).toContainText('In use');
    await expect(card).toContainText('Mario Rossi');
    expect((await board.checkuser('c0ffee42')).status).toBe('reply');
    await expect(feed.getByRole('listitem').first()).toContainText('Unknown card');
    await expect(feed).toContainText('Granted');
    await expect(page.getByRole('list', { name: 'Machines by status' })).toContainText('1 In use');
    await shot(page, 'dashboard.png');

    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Members' }).click();
    await expect(page.getByRole('heading', { name: 'Members', level: 1 })).toBeVisible();
    await expect(page.getByRole('cell', { name: 'Rossi', exact: true })).toBeVisible();
    await expect(page.getByText(/c0ffee42/i).first()).toBeVisible();
    await shot(page, 'members.png');

    await page.getByRole('row').filter({ hasText: 'Rossi' }).getByRole('link', { name: 'Mario' }).click();
    await expect(page.getByRole('heading', { name: 'Edit member', level: 1 })).toBeVisible();
    await expect(page.getByLabel('Card UID')).toHaveValue('aabbccd1');
    await shot(page, 'member-form.png');

    await nav.getByRole('link', { name: 'Machines', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Machines', level: 1 })).toBeVisible();
    await expect(page.getByRole('row').filter({ hasText: 'Laser Trotec' })).toContainText('Blocked');
    await shot(page, 'machines.png');

    await page
      .getByRole('row')
      .filter({ hasText: 'Ultimaker S5' })
      .getByRole('link', { name: 'Ultimaker S5' })
      .click();
    await expect(page.getByRole('heading', { name: 'Ultimaker S5', level: 1 })).toBeVisible();
    await expect(page.getByRole('status').first()).toHaveText('In use');
    await expect(page.getByRole('row').filter({ hasText: 'Clean the nozzle' })).toContainText('Not due');
    await shot(page, 'machine-detail.png');

    await nav.getByRole('link', { name: 'Maintenance' }).click();
    await expect(page.getByRole('heading', { name: 'Maintenance plans', level: 1 })).toBeVisible();
    await expect(page.getByRole('row').filter({ hasText: 'Clean the nozzle' })).toContainText('Ultimaker S5');
    await shot(page, 'maintenance-plans.png');

    await nav.getByRole('link', { name: 'Authorizations' }).click();
    await expect(page.getByRole('heading', { name: 'Authorizations', level: 1 })).toBeVisible();
    await expect(page.getByRole('row').filter({ hasText: 'Rossi' }).first()).toContainText('Ultimaker S5');
    await shot(page, 'authorizations.png');

    await nav.getByRole('link', { name: 'Usage', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Usage history', level: 1 })).toBeVisible();
    await expect(page.getByRole('row').filter({ hasText: 'Running' }).first()).toContainText('Ultimaker S5');
    await shot(page, 'usage.png');

    await nav.getByRole('link', { name: 'Reports' }).click();
    await expect(page.getByRole('heading', { name: 'Reports', level: 1 })).toBeVisible();
    await expect(page.getByRole('img', { name: 'Hours per machine per week' })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Maintenance status' })).toContainText('Clean the nozzle');
    await shot(page, 'reports.png');

    await nav.getByRole('link', { name: 'System' }).click();
    await expect(page.getByRole('heading', { name: 'System', level: 1 })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Download backup' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Restore' })).toBeVisible();
    await shot(page, 'system.png');

    // On a phone: the dashboard still shows the machine in use.
    await nav.getByRole('link', { name: 'Dashboard' }).click();
    await page.setViewportSize(PHONE);
    await expect(page.getByRole('heading', { name: 'Machines', level: 1 })).toBeVisible();
    await expect(card).toContainText('In use');
    expect((await board.checkuser('aabbccd1')).status).toBe('reply');
    await expect(feed.getByRole('listitem').first()).toContainText('Mario Rossi');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await shot(page, 'dashboard-phone.png');
    await page.setViewportSize(DESKTOP);

    // In Italian.
    await nav.getByRole('link', { name: 'Members' }).click();
    await page.getByRole('banner').getByLabel('Language').selectOption('it');
    await expect(page.getByRole('heading', { name: 'Soci', level: 1 })).toBeVisible();
    await expect(page.getByRole('columnheader', { name: 'Cognome' })).toBeVisible();
    await shot(page, 'members-it.png');
    await page.getByRole('banner').getByLabel('Lingua').selectOption('en');
  } finally {
    // Leave the Ultimaker free for the other specs (dashboard.spec.ts expects it not in use).
    if (started) await board.stopuse('aabbccd1', 60);
    await board.close();
  }
});
