import { SimulatedBoard } from '@fabomatic/board-sim';
import { expect, test } from '@playwright/test';
import { setting } from './lab-settings';

test('the dashboard follows a board live: a session starts and stops, an unknown card is denied', async ({
  page,
}) => {
  const board = new SimulatedBoard({
    url: setting('ADMIN_E2E_BROKER_URL'),
    username: setting('BOARD_MQTT_USERNAME'),
    password: setting('BOARD_MQTT_PASSWORD'),
    topicId: '3',
  });
  await board.connect();
  try {
    // A seeded read-only staff member: the bootstrap admin's first login belongs to portal.spec.ts.
    await page.goto('/login');
    await page.getByLabel('Email').fill('staff@example.org');
    await page.getByLabel('Password').fill('Staff-Pass-2026');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'Machines', level: 1 })).toBeVisible();
    await expect(page.getByRole('status')).toHaveText(/Live/);

    // Not the Prusa: portal.spec.ts expects it Offline, and a board that just spoke is online.
    const ultimaker = page.getByRole('article', { name: 'Ultimaker S5' });
    const counters = page.getByRole('list', { name: 'Machines by status' });
    const feed = page.getByRole('region', { name: 'Live activity' });
    await expect(ultimaker).toContainText(/Offline|Free/);
    await expect(counters).toContainText('0 In use');
    await expect(counters).toContainText('1 Blocked');

    // From here on the page must change by pushed events only: no reload, no status request.
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));
    const statusRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/machines/status')) statusRequests.push(request.url());
    });

    // Like the firmware: the card is checked, then the session starts.
    expect((await board.checkuser('aabbccd1')).status).toBe('reply');
    const grant = feed.getByRole('listitem').first();
    await expect(grant).toContainText('Ultimaker S5');
    await expect(grant).toContainText('Mario Rossi');
    await expect(grant).toContainText('Granted');
    await expect(grant).not.toContainText(/Granted\s+Granted/);
    expect((await board.startuse('aabbccd1')).status).toBe('reply');
    const started = feed.getByRole('listitem').filter({ hasText: 'Session started' });
    await expect(started).toContainText('Ultimaker S5');
    await expect(started).toContainText('Mario Rossi');
    await expect(ultimaker).toContainText('In use');
    await expect(ultimaker).toContainText('Mario Rossi');
    await expect(counters).toContainText('1 In use');
    const timer = ultimaker.locator('time');
    await expect(timer).toHaveText(/^0:00:\d\d$/);
    const startedShowing = await timer.textContent();
    await expect(timer).not.toHaveText(startedShowing ?? '');

    expect((await board.checkuser('deadbeef')).status).toBe('reply');
    const denial = feed.getByRole('listitem').first();
    // A read-only user sees card UIDs masked to their last 4 digits.
    await expect(denial).toContainText('Card ••••••beef');
    await expect(denial).not.toContainText('deadbeef');
    await expect(denial).toContainText('Denied');
    await expect(denial).toContainText('Unknown card');

    expect((await board.stopuse('aabbccd1', 5)).status).toBe('reply');
    await expect(ultimaker).toContainText(/Free|Offline/);
    await expect(ultimaker).not.toContainText('Mario Rossi');
    await expect(counters).toContainText('0 In use');
    // The feed shows the session's end with how long it lasted.
    const ended = feed.getByRole('listitem').filter({ hasText: 'Session ended' });
    await expect(ended).toContainText('Ultimaker S5');
    await expect(ended).toContainText('Mario Rossi');
    await expect(ended).toContainText(/after \d+:\d\d:\d\d/);

    expect(await page.evaluate(() => 'notReloaded' in window)).toBe(true);
    expect(statusRequests).toEqual([]);
  } finally {
    await board.close();
  }
});
