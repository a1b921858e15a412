import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';

test('a manager creates, finds, edits, exports and deletes a member, in English and Italian', async ({
  page,
}) => {
  // A seeded manager (serve-lab.js): the bootstrap admin's first login belongs to portal.spec.ts,
  // and a unique surname and card keep this test independent of the others sharing the server.
  const tag = randomBytes(3).toString('hex');
  const surname = `Neri-${tag}`;
  const email = `lucia.${tag}@example.org`;
  const card = randomBytes(4).toString('hex').toUpperCase();

  await page.goto('/login');
  await page.getByLabel('Email').fill('manager@example.org');
  await page.getByLabel('Password').fill('Manager-Pass-2026');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Machines', level: 1 })).toBeVisible();

  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Members' }).click();
  await expect(page.getByRole('heading', { name: 'Members', level: 1 })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Mario' })).toBeVisible();

  // Create, with client-side validation first.
  await page.getByRole('link', { name: 'New member', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'New member', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toHaveText('Correct the fields marked above.');
  await expect(page.getByText('Required.').first()).toBeVisible();
  await page.getByLabel('Card UID').fill('XYZ');
  await page.getByLabel('Card UID').blur();
  await expect(page.getByText('A card UID is 8, 14 or 20 hexadecimal characters')).toBeVisible();

  await page.getByLabel('Name', { exact: true }).fill('Lucia');
  await page.getByLabel('Surname').fill(surname);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Card UID').fill(card);
  await page.getByLabel('Role').selectOption({ label: 'Fab Users' });
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page).toHaveURL(/\/members$/);

  // Find it by search; the search stays in the URL through a reload.
  await page.getByRole('searchbox', { name: /Search/ }).fill(surname);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`[?&]q=${surname}`));
  const row = page.getByRole('row').filter({ hasText: surname });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(card.toLowerCase());
  await page.reload();
  await expect(page.getByRole('searchbox', { name: /Search/ })).toHaveValue(surname);
  await expect(page.getByRole('row')).toHaveCount(2);
  await expect(row).toContainText(email);

  // Export what is shown: the CSV carries the same search.
  await expect(page.getByRole('link', { name: 'Export CSV' })).toHaveAttribute(
    'href',
    new RegExp(`q=${surname}`),
  );
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export CSV' }).click(),
  ]);
  const csv = await readFile(await download.path(), 'utf8');
  expect(csv).toContain(email);
  expect(csv).toContain(card.toLowerCase());
  expect(csv).not.toContain('Rossi');

  // Edit it.
  await row.getByRole('link', { name: 'Lucia' }).click();
  await expect(page.getByRole('heading', { name: 'Edit member' })).toBeVisible();
  await expect(page.getByLabel('Card UID')).toHaveValue(card.toLowerCase());
  await page.getByLabel('Surname').fill(`${surname}-Bis`);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();

  // A server refusal, translated: it names the card and Mario Rossi, who has it.
  await page.getByLabel('Card UID').fill('AABBCCD1');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toHaveText('The card aabbccd1 already belongs to Mario Rossi.');

  // In Italian.
  await page.getByRole('banner').getByLabel('Language').selectOption('it');
  await expect(page.getByRole('heading', { name: 'Modifica socio' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveText('La tessera aabbccd1 appartiene già a Mario Rossi.');
  await page.getByRole('navigation', { name: 'Principale' }).getByRole('link', { name: 'Soci' }).click();
  await expect(page.getByRole('heading', { name: 'Soci', level: 1 })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'Cognome' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Esporta CSV' })).toBeVisible();
  await page.getByRole('banner').getByLabel('Lingua').selectOption('en');

  // Delete, saying first what goes with it, then what it kept.
  await page.getByRole('searchbox', { name: /Search/ }).fill(surname);
  await page.keyboard.press('Enter');
  await page.getByRole('row').filter({ hasText: surname }).getByRole('link', { name: 'Lucia' }).click();
  await page.getByRole('button', { name: 'Delete member' }).click();
  const confirm = page.getByRole('alertdialog');
  await expect(confirm).toContainText('Their card is released');
  await expect(confirm).toContainText('Their history');
  await confirm.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(page.getByRole('status')).toContainText('Member deleted');
  await expect(page.getByRole('status')).toContainText('0 usage sessions');
});
