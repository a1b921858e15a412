import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';

test('an export shows its progress, then saves the file under the server name', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill('admin@example.org');
  await page.getByLabel('Password').fill('Admin-Pass-2026');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Machines', level: 1 })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('heading', { name: 'Audit log', level: 1 })).toBeVisible();

  // Every text the live region says (a small export is over in a blink).
  const status = page.locator('.exports [role="status"]');
  await expect(status).toHaveAttribute('aria-live', 'polite');
  await status.evaluate((region) => {
    const said: string[] = [];
    (window as unknown as { said: string[] }).said = said;
    new MutationObserver(() => said.push(region.textContent?.trim() ?? '')).observe(region, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  });

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^audit-log-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '').split(/\r?\n/);
  expect(csv[0]).toBe(
    'id,occurred at,actor id,actor,action,entity type,entity id,before,after,actor name,entity name',
  );
  await expect(status).toHaveText(/Downloaded audit-log-\d{4}-\d{2}-\d{2}\.csv\./);
  const said = await page.evaluate(() => (window as unknown as { said: string[] }).said);
  expect(said.some((text) => text.startsWith('Downloading…'))).toBe(true);
  // The cancel button is there only while a download runs.
  await expect(page.getByRole('button', { name: 'Cancel download' })).toHaveCount(0);

  // The Excel file too, from the built app (ExcelJS loaded on demand there).
  const [xlsx] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export Excel' }).click(),
  ]);
  expect(xlsx.suggestedFilename()).toMatch(/^audit-log-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const zip = await readFile(await xlsx.path());
  expect(zip.subarray(0, 2).toString('latin1')).toBe('PK');
  await expect(status).toHaveText(/Downloaded audit-log-\d{4}-\d{2}-\d{2}\.xlsx\./);
});
