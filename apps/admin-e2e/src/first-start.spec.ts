import { type ChildProcess, spawn } from 'node:child_process';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { SimulatedBoard } from '@fabomatic/board-sim';
import { expect, test } from '@playwright/test';

// A fresh install: its own lab (serve-lab.js with SERVE_LAB_FRESH=1: nothing seeded, no email), on
// free ports of its own, away from the suite's shared, seeded server.
const BOSS = { email: 'boss@example.org', temporary: 'first-Boot-pass-42', chosen: 'Prima-Accensione-2026' };
const BOARD = { username: 'lab-board', password: 'lab-board-secret' };

test.describe.configure({ timeout: 120_000 });

let lab: ChildProcess | undefined;
let baseURL = '';
let brokerPort = 0;

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

test.beforeAll(async () => {
  test.setTimeout(90_000);
  const [port, broker, smtpPort] = [await freePort(), await freePort(), await freePort()];
  baseURL = `http://127.0.0.1:${port}`;
  brokerPort = broker;
  lab = spawn(process.execPath, ['apps/admin-e2e/serve-lab.js', String(port), String(brokerPort)], {
    cwd: join(__dirname, '..', '..', '..'),
    env: {
      ...process.env,
      SERVE_LAB_FRESH: '1',
      // No email at all: the forgot-password page must say so.
      SMTP_URL: '',
      ADMIN_E2E_SMTP_PORT: String(smtpPort),
      BOARD_MQTT_USERNAME: BOARD.username,
      BOARD_MQTT_PASSWORD: BOARD.password,
      SERVE_LAB_STOP_WITH_STDIN: '1',
    },
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  await expect
    .poll(
      async () => {
        if (lab?.exitCode !== null) throw new Error(`the lab exited (${String(lab?.exitCode)})`);
        return (await fetch(`${baseURL}/ready`).catch(() => null))?.status ?? 0;
      },
      { timeout: 60_000, intervals: [250, 500, 1000] },
    )
    .toBe(200);
});

test.afterAll(async () => {
  const running = lab;
  if (!running || running.exitCode !== null) return;
  const exited = new Promise((resolve) => running.once('exit', resolve));
  running.kill('SIGTERM');
  await exited;
});

test('a fresh install: from the first sign-in through the checklist to the first granted tap', async ({
  page,
}) => {
  // No email configured: the forgot-password page says so before anyone types an address.
  await page.goto(`${baseURL}/forgot-password`);
  await expect(page.getByRole('alert')).toHaveText(
    'This lab has not set up email, so no reset link can be sent. Ask an admin to reset your password.',
  );

  // The bootstrap admin's first sign-in: the temporary password cannot be kept.
  await page.goto(`${baseURL}/login`);
  await page.getByLabel('Email').fill(BOSS.email);
  await page.getByLabel('Password').fill(BOSS.temporary);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/password$/);
  await page.getByLabel('Current password').fill(BOSS.temporary);
  await page.getByLabel(/New password/).fill(BOSS.temporary);
  await page.getByRole('button', { name: 'Save password' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'Choose a new password: the new one must differ from the current one.',
  );
  await page.getByLabel(/New password/).fill(BOSS.chosen);
  await page.getByRole('button', { name: 'Save password' }).click();

  // The empty dashboard is a checklist; the default roles tick the roles off already.
  await expect(page.getByRole('heading', { name: 'Machines', level: 1 })).toBeVisible();
  const checklist = page.getByRole('region', { name: 'Set up your lab' });
  const step = (name: string) => checklist.getByRole('listitem').filter({ hasText: name });
  const steps = [
    'Create a machine type',
    'Add a machine',
    'Check the roles',
    'Add a member with their card',
    'Authorize the member on the machine',
    "Connect the machine's board",
  ];
  await expect(checklist.getByRole('listitem')).toHaveCount(steps.length);
  for (const name of steps) {
    await expect(step(name)).toContainText(name === 'Check the roles' ? 'Done' : 'To do');
  }
  const nav = page.getByRole('navigation', { name: 'Main' });
  const backToDashboard = async () => {
    await nav.getByRole('link', { name: 'Dashboard' }).click();
    await expect(checklist).toBeVisible();
  };

  // The bootstrap admin has no card: the profile says so, with where to add one.
  await nav.getByRole('link', { name: 'Profile' }).click();
  await expect(page.getByText('Your member record has no card')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Add a card to your profile' })).toHaveAttribute(
    'href',
    /^\/members\/\d+$/,
  );
  await backToDashboard();

  // The roles: the four defaults.
  await step('Check the roles').getByRole('link').click();
  await expect(page.getByRole('heading', { name: 'Roles', level: 1 })).toBeVisible();
  for (const role of ['Admins', 'Maintainers', 'Members', 'Staff']) {
    await expect(page.getByRole('row').filter({ hasText: role }).first()).toBeVisible();
  }
  await backToDashboard();

  // A machine type.
  await step('Create a machine type').getByRole('link').click();
  await expect(page.getByRole('heading', { name: 'New machine type', level: 1 })).toBeVisible();
  await page.getByLabel('Name', { exact: true }).fill('Laser cutters');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page).toHaveURL(/\/machine-types$/);
  await backToDashboard();
  await expect(step('Create a machine type')).toContainText('Done');

  // A machine: its page tells how to connect its board.
  await step('Add a machine').getByRole('link').click();
  await expect(page.getByRole('heading', { name: 'New machine', level: 1 })).toBeVisible();
  await page.getByLabel('Topic id').fill('5');
  await page.getByLabel('Name', { exact: true }).fill('Trotec Speedy');
  await page.getByLabel('Type', { exact: true }).selectOption({ label: 'Laser cutters' });
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { name: 'Trotec Speedy', level: 1 })).toBeVisible();
  const connect = page.getByRole('region', { name: 'Connect its board' });
  await expect(connect).toContainText(`127.0.0.1:${brokerPort}`);
  await expect(connect).toContainText('machine/5');
  await expect(connect).toContainText("the boards' shared account");
  await expect(connect).toContainText(`user name ${BOARD.username}`);
  await backToDashboard();
  await expect(step('Add a machine')).toContainText('Done');

  // A member with a card, in the default Members role.
  await step('Add a member with their card').getByRole('link').click();
  await expect(page.getByRole('heading', { name: 'New member', exact: true })).toBeVisible();
  await page.getByLabel('Name', { exact: true }).fill('Mario');
  await page.getByLabel('Surname').fill('Rossi');
  await page.getByLabel('Card UID').fill('AABBCCD1');
  await page.getByLabel('Role').selectOption({ label: 'Members' });
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page).toHaveURL(/\/members$/);
  await backToDashboard();
  await expect(step('Add a member with their card')).toContainText('Done');

  // Authorized on the machine.
  await step('Authorize the member on the machine').getByRole('link').click();
  await expect(page.getByRole('heading', { name: 'Authorizations', level: 1 })).toBeVisible();
  const bulk = page.getByRole('region', { name: 'Authorize members on a machine' });
  await bulk.getByRole('combobox', { name: 'Machine' }).fill('Trotec');
  await bulk.getByRole('option', { name: /^Trotec Speedy/ }).click();
  await bulk.getByLabel('Find members').fill('Rossi');
  await bulk.getByLabel('Mario Rossi').check();
  await bulk.getByRole('button', { name: 'Authorize selected' }).click();
  await expect(bulk.getByRole('status')).toHaveText('1 added, 0 already authorized.');
  await backToDashboard();
  await expect(step('Authorize the member on the machine')).toContainText('Done');
  await expect(step("Connect the machine's board")).toContainText('To do');

  // The board connects (as the firmware does: `alive`, `checkmachine`) and Mario taps his card:
  // granted, and the checklist, complete, goes away without a reload.
  const board = new SimulatedBoard({
    url: `mqtt://127.0.0.1:${brokerPort}`,
    ...BOARD,
    topicId: '5',
  });
  await board.connect();
  try {
    await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
    await board.alive('a0b1c2d3e4f5');
    expect((await board.checkmachine()).status).toBe('reply');
    expect((await board.checkuser('aabbccd1')).status).toBe('reply');
    const feed = page.getByRole('region', { name: 'Live activity' });
    const grant = feed.getByRole('listitem').first();
    await expect(grant).toContainText('Trotec Speedy');
    await expect(grant).toContainText('Mario Rossi');
    await expect(grant).toContainText('Granted');
    await expect(checklist).toHaveCount(0);
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Machines', level: 1 })).toBeVisible();
    await expect(page.getByRole('article', { name: 'Trotec Speedy' })).toBeVisible();
    await expect(checklist).toHaveCount(0);
  } finally {
    await board.close();
  }
});
