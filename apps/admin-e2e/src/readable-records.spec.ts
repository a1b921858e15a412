import { randomBytes } from 'node:crypto';
import { SimulatedBoard } from '@fabomatic/board-sim';
import { expect, type Page, test } from '@playwright/test';
import { setting, uniqueTopicId } from './lab-settings';

const CSRF = { 'X-Requested-With': 'fabomatic' };

async function signIn(page: Page): Promise<void> {
  // The lab seeds this admin once the app is ready: a spec run first may come before it.
  await expect
    .poll(
      async () =>
        (
          await page.request.post('/api/auth/login', {
            headers: CSRF,
            data: { email: 'admin@example.org', password: 'Admin-Pass-2026' },
          })
        ).status(),
      { timeout: 20_000 },
    )
    .toBe(200);
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Machines', level: 1 })).toBeVisible();
}

/** A machine made through the API with the page's session; deleted again by `remove`. */
async function machine(page: Page, data: object): Promise<{ id: number; remove: () => Promise<void> }> {
  const created = await page.request.post('/api/machines', {
    headers: CSRF,
    data: { topicId: uniqueTopicId(), ...data },
  });
  expect(created.ok(), await created.text()).toBe(true);
  const { id } = (await created.json()) as { id: number };
  return {
    id,
    remove: async () => {
      expect((await page.request.delete(`/api/machines/${id}?confirm=true`, { headers: CSRF })).ok()).toBe(
        true,
      );
    },
  };
}

/** What the page is wider than the window by, in CSS pixels: 0 when nothing scrolls sideways. */
function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => (document.scrollingElement?.scrollWidth ?? 0) - window.innerWidth);
}

test('hours read rounded on the dashboard and in the hour-meter field', async ({ page }) => {
  await signIn(page);
  const tag = randomBytes(3).toString('hex');
  const meter = await machine(page, { name: `Meter ${tag}` });
  try {
    const plan = await page.request.post('/api/maintenance-plans', {
      headers: CSRF,
      data: { machineId: meter.id, description: `Oil ${tag}`, hoursBetween: 1 },
    });
    expect(plan.ok()).toBe(true);
    // 1 h 17 min 5 s of use since the plan began: 1.2847222… hours, due after 1.
    const members = await page.request.get('/api/members?q=Rossi');
    const [mario] = ((await members.json()) as { items: { id: number }[] }).items;
    const ended = Date.now() - 60_000;
    const session = await page.request.post('/api/usage', {
      headers: CSRF,
      data: {
        memberId: mario?.id,
        machineId: meter.id,
        startedAt: new Date(ended - 4625_000).toISOString(),
        endedAt: new Date(ended).toISOString(),
      },
    });
    expect(session.ok()).toBe(true);

    await page.goto('/');
    const card = page.getByRole('article', { name: `Meter ${tag}` });
    await expect(card).toContainText(`Oil ${tag} (1.3/1 h)`);
    await expect(card).not.toContainText('1.284');
    // The card's name leads to its machine.
    await card.getByRole('link', { name: `Meter ${tag}` }).click();
    await expect(page).toHaveURL(new RegExp(`/machines/${meter.id}$`));

    await page.goto(`/machines/${meter.id}/edit`);
    await expect(page.getByLabel('Hour meter (hours)')).toHaveValue('1.3');
  } finally {
    await meter.remove();
  }
});

test('a 100-character machine name wraps instead of widening the dashboard', async ({ page }) => {
  await signIn(page);
  const tag = randomBytes(3).toString('hex');
  // One unbroken word: the worst a name can do to a layout.
  const name = `Fresatrice${tag}`.padEnd(100, 'x');
  const long = await machine(page, { name });
  try {
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 390, height: 844 },
    ]) {
      await page.setViewportSize(viewport);
      await page.goto('/');
      await expect(page.getByRole('article', { name })).toBeVisible();
      expect(await horizontalOverflow(page), `at ${viewport.width} px`).toBeLessThanOrEqual(1);
    }
  } finally {
    await long.remove();
  }
});

test('singular and plural read right in English and Italian: 1 tap, 2 taps', async ({ page }) => {
  await signIn(page);
  const topicId = uniqueTopicId();
  const tapped = await machine(page, { topicId, name: `Taps ${randomBytes(3).toString('hex')}` });
  const board = new SimulatedBoard({
    url: setting('ADMIN_E2E_BROKER_URL'),
    username: setting('BOARD_MQTT_USERNAME'),
    password: setting('BOARD_MQTT_PASSWORD'),
    topicId,
  });
  await board.connect();
  try {
    const once = `e1${randomBytes(3).toString('hex')}`;
    const twice = `e2${randomBytes(3).toString('hex')}`;
    expect((await board.checkuser(once)).status).toBe('reply');
    expect((await board.checkuser(twice)).status).toBe('reply');
    expect((await board.checkuser(twice)).status).toBe('reply');

    await page.goto('/members');
    const cards = page.getByRole('region', { name: 'Unknown cards' });
    await expect(cards.getByRole('listitem').filter({ hasText: once })).toContainText(/, 1 tap\s/);
    await expect(cards.getByRole('listitem').filter({ hasText: twice })).toContainText(/, 2 taps\s/);

    await page.evaluate(() => localStorage.setItem('fabomatic.language', 'it'));
    await page.reload();
    const tessere = page.getByRole('region', { name: 'Tessere sconosciute' });
    await expect(tessere.getByRole('listitem').filter({ hasText: once })).toContainText(/, 1 passaggio\s/);
    await expect(tessere.getByRole('listitem').filter({ hasText: twice })).toContainText(/, 2 passaggi\s/);
  } finally {
    await page.evaluate(() => localStorage.setItem('fabomatic.language', 'en'));
    await board.close();
    await tapped.remove();
  }
});

test('the audit log reads with names, translated actions and a select of entity types', async ({ page }) => {
  await signIn(page);
  const tag = randomBytes(3).toString('hex');
  const audited = await machine(page, { name: `Audited ${tag}` });
  try {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    await expect(page.getByRole('heading', { name: 'Audit log', level: 1 })).toBeVisible();
    await page.getByRole('combobox', { name: 'Entity type' }).selectOption({ label: 'Machine' });
    await expect(page).toHaveURL(/entityType=machine/);
    const row = page
      .getByRole('row')
      .filter({ hasText: `Audited ${tag}` })
      .first();
    await expect(row).toContainText('Sara Gialli');
    await expect(row).toContainText('Created');
    await expect(row.getByRole('cell').nth(3)).toHaveText(
      new RegExp(`^\\s*Machine\\s*Audited ${tag}\\s*#${audited.id}$`),
    );
  } finally {
    await audited.remove();
  }
});
