import { randomBytes } from 'node:crypto';
import { SimulatedBoard } from '@fabomatic/board-sim';
import { expect, type Page, test } from '@playwright/test';
import { setting, uniqueTopicId } from './lab-settings';

async function signInAsManager(page: Page): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill('manager@example.org');
  await page.getByLabel('Password').fill('Manager-Pass-2026');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

test('a manager sets up a machine type, a machine, its maintenance, then deletes the type', async ({
  page,
}) => {
  // The seeded manager (serve-lab.js); unique names and topic id keep this test independent of the
  // other specs sharing the server, whatever their order.
  const tag = randomBytes(3).toString('hex');
  const typeName = `Cutter ${tag}`;
  const machineName = `Mill ${tag}`;
  const topicId = uniqueTopicId();
  const planName = `Lubricate ${tag}`;

  await signInAsManager(page);
  const nav = page.getByRole('navigation', { name: 'Main' });

  // A machine type.
  await nav.getByRole('link', { name: 'Machine types' }).click();
  await expect(page.getByRole('heading', { name: 'Machine types', level: 1 })).toBeVisible();
  await page.getByRole('link', { name: 'New machine type' }).click();
  await expect(page.getByRole('heading', { name: 'New machine type', level: 1 })).toBeVisible();
  await page.getByLabel('Name', { exact: true }).fill(typeName);
  await page.getByLabel('Auto-logoff (minutes)').fill('30');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page).toHaveURL(/\/machine-types$/);
  await expect(page.getByRole('row').filter({ hasText: typeName })).toContainText('Authorized members only');

  // A machine of that type, with validation first.
  await nav.getByRole('link', { name: 'Machines', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Machines', level: 1 })).toBeVisible();
  await page.getByRole('link', { name: 'New machine' }).click();
  await expect(page.getByRole('heading', { name: 'New machine', level: 1 })).toBeVisible();
  await page.getByLabel('Topic id').fill('12a');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toHaveText('Correct the fields marked above.');
  await expect(
    page.getByText('A number from 0 to 65535 (up to 5 digits), as typed on the board.'),
  ).toBeVisible();
  await page.getByLabel('Topic id').fill(topicId);
  await page.getByLabel('Name', { exact: true }).fill(machineName);
  await page.getByLabel('Type', { exact: true }).selectOption({ label: typeName });
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { name: machineName, level: 1 })).toBeVisible();
  await expect(page.getByRole('status').first()).toHaveText('Offline');

  // In the list, found by its topic id; the search stays in the URL.
  await page.getByRole('link', { name: 'Back to machines' }).click();
  await page.getByRole('searchbox', { name: /Search/ }).fill(topicId);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`[?&]q=${topicId}`));
  const row = page.getByRole('row').filter({ hasText: machineName });
  await expect(row).toContainText(typeName);
  await expect(row).toContainText('Usable');
  await expect(page.getByRole('link', { name: 'Export CSV' })).toHaveAttribute(
    'href',
    new RegExp(`q=${topicId}`),
  );
  await row.getByRole('link', { name: machineName }).click();
  await expect(page.getByRole('heading', { name: machineName, level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Usage history' })).toHaveAttribute(
    'href',
    /\/usage\?machineId=\d+/,
  );

  // A remote start needs the operator's card: this manager has none, is told so and where to add one.
  await expect(page.getByRole('button', { name: 'Start', exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Stop', exact: true })).toBeVisible();
  await expect(page.getByText('A remote start logs in with your own card')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Add a card to your profile' })).toHaveAttribute(
    'href',
    /^\/members\/\d+$/,
  );

  // Block it.
  await page.getByRole('link', { name: 'Edit machine' }).click();
  await expect(page.getByRole('heading', { name: 'Edit machine', level: 1 })).toBeVisible();
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue(machineName);
  await page.getByRole('checkbox', { name: /Blocked/ }).check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { name: machineName, level: 1 })).toBeVisible();
  await expect(page.getByRole('status').first()).toHaveText('Blocked');

  // A maintenance plan for it, shown on the machine with its state.
  await page.getByRole('link', { name: 'Maintenance plans' }).click();
  await page.getByRole('link', { name: 'New plan' }).click();
  await expect(page.getByRole('heading', { name: 'New maintenance plan', level: 1 })).toBeVisible();
  await expect(page.getByLabel('Machine', { exact: true })).toHaveValue(/.+/);
  await page.getByLabel('Description').fill(planName);
  await page.getByLabel('Hours of use between interventions').fill('50');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { name: 'Maintenance plans', level: 1 })).toBeVisible();
  const planRow = page.getByRole('row').filter({ hasText: planName });
  await expect(planRow).toContainText(machineName);
  await expect(planRow).toContainText('never');
  await expect(planRow).toContainText('Not due');

  // A manual intervention on that plan.
  await page.getByRole('link', { name: 'Interventions' }).click();
  await page.getByRole('link', { name: 'Record an intervention' }).click();
  await expect(page.getByRole('heading', { name: 'Record an intervention', level: 1 })).toBeVisible();
  await page.getByLabel('Plan', { exact: true }).selectOption({ label: planName });
  await page.getByRole('button', { name: 'Record' }).click();
  await expect(page.getByRole('heading', { name: 'Interventions', level: 1 })).toBeVisible();
  const done = page.getByRole('row').filter({ hasText: planName });
  await expect(done).toContainText(machineName);
  await expect(done).toContainText('Manual');
  await done.getByRole('link', { name: machineName }).click();
  const planOnMachine = page.getByRole('row').filter({ hasText: planName });
  await expect(planOnMachine).toContainText('0 / 50 h');
  await expect(planOnMachine).toContainText('Not due');

  // In Italian.
  await page.getByRole('banner').getByLabel('Language').selectOption('it');
  await expect(page.getByRole('heading', { name: 'Manutenzione' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Modifica macchina' })).toBeVisible();
  await page
    .getByRole('navigation', { name: 'Principale' })
    .getByRole('link', { name: 'Macchine', exact: true })
    .click();
  await expect(page.getByRole('heading', { name: 'Macchine', level: 1 })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'Contaore' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Esporta XLSX' })).toBeVisible();
  await page.getByRole('banner').getByLabel('Lingua').selectOption('en');

  // Delete the type: the confirmation says its machine stays, typeless.
  await nav.getByRole('link', { name: 'Machine types' }).click();
  await page.getByRole('searchbox', { name: /Search/ }).fill(typeName);
  await page.keyboard.press('Enter');
  await page.getByRole('row').filter({ hasText: typeName }).getByRole('link', { name: typeName }).click();
  await page.getByRole('button', { name: 'Delete machine type' }).click();
  const confirm = page.getByRole('alertdialog');
  await expect(confirm).toContainText(`Delete ${typeName}?`);
  await confirm.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(confirm).toContainText('1 machine');
  await expect(confirm).not.toContainText('1 machines');
  await confirm.getByRole('button', { name: 'Yes, delete it and leave them typeless' }).click();
  await expect(page.getByRole('status')).toContainText('1 machines are now without a type');

  await nav.getByRole('link', { name: 'Machines', exact: true }).click();
  await page.getByRole('searchbox', { name: /Search/ }).fill(topicId);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('row').filter({ hasText: machineName })).toContainText('No type');
});

test('an unassigned board that said alive is bound to a machine from the fleet page', async ({ page }) => {
  const tag = randomBytes(3).toString('hex');
  const boardTopic = uniqueTopicId();
  // A serial like the firmware's (the MAC address in hex).
  const serial = `a0b1c2${tag}`;
  // …which the portal shows, and finds, as printed on the board.
  const printed = `A0:B1:C2:${tag.toUpperCase().slice(0, 2)}:${tag.toUpperCase().slice(2, 4)}:${tag.toUpperCase().slice(4)}`;
  const board = new SimulatedBoard({
    url: setting('ADMIN_E2E_BROKER_URL'),
    username: setting('BOARD_MQTT_USERNAME'),
    password: setting('BOARD_MQTT_PASSWORD'),
    topicId: boardTopic,
  });
  await board.connect();
  try {
    await board.alive(serial);
    await signInAsManager(page);
    // The machine it goes to, made through the API: this test is about the fleet page.
    const machineTopic = uniqueTopicId();
    const created = await page.request.post('/api/machines', {
      headers: { 'X-Requested-With': 'fabomatic' },
      data: { topicId: machineTopic, name: `Lathe ${tag}` },
    });
    expect(created.ok()).toBe(true);
    // The board's `alive` is handled asynchronously by the server.
    await expect
      .poll(
        async () =>
          ((await (await page.request.get(`/api/boards?q=${serial}`)).json()) as { total: number }).total,
      )
      .toBe(1);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Boards' }).click();
    await expect(page.getByRole('heading', { name: 'Boards', level: 1 })).toBeVisible();
    await page.getByRole('combobox', { name: /^Machine/ }).selectOption('false');
    await page.getByRole('searchbox', { name: /Search/ }).fill(printed);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const row = page.getByRole('row').filter({ hasText: printed });
    await expect(row).toContainText(boardTopic);
    await expect(row).toContainText('Unassigned');
    await expect(row).toContainText('Online');

    await row.getByRole('button', { name: 'Bind to a machine' }).click();
    await row.getByRole('combobox', { name: 'Machine' }).fill(`Lathe ${tag}`);
    await row.getByRole('option', { name: `Lathe ${tag} Topic id ${machineTopic}` }).click();
    await row.getByRole('button', { name: 'Bind', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'now bound' })).toHaveText(
      `Board ${boardTopic} is now bound to Lathe ${tag}.`,
    );
    // Filtered on unassigned boards, it is gone; among all boards it shows its machine.
    await expect(page.getByText('No boards match.')).toBeVisible();
    await page.getByRole('combobox', { name: /^Machine/ }).selectOption('');
    await expect(page.getByRole('row').filter({ hasText: printed })).toContainText(`Lathe ${tag}`);
    // A board that was really moved is unbound, so that its alive from the new topic moves it.
    await page.getByRole('row').filter({ hasText: printed }).getByRole('button', { name: 'Unbind' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'unbound' })).toHaveText(
      `Board ${printed} unbound: its next alive from another topic will move it.`,
    );
  } finally {
    await board.close();
  }
});
