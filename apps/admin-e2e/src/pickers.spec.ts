import { randomBytes, randomInt } from 'node:crypto';
import { expect, type APIRequestContext, type Page, test } from '@playwright/test';

const CSRF = { 'x-requested-with': 'fabomatic' };

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Machines', level: 1 })).toBeVisible();
}

async function post<T>(request: APIRequestContext, url: string, data: object): Promise<T> {
  const response = await request.post(url, { headers: CSRF, data });
  expect(response.ok(), `${url}: ${response.status()} ${await response.text()}`).toBe(true);
  return (await response.json()) as T;
}

test('the usage list is filtered by a member found by typing part of their name, with the keyboard', async ({
  page,
}) => {
  // A unique surname and a random past day keep this test independent of the others on the shared server.
  const tag = randomBytes(3).toString('hex');
  const day = new Date(Date.UTC(2012, 0, 1) + randomInt(0, 2000) * 86_400_000).toISOString().slice(0, 10);
  await signIn(page, 'manager@example.org', 'Manager-Pass-2026');
  const roles = (await (await page.request.get('/api/roles?q=Fab%20Users')).json()) as {
    items: { id: number }[];
  };
  const machines = (await (await page.request.get('/api/machines?q=Prusa')).json()) as {
    items: { id: number }[];
  };
  const [ottavia, otto] = await Promise.all(
    ['Ottavia', 'Otto'].map((name) =>
      post<{ id: number }>(page.request, '/api/members', {
        name,
        surname: `Zanzi-${tag}`,
        roleId: roles.items[0].id,
      }),
    ),
  );
  for (const [member, start, end] of [
    [ottavia, '09', '10'],
    [otto, '14', '15'],
  ] as const) {
    await post(page.request, '/api/usage', {
      memberId: member.id,
      machineId: machines.items[0].id,
      startedAt: `${day}T${start}:00:00Z`,
      endedAt: `${day}T${end}:00:00Z`,
    });
  }

  await page.goto(`/usage?from=${day}&to=${day}`);
  const rows = page.getByRole('row').filter({ hasText: `Zanzi-${tag}` });
  await expect(rows).toHaveCount(2);

  // Part of the full name, as typed; the matches are searched by the server.
  const member = page.getByRole('combobox', { name: 'Member' });
  await member.click();
  await page.keyboard.type(`via Zanzi-${tag}`);
  const options = page.getByRole('listbox', { name: 'Member' }).getByRole('option');
  await expect(member).toHaveAttribute('aria-expanded', 'true');
  await expect(options).toHaveCount(1);
  await expect(options.first()).toHaveText(new RegExp(`^\\s*Ottavia Zanzi-${tag}`));
  await page.keyboard.press('ArrowDown');
  await expect(member).toHaveAttribute('aria-activedescendant', /.+/);
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');

  await expect(page).toHaveURL(new RegExp(`[?&]memberId=${ottavia.id}(&|$)`));
  await expect(member).toHaveAttribute('aria-expanded', 'false');
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText(`Ottavia Zanzi-${tag}`);

  // Restored from the URL, the filter shows whom it is about.
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Member' })).toHaveValue(`Ottavia Zanzi-${tag}`);
  await expect(rows).toHaveCount(1);

  // Escape drops what was typed; the clear button lifts the filter.
  await member.fill('Otto');
  await page.keyboard.press('Escape');
  await expect(member).toHaveValue(`Ottavia Zanzi-${tag}`);
  await page.getByRole('button', { name: 'Clear Member' }).click();
  await expect(page).not.toHaveURL(/memberId=/);
  await expect(rows).toHaveCount(2);
  await expect(member).toHaveValue('');
});

test('a read-only user cannot open a page for making things', async ({ page }) => {
  await signIn(page, 'staff@example.org', 'Staff-Pass-2026');

  await page.goto('/members/new');
  await expect(page).toHaveURL(/\/not-allowed$/);
  await expect(page.getByRole('heading', { name: 'Not allowed', level: 1 })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveText(/does not include this page/);
  await expect(page.getByRole('button', { name: 'Save' })).toHaveCount(0);

  await page.goto('/system');
  await expect(page.getByRole('heading', { name: 'Not allowed', level: 1 })).toBeVisible();

  // What they may read stays open.
  await page.getByRole('link', { name: 'Back to the dashboard' }).click();
  await expect(page.getByRole('heading', { name: 'Machines', level: 1 })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Members' }).click();
  await expect(page.getByRole('heading', { name: 'Members', level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/\/members$/);
});
