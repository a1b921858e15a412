import { randomBytes } from 'node:crypto';
import { SimulatedBoard } from '@fabomatic/board-sim';
import { printedSerial } from '@fabomatic/contracts';
import { expect, test } from '@playwright/test';
import { setting } from './lab-settings';

const CSRF = { 'X-Requested-With': 'fabomatic' };
const ADMIN = { email: 'admin@example.org', password: 'Admin-Pass-2026' };

test('an admin gives a board its own broker account, sees the password once, rotates and revokes it', async ({
  page,
  request,
}) => {
  const topicId = String(10000 + (randomBytes(2).readUInt16BE() % 50000));
  const serial = `b0c1d2${randomBytes(3).toString('hex')}`;
  const url = setting('ADMIN_E2E_BROKER_URL');
  const shared = new SimulatedBoard({
    url,
    username: setting('BOARD_MQTT_USERNAME'),
    password: setting('BOARD_MQTT_PASSWORD'),
    topicId,
  });
  const boards: SimulatedBoard[] = [shared];
  await shared.connect();
  try {
    await shared.alive(serial);
    // serve-lab.js seeds this admin just after the app is ready.
    await expect(async () => {
      expect((await request.post('/api/auth/login', { headers: CSRF, data: ADMIN })).ok()).toBe(true);
    }).toPass();
    await page.goto('/login');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
    await expect
      .poll(
        async () =>
          ((await (await page.request.get(`/api/boards?q=${serial}`)).json()) as { total: number }).total,
      )
      .toBe(1);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Boards' }).click();
    await page.getByRole('searchbox', { name: /Search/ }).fill(serial);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    // The list shows the serial as printed on the board (MAC form).
    const row = page.getByRole('row').filter({ hasText: printedSerial(serial) });
    await expect(row).toContainText('Shared account');

    await row.getByRole('button', { name: 'Issue own account' }).click();
    const shown = page.getByRole('status').filter({ hasText: `Broker account of board ${topicId}` });
    await expect(shown.getByTestId('account-username')).toHaveText(topicId);
    const password = (await shown.getByTestId('account-password').textContent())?.trim() ?? '';
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    await expect(row).toContainText('Own account');

    // The board built with these credentials is answered on its topic.
    const own = new SimulatedBoard({ url, username: topicId, password, topicId });
    boards.push(own);
    await own.connect();
    expect((await own.checkmachine()).status).toBe('reply');

    // Dismissed, the password is gone from the page, and no answer of the API carries it.
    await shown.getByRole('button', { name: 'I have copied it' }).click();
    await expect(page.getByText(password)).toHaveCount(0);
    const listed = await (await page.request.get('/api/board-accounts')).text();
    expect(listed).not.toContain(password);

    // A new password: the board's connection is closed, the old password no longer opens one.
    await row.getByRole('button', { name: 'New password' }).click();
    const rotated = (await shown.getByTestId('account-password').textContent())?.trim() ?? '';
    expect(rotated).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(rotated).not.toBe(password);
    await expect.poll(() => own.connected).toBe(false);

    // Revoked after a confirmation: the topic is the shared account's again.
    await row.getByRole('button', { name: 'Revoke', exact: true }).click();
    await row.getByRole('button', { name: /^Revoke: the board disconnects now/ }).click();
    await expect(row).toContainText('Shared account');
    expect(await (await page.request.get('/api/board-accounts')).json()).not.toContainEqual(
      expect.objectContaining({ topicId }),
    );
  } finally {
    await Promise.all(boards.map((b) => b.close()));
  }
});
