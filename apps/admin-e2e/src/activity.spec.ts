import { randomBytes, randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { expect, type APIRequestContext, type Page, test } from '@playwright/test';

const CSRF = { 'x-requested-with': 'fabomatic' };

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Machines', level: 1 })).toBeVisible();
}

/** A member with a unique name, made through the API with the page's session. */
async function newMember(request: APIRequestContext, name: string, surname: string): Promise<number> {
  const roles = (await (await request.get('/api/roles?q=Fab%20Users')).json()) as { items: { id: number }[] };
  const response = await request.post('/api/members', {
    headers: CSRF,
    data: { name, surname, roleId: roles.items[0].id },
  });
  expect(response.ok()).toBe(true);
  const member = (await response.json()) as { id: number };
  return member.id;
}

test('a manager authorizes in bulk, enters usage and reads the reports; an admin downloads a backup', async ({
  page,
  request,
}) => {
  // Unique names and a random past day keep this test independent of the others on the shared server.
  const tag = randomBytes(3).toString('hex');
  const day = new Date(Date.UTC(2019, 0, 1) + randomInt(0, 2000) * 86_400_000).toISOString().slice(0, 10);

  await signIn(page, 'manager@example.org', 'Manager-Pass-2026');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'System' })).toHaveCount(0);
  const anna = await newMember(page.request, 'Anna', `Blu-${tag}`);
  await newMember(page.request, 'Bruno', `Blu-${tag}`);
  const machines = (await (await page.request.get('/api/machines?q=Prusa')).json()) as {
    items: { id: number }[];
  };
  const prusa = machines.items[0].id;

  // Bulk authorization: one machine, two members found by a search.
  await nav.getByRole('link', { name: 'Authorizations' }).click();
  await expect(page.getByRole('heading', { name: 'Authorizations', level: 1 })).toBeVisible();
  const bulk = page.getByRole('region', { name: 'Authorize members on a machine' });
  await bulk.getByRole('combobox', { name: 'Machine' }).fill('Prusa');
  await bulk.getByRole('option', { name: /^Prusa MK4/ }).click();
  await bulk.getByLabel('Find members').fill(`Blu-${tag}`);
  await bulk.getByLabel(`Anna Blu-${tag}`).check();
  await bulk.getByLabel(`Bruno Blu-${tag}`).check();
  await expect(bulk.getByText('Members (2 selected)')).toBeVisible();
  await bulk.getByRole('button', { name: 'Authorize selected' }).click();
  await expect(bulk.getByRole('status')).toHaveText('2 added, 0 already authorized.');
  await expect(page).toHaveURL(new RegExp(`[?&]machineId=${prusa}`));
  await page.getByRole('searchbox', { name: 'Search' }).fill(`Blu-${tag}`);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`[?&]q=Blu-${tag}`));
  await page.reload();
  const rows = page.getByRole('row').filter({ hasText: `Blu-${tag}` });
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText('Prusa MK4');
  await expect(rows.first()).toContainText('Never');

  // A manual usage session, then one overlapping it, refused with a translated message.
  await nav.getByRole('link', { name: 'Usage', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Usage history', level: 1 })).toBeVisible();
  const addSession = async (start: string, end: string) => {
    await page.getByRole('button', { name: 'Add a session' }).click();
    const form = page.getByRole('region', { name: 'New session' });
    await form.getByRole('combobox', { name: 'Member' }).fill(`Anna Blu-${tag}`);
    await form.getByRole('option', { name: `Anna Blu-${tag}` }).click();
    await form.getByRole('combobox', { name: 'Machine' }).fill('Prusa');
    await form.getByRole('option', { name: /^Prusa MK4/ }).click();
    await form.getByLabel('Start').fill(`${day}T${start}`);
    await form.getByLabel('End').fill(`${day}T${end}`);
    await form.getByRole('button', { name: 'Save' }).click();
    return form;
  };
  await addSession('10:00', '11:30');
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await page.goto(`/usage?memberId=${anna}`);
  const session = page.getByRole('row').filter({ hasText: `Anna Blu-${tag}` });
  await expect(session).toHaveCount(1);
  await expect(session).toContainText('Prusa MK4');
  await expect(session).toContainText('1.5');
  await expect(session).toContainText('Staff');
  const overlapping = await addSession('11:00', '12:00');
  await expect(overlapping.getByRole('alert')).toHaveText(
    /^The machine was already in use at that time: this overlaps session \d+\.$/,
  );
  await page.getByRole('banner').getByLabel('Language').selectOption('it');
  await expect(page.getByRole('alert')).toContainText('si sovrappone alla sessione');
  await page.getByRole('banner').getByLabel('Lingua').selectOption('en');

  // Reports: a chart and the maintenance table, over a range kept in the URL.
  await nav.getByRole('link', { name: 'Reports' }).click();
  await expect(page.getByRole('heading', { name: 'Reports', level: 1 })).toBeVisible();
  // The range shown by default is in its fields: the last 365 days, to today.
  const localDay = (date: Date) =>
    `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
  await expect(page.getByRole('textbox', { name: 'To', exact: true })).toHaveValue(localDay(new Date()));
  await expect(page.getByLabel('From')).toHaveValue(localDay(new Date(Date.now() - 365 * 86_400_000)));
  await expect(page.getByText(/^\s*Each cell counts the sessions started in that hour/)).toBeVisible();
  await page.getByLabel('From').fill('2019-01-01');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/[?&]from=2019-01-01/);
  await expect(page.locator('canvas').first()).toBeVisible();
  await expect(page.getByRole('img', { name: 'Hours per machine per week' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Maintenance status' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Maintenance status' })).toContainText('Prusa MK4');

  // An admin sees the system page and downloads a backup.
  await page.getByRole('button', { name: 'Sign out' }).click();
  // serve-lab.js seeds this admin just after the app is ready.
  await expect(async () => {
    const login = await request.post('/api/auth/login', {
      headers: CSRF,
      data: { email: 'admin@example.org', password: 'Admin-Pass-2026' },
    });
    expect(login.ok()).toBe(true);
  }).toPass();
  await signIn(page, 'admin@example.org', 'Admin-Pass-2026');
  await nav.getByRole('link', { name: 'System' }).click();
  await expect(page.getByRole('heading', { name: 'System', level: 1 })).toBeVisible();
  await expect(page.getByText('Board broker')).toBeVisible();
  // Every scheduled job is listed; this fresh lab has run none yet.
  const jobs = page.getByRole('table', { name: 'Scheduled jobs' });
  for (const job of ['GDPR purge', 'Weekly summary', 'Maintenance notices']) {
    await expect(jobs.getByRole('row', { name: job })).toContainText('Not run yet');
  }
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download backup' }).click(),
  ]);
  const backup = await readFile(await download.path());
  expect(backup.subarray(0, 15).toString('latin1')).toBe('SQLite format 3');
});
