import AxeBuilder from '@axe-core/playwright';
import { SimulatedBoard } from '@fabomatic/board-sim';
import type { MachineDto, MemberDto, Page } from '@fabomatic/contracts';
import { expect, type Page as BrowserPage, test } from '@playwright/test';
import { setting, uniqueTopicId } from './lab-settings';

const CSRF = { 'x-requested-with': 'fabomatic' };
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function expectNoViolations(page: BrowserPage, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const report = results.violations.map(
    (v) =>
      `${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n` +
      v.nodes.map((n) => `    ${n.target.join(' ')}`).join('\n'),
  );
  expect(report, `axe violations on ${label}`).toEqual([]);
}

test('a manager creates a kiosk; its screen follows a board live without a login, and stops when revoked', async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  // The seeded manager (serve-lab.js).
  await page.goto('/login');
  await page.getByLabel('Email').fill('manager@example.org');
  await page.getByLabel('Password').fill('Manager-Pass-2026');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Machines', level: 1 })).toBeVisible();

  // A machine of its own, on which Mario Rossi is authorized.
  const topicId = uniqueTopicId();
  const machineName = `Kiosk lathe ${topicId}`;
  const machine = (await (
    await page.request.post('/api/machines', { headers: CSRF, data: { topicId, name: machineName } })
  ).json()) as MachineDto;
  const members = (await (await page.request.get('/api/members?q=Rossi')).json()) as Page<MemberDto>;
  const mario = members.items[0];
  expect(mario).toBeDefined();
  const authorized = await page.request.post('/api/authorizations', {
    headers: CSRF,
    data: { memberId: mario?.id, machineId: machine.id },
  });
  expect(authorized.ok()).toBe(true);

  await page.goto('/system/kiosks');
  await expect(page.getByRole('heading', { name: 'Kiosk screens', level: 1 })).toBeVisible();
  await page.getByLabel('Show the first name of who uses a machine').check();
  await page.getByLabel('Lab name (shown on the screen)').fill('Fab Lab E2E');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved.')).toBeVisible();
  await page.getByLabel('Name', { exact: true }).fill('Hall TV');
  await page.getByRole('button', { name: 'Create kiosk' }).click();
  const url = (await page.getByTestId('kiosk-url').textContent())?.trim() ?? '';
  expect(url).toMatch(/\/kiosk#token=[A-Za-z0-9_-]{43}$/);
  await expect(page.getByRole('button', { name: 'Copy address' })).toBeVisible();

  // The TV: a fresh browser, nobody signed in.
  const tv = await browser.newContext();
  const screen = await tv.newPage();
  const board = new SimulatedBoard({
    url: setting('ADMIN_E2E_BROKER_URL'),
    username: setting('BOARD_MQTT_USERNAME'),
    password: setting('BOARD_MQTT_PASSWORD'),
    topicId,
  });
  await board.connect();
  try {
    await screen.goto(url);
    await expect(screen.getByRole('heading', { name: 'Fab Lab E2E', level: 1 })).toBeVisible();
    await expect(screen).toHaveURL(/\/kiosk$/); // the token left the address bar
    await expect(screen.getByTestId('kiosk-connection')).toHaveText(/Live/);
    const tile = screen.getByTestId(`kiosk-tile-${machine.id}`);
    await expect(tile).toContainText(machineName);
    await expect(tile.getByTestId('kiosk-state')).toHaveText(/Offline|Free/);
    await expectNoViolations(screen, 'the kiosk screen (en)');

    expect((await board.checkuser('aabbccd1')).status).toBe('reply');
    expect((await board.startuse('aabbccd1')).status).toBe('reply');
    await expect(tile.getByTestId('kiosk-state')).toHaveText('In use');
    await expect(tile).toContainText('Mario');
    await expect(tile).not.toContainText('Rossi');
    await expect(tile).toContainText(/since \d/);

    // Italian from the address, the token kept on the device.
    await screen.goto('/kiosk?lang=it');
    await expect(tile.getByTestId('kiosk-state')).toHaveText('In uso');
    await expect(screen.getByRole('button', { name: 'Schermo intero' })).toBeVisible();
    await expectNoViolations(screen, 'the kiosk screen (it)');

    // Revoked from the staff page: the screen says so at once.
    await page.getByRole('button', { name: 'Revoke Hall TV' }).first().click();
    await page.getByRole('button', { name: 'Revoke', exact: true }).click();
    await expect(page.getByRole('cell', { name: /^Revoked/ }).first()).toBeVisible({ timeout: 15_000 });
    await expect(screen.getByTestId('kiosk-revoked')).toHaveText(
      'Questo chiosco è stato revocato dallo staff del laboratorio.',
      { timeout: 15_000 },
    );
    await expect(screen.getByTestId(`kiosk-tile-${machine.id}`)).toHaveCount(0);
  } finally {
    await board.stopuse('aabbccd1', 5).catch(() => undefined);
    await board.close();
    await tv.close();
    await page.request.put('/api/lab-settings', {
      headers: CSRF,
      data: { kioskShowsFirstNames: false, labName: null },
    });
  }
});
