import { randomBytes } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';

/** No WCAG 2.1 A or AA violation on the page as it is now (rule and elements listed if any). */
async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(
    results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
}

test('an admin checks a CSV of members, sees the problem by row, then imports a correct file', async ({
  page,
}) => {
  // A unique surname and cards keep this test independent of the others sharing the server.
  const tag = randomBytes(3).toString('hex');
  const surname = `Importati-${tag}`;
  const cards = [randomBytes(4).toString('hex').toUpperCase(), randomBytes(4).toString('hex').toUpperCase()];
  // As Italian Excel saves it: BOM, semicolons, CRLF, quoted values.
  const csv = (rows: string[]) => ({
    name: 'soci.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`\uFEFF${['Name;Surname;Email;Card;Role', ...rows].join('\r\n')}\r\n`, 'utf8'),
  });
  const anna = `"Anna Maria";"${surname}";anna.${tag}@example.org;${cards[0]};Fab Users`;
  const nicco = `Niccolò;"${surname}";;${cards[1]};Fab Users`;

  await page.goto('/login');
  await page.getByLabel('Email').fill('admin@example.org');
  await page.getByLabel('Password').fill('Admin-Pass-2026');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Machines', level: 1 })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Members' }).click();
  await page.getByRole('link', { name: 'Import CSV' }).click();
  await expect(page.getByRole('heading', { name: 'Import members from a CSV file', level: 1 })).toBeVisible();
  // The expected columns are explained on the page.
  await expect(page.getByRole('rowheader', { name: 'weekly summary' })).toBeVisible();

  // A file with one bad row: nothing is imported, the problem is listed at its spreadsheet row.
  await page.getByLabel('CSV file').setInputFiles(csv([anna, `${nicco.replace('Fab Users', 'Wizards')}`]));
  await page.getByRole('button', { name: 'Check the file' }).click();
  await expect(page.getByRole('heading', { name: 'Check result' })).toBeFocused();
  await expect(page.getByText('Nothing was imported: correct the problems below')).toBeVisible();
  const problems = page.getByRole('table', { name: 'Problems, by row of the spreadsheet' });
  await expect(problems.getByRole('columnheader')).toHaveText(['Row', 'Column', 'Value', 'Problem']);
  await expect(problems.getByRole('row')).toHaveCount(2);
  await expect(problems.getByRole('row').nth(1).getByRole('cell')).toHaveText([
    '3',
    'role',
    'Wizards',
    'No role has this name.',
  ]);
  await expect(page.getByRole('button', { name: /^Import/ })).toHaveCount(0);
  await expectAccessible(page);

  // The corrected file: a preview, then the import on confirmation.
  await page.getByLabel('CSV file').setInputFiles(csv([anna, nicco]));
  await expect(page.getByRole('heading', { name: 'Check result' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Check the file' }).click();
  await expect(page.getByText('The file is correct: 2 members are ready to be imported.')).toBeVisible();
  await page.getByRole('button', { name: 'Import 2 members' }).click();
  await expect(page.getByRole('heading', { name: '2 members imported.' })).toBeFocused();
  await expectAccessible(page);

  // Both are in the members list, cards as the boards read them.
  await page.getByRole('link', { name: 'See the members, newest first' }).click();
  await expect(page.getByRole('heading', { name: 'Members', level: 1 })).toBeVisible();
  await page.getByRole('searchbox', { name: /Search/ }).fill(surname);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const rows = page.getByRole('row').filter({ hasText: surname });
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: 'Anna Maria' })).toContainText(`anna.${tag}@example.org`);
  await expect(rows.filter({ hasText: 'Anna Maria' })).toContainText(cards[0]?.toLowerCase() ?? '');
  await expect(rows.filter({ hasText: 'Niccolò' })).toContainText(cards[1]?.toLowerCase() ?? '');
});
