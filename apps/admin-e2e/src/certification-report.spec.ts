import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { uniqueTopicId } from './lab-settings';

const CSRF = { 'x-requested-with': 'fabomatic' };
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function expectNoViolations(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const report = results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact ?? 'n/a'}): ${violation.help}\n` +
      violation.nodes.map((node) => `    ${node.target.join(' ')} — ${node.failureSummary ?? ''}`).join('\n'),
  );
  expect(report, `axe violations on ${label}`).toEqual([]);
}

/**
 * Issue 15: the certification section of the reports page lists an authorization that expires soon;
 * a manager ticks it and renews it; the section passes axe in English and Italian.
 */
test('the certification report lists an expiring authorization and renews it', async ({ page }) => {
  const request = page.request;
  expect(
    (
      await request.post('/api/auth/login', {
        headers: CSRF,
        data: { email: 'admin@example.org', password: 'Admin-Pass-2026' },
      })
    ).ok(),
  ).toBe(true);
  const roles = (await (await request.get('/api/roles?q=Fab%20Users')).json()) as { items: { id: number }[] };
  const surname = `Scadenza${uniqueTopicId()}`;
  const member = (await (
    await request.post('/api/members', {
      headers: CSRF,
      data: { name: 'Carla', surname, roleId: roles.items[0].id },
    })
  ).json()) as { id: number };
  const machines = (await (await request.get('/api/machines?q=Prusa')).json()) as { items: { id: number }[] };
  const expiresAt = new Date(Date.now() + 10 * 86_400_000).toISOString();
  expect(
    (
      await request.post('/api/authorizations', {
        headers: CSRF,
        data: { memberId: member.id, machineId: machines.items[0].id, expiresAt },
      })
    ).ok(),
  ).toBe(true);

  await page.goto('/reports');
  await expect(page.getByRole('heading', { name: 'Certifications' })).toBeVisible();
  const select = page.getByRole('checkbox', { name: `Select Carla ${surname}, Prusa MK4` });
  await expect(select).toBeVisible();
  await expect(page.getByRole('link', { name: 'Export all authorizations (CSV)' })).toBeVisible();
  await expectNoViolations(page, 'the certification report');

  await select.check();
  await page.getByRole('button', { name: 'Renew selected (1)' }).click();
  await expect(page.getByText('1 authorizations renewed.')).toBeVisible();
  await expect(page.getByRole('checkbox', { name: `Select Carla ${surname}, Prusa MK4` })).toHaveCount(0);

  await page.evaluate(() => localStorage.setItem('fabomatic.language', 'it'));
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Autorizzazioni e corsi' })).toBeVisible();
  await expectNoViolations(page, 'the certification report in Italian');
});
