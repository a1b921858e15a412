import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';

test('an admin creates a role, is refused deleting it while in use, then deletes and erases a member', async ({
  page,
}) => {
  // The seeded admin (serve-lab.js); a unique tag keeps this test independent of the others.
  const tag = randomBytes(3).toString('hex');
  const roleName = `Testers ${tag}`;
  const surname = `Gdpr-${tag}`;

  await page.goto('/login');
  await page.getByLabel('Email').fill('admin@example.org');
  await page.getByLabel('Password').fill('Admin-Pass-2026');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Machines', level: 1 })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main' });

  // Create a role and see it listed with what it gives.
  await nav.getByRole('link', { name: 'Roles' }).click();
  await expect(page.getByRole('heading', { name: 'Roles', level: 1 })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Lab Managers', exact: true })).toBeVisible();
  await page.getByRole('link', { name: 'New role' }).click();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toHaveText('Correct the fields marked above.');
  await page.getByLabel('Name').fill(roleName);
  await page.getByRole('checkbox', { name: /^Maintenance/ }).check();
  await page.getByLabel('Portal access').selectOption({ label: 'Read only' });
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page).toHaveURL(/\/roles$/);
  const roleRow = page.getByRole('row').filter({ hasText: roleName });
  await expect(roleRow.getByRole('cell')).toHaveText([roleName, 'No', 'Yes', 'Read only', '0', 'Delete']);

  // Export the roles: the CSV has the new role with what it gives, beside the seeded ones.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^roles-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '').split(/\r?\n/);
  expect(csv[0]).toBe('Role,Authorize all,Maintenance,Portal access,Members');
  expect(csv).toContain(`${roleName},false,true,read-only,0`);
  expect(csv.filter((line) => line.startsWith('Lab Managers,'))).toEqual([
    expect.stringMatching(/^Lab Managers,false,false,manager,\d+$/),
  ]);
  await expect(page.getByRole('link', { name: 'Export XLSX' })).toHaveAttribute(
    'href',
    '/api/roles/export?format=xlsx',
  );

  // Give it to a new member (no email), then try to delete the role: refused, and said so.
  await nav.getByRole('link', { name: 'Members' }).click();
  await page.getByRole('link', { name: 'New member', exact: true }).click();
  await page.getByLabel('Name', { exact: true }).fill('Erin');
  await page.getByLabel('Surname').fill(surname);
  await page.getByLabel('Role').selectOption({ label: roleName });
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page).toHaveURL(/\/members$/);

  await nav.getByRole('link', { name: 'Roles' }).click();
  await expect(roleRow.getByRole('cell').nth(4)).toHaveText('1');
  await page.getByRole('button', { name: `Delete role ${roleName}` }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Yes, delete' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    `The role ${roleName} cannot be deleted while members have it: give them another role first.`,
  );
  await expect(roleRow).toHaveCount(1);

  // The member: a password reset needs an email, translated; then delete and erase.
  await nav.getByRole('link', { name: 'Members' }).click();
  await page.getByRole('searchbox', { name: /Search/ }).fill(surname);
  await page.keyboard.press('Enter');
  await page.getByRole('row').filter({ hasText: surname }).getByRole('link', { name: 'Erin' }).click();
  await expect(page.getByRole('heading', { name: 'Edit member' })).toBeVisible();
  await page.getByRole('button', { name: 'Send password reset email' }).click();
  await expect(page.getByRole('alert')).toHaveText('This member has no email address: add one first.');

  await page.getByRole('button', { name: 'Delete member' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Yes, delete' }).click();
  await expect(page.getByRole('status')).toContainText('Member deleted');
  await expect(page.getByRole('heading', { name: `Erin ${surname} is deleted` })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Restore member' })).toBeVisible();

  await page.getByRole('button', { name: 'Erase personal data (GDPR)' }).click();
  const confirm = page.getByRole('alertdialog');
  await expect(confirm).toContainText('cannot be undone');
  await expect(confirm).toContainText('Their usage history and interventions are kept, anonymous.');
  await confirm.getByRole('button', { name: 'Yes, erase' }).click();
  await expect(page.getByRole('status')).toContainText('Personal data erased: 0 authorizations removed');
  await expect(page.getByRole('heading', { name: /^Erased member/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Restore member' })).toHaveCount(0);
});
