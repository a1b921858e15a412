import AxeBuilder from '@axe-core/playwright';
import { SimulatedBoard } from '@fabomatic/board-sim';
import { expect, type Page, test } from '@playwright/test';
import { setting } from './lab-settings';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

async function axe(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  expect(
    results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    where,
  ).toEqual([]);
}

const overflow = (page: Page) =>
  page.evaluate(() => (document.scrollingElement?.scrollWidth ?? 0) - window.innerWidth);

// Eight axe runs on a phone viewport: slower than the portal's other pages.
test.setTimeout(120_000);

/** Issue 14: the member's own pages on a phone, axe-clean in English and Italian. */
test('a member sees their standing, sessions and refused taps on a phone, in en and it', async ({ page }) => {
  const board = new SimulatedBoard({
    url: setting('ADMIN_E2E_BROKER_URL'),
    username: setting('BOARD_MQTT_USERNAME'),
    password: setting('BOARD_MQTT_PASSWORD'),
    topicId: '3',
  });
  await board.connect();
  try {
    expect((await board.checkuser('a0a0a0a0')).status).toBe('reply');
  } finally {
    await board.close();
  }
  await page.goto('/login');
  await page.getByLabel('Email').fill('member@example.org');
  await page.getByLabel('Password').fill('Member-Pass-2026');
  await page.getByRole('button', { name: 'Sign in' }).tap();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));

  await page.goto('/me');
  await expect(page.getByRole('heading', { name: 'My standing', level: 1 })).toBeVisible();
  await expect(page.getByText('Expired on March 12, 2026')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Not yet authorized' })).toBeVisible();
  await axe(page, '/me en');
  expect(await overflow(page)).toBeLessThanOrEqual(1);

  await page.goto('/me/sessions');
  await expect(page.getByRole('heading', { name: 'My sessions', level: 1 })).toBeVisible();
  await expect(page.getByText('You have not used any machine yet.')).toBeVisible();
  await axe(page, '/me/sessions en');
  expect(await overflow(page)).toBeLessThanOrEqual(1);

  await page.goto('/me/refused');
  await expect(
    page.getByRole('heading', { name: 'Your authorization for Ultimaker S5 expired on March 12, 2026' }),
  ).toBeVisible();
  await axe(page, '/me/refused en');
  expect(await overflow(page)).toBeLessThanOrEqual(1);

  await page.goto('/me/data');
  await expect(page.getByRole('heading', { name: 'My data', level: 1 })).toBeVisible();
  await axe(page, '/me/data en');

  await page.evaluate(() => localStorage.setItem('fabomatic.language', 'it'));
  await page.goto('/me/refused');
  await expect(
    page.getByRole('heading', { name: 'La tua abilitazione per Ultimaker S5 è scaduta il 12 marzo 2026' }),
  ).toBeVisible();
  await axe(page, '/me/refused it');
  for (const [path, heading] of [
    ['/me', 'La mia situazione'],
    ['/me/sessions', 'Le mie sessioni'],
    ['/me/data', 'I miei dati'],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
    await axe(page, `${path} it`);
    expect(await overflow(page)).toBeLessThanOrEqual(1);
  }
});
