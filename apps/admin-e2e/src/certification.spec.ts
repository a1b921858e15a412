import { randomBytes } from 'node:crypto';
import { expect, type APIRequestContext, test } from '@playwright/test';
import { uniqueTopicId } from './lab-settings';

const CSRF = { 'x-requested-with': 'fabomatic' };

async function created<T>(request: APIRequestContext, url: string, data: object): Promise<T> {
  const response = await request.post(url, { headers: CSRF, data });
  expect(response.ok(), `${url}: ${await response.text()}`).toBe(true);
  return (await response.json()) as T;
}

test('staff set a certification policy, suspend an authorization with a reason and read its history', async ({
  page,
}) => {
  // A type, machine and member of its own keep this test independent of the others on the shared server.
  const tag = randomBytes(3).toString('hex');
  await page.goto('/login');
  await page.getByLabel('Email').fill('admin@example.org');
  await page.getByLabel('Password').fill('Admin-Pass-2026');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Machines', level: 1 })).toBeVisible();

  const type = await created<{ id: number }>(page.request, '/api/machine-types', {
    name: `Laser ${tag}`,
    autoLogoffMinutes: 60,
    graceMinutes: 2,
    accessManagement: 'authorization',
  });
  const machine = await created<{ id: number }>(page.request, '/api/machines', {
    topicId: uniqueTopicId(),
    name: `Epilog ${tag}`,
    typeId: type.id,
  });
  const roles = (await (await page.request.get('/api/roles?q=Fab%20Users')).json()) as {
    items: { id: number }[];
  };
  const member = await created<{ id: number }>(page.request, '/api/members', {
    name: 'Nina',
    surname: `Cert-${tag}`,
    roleId: roles.items[0]?.id,
  });
  await created(page.request, '/api/authorizations', { memberId: member.id, machineId: machine.id });

  // The machine type's policy, explained on its form.
  await page.goto(`/machine-types/${type.id}`);
  await expect(page.getByRole('heading', { name: 'Edit machine type', level: 1 })).toBeVisible();
  await page.getByLabel('Valid for (days)').fill('365');
  await page.getByLabel('Expires when unused for (days)').fill('90');
  await page.getByLabel('Remind before expiry (days)').fill('7, 30');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Remind before expiry (days)')).toHaveValue('30, 7');
  await expect(page.getByLabel('Valid for (days)')).toHaveValue('365');
  const authorized = page.getByRole('region', { name: 'Who is authorized' });
  const ninaOnType = authorized.getByRole('row').filter({ hasText: `Nina Cert-${tag}` });
  await expect(ninaOnType).toContainText('Active');
  await expect(page.getByRole('region', { name: 'Trainers' })).toContainText('Nobody trains this type yet.');

  // Suspend it from the authorizations list: a reason is asked, the badge and the history follow.
  await page.goto(`/authorizations?machineId=${machine.id}`);
  const row = page.getByRole('row').filter({ hasText: `Nina Cert-${tag}` });
  await expect(row).toContainText('Active');
  await row.getByRole('button', { name: 'Suspend' }).click();
  const dialog = row.getByRole('dialog', { name: 'Suspend' });
  await dialog.getByLabel('Reason (required, kept in the history)').fill('Left the lens dirty');
  await dialog.getByRole('button', { name: 'Suspend' }).click();
  await expect(row).toContainText('Suspended');
  await row.getByRole('button', { name: 'History' }).click();
  const history = row.getByRole('region', { name: 'History' });
  await expect(history).toContainText('Granted');
  await expect(history).toContainText('Left the lens dirty');

  // The state filter finds it; Reinstate brings it back.
  await page.getByLabel('State').selectOption({ label: 'Suspended' });
  await expect(page).toHaveURL(/[?&]state=suspended/);
  await expect(row).toBeVisible();
  await row.getByRole('button', { name: 'Reinstate' }).click();
  await row.getByRole('dialog', { name: 'Reinstate' }).getByRole('button', { name: 'Reinstate' }).click();
  await expect(page.getByRole('row').filter({ hasText: `Nina Cert-${tag}` })).toHaveCount(0);
  await page.getByLabel('State').selectOption({ label: 'Active' });
  await expect(row).toContainText('Active');
});
