import { expect, test } from '@playwright/test';

test('first login forces a new password, then shows the machines, in English and Italian', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);

  await page.getByLabel('Email').fill('boss@example.org');
  await page.getByLabel('Password').fill('wrong-password-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong email or password.');

  await page.getByLabel('Password').fill('first-Boot-pass-42');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/password$/);
  await page.getByLabel('Current password').fill('first-Boot-pass-42');
  await page.getByLabel(/New password/).fill('Tessera-Verde-2026');
  await page.getByRole('button', { name: 'Save password' }).click();

  await expect(page.getByRole('heading', { name: 'Machines' })).toBeVisible();
  const prusa = page.getByRole('listitem').filter({ hasText: 'Prusa MK4' });
  await expect(prusa).toContainText('Offline');
  await expect(page.getByRole('listitem').filter({ hasText: 'Laser Trotec' })).toContainText('Blocked');

  await page.getByLabel('Language').selectOption('it');
  await expect(page.getByRole('heading', { name: 'Macchine' })).toBeVisible();
  await expect(prusa).toContainText('Non connessa');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Macchine' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'it');
});
