import { expect, type Page, test } from '@playwright/test';

// A phone held upright (iPhone 12 to 15 size), touch included.
test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

/** What the page is wider than the screen by, in CSS pixels: 0 when nothing scrolls sideways. */
function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => (document.scrollingElement?.scrollWidth ?? 0) - window.innerWidth);
}

async function signIn(page: Page): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill('admin@example.org');
  await page.getByLabel('Password').fill('Admin-Pass-2026');
  await page.getByRole('button', { name: 'Sign in' }).tap();
  await expect(page.getByRole('heading', { name: 'Machines', level: 1 })).toBeVisible();
}

test('the main pages fit a phone screen, wide tables scrolling on their own', async ({ page }) => {
  await signIn(page);
  for (const [path, heading] of [
    ['/', 'Machines'],
    ['/members', 'Members'],
    ['/machines', 'Machines'],
    ['/usage', 'Usage history'],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'Loading…' })).toHaveCount(0);
    expect(await horizontalOverflow(page), `${path} scrolls sideways`).toBeLessThanOrEqual(1);
  }

  // The members table is wider than the phone: it scrolls inside its own box, not the page.
  await page.goto('/members');
  const table = page.locator('.table').filter({ has: page.getByRole('table', { name: 'Members' }) });
  await expect(table).toBeVisible();
  const box = await table.evaluate((element) => ({
    scroll: element.scrollWidth,
    client: element.clientWidth,
    overflowX: getComputedStyle(element).overflowX,
  }));
  expect(box.client).toBeLessThanOrEqual(390);
  if (box.scroll > box.client) expect(box.overflowX).toBe('auto');
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);
});

test('on a phone the navigation folds behind a menu button, usable by touch and keyboard', async ({
  page,
}) => {
  await signIn(page);
  const menu = page.getByRole('button', { name: 'Menu' });
  const nav = page.getByRole('navigation', { name: 'Main' });

  // Folded at first: the page starts right below a short header.
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(nav).toBeHidden();
  const header = await page.getByRole('banner').boundingBox();
  expect(header?.height ?? Infinity).toBeLessThan(150);

  // By touch: open (the focus moves into the menu), go to Members; the menu folds again there.
  await menu.tap();
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await expect(nav.getByRole('link', { name: 'Dashboard' })).toHaveAttribute('aria-current', 'page');
  await expect(nav.getByRole('link', { name: 'Dashboard' })).toBeFocused();
  for (const group of ['Lab', 'People', 'Activity', 'System'])
    await expect(nav.getByRole('heading', { name: group, level: 2 })).toBeVisible();
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(1);
  await nav.getByRole('link', { name: 'Members' }).tap();
  await expect(page.getByRole('heading', { name: 'Members', level: 1 })).toBeVisible();
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(nav).toBeHidden();

  // By keyboard: Enter opens it with the focus on the current page's link, Tab walks the links in
  // order (grouped by task: Lab first), Enter follows one.
  await menu.focus();
  await page.keyboard.press('Enter');
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await expect(nav.getByRole('link', { name: 'Members' })).toBeFocused();
  await expect(
    nav.getByRole('list', { name: 'People' }).getByRole('link', { name: 'Members' }),
  ).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(nav.getByRole('link', { name: 'Roles' })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await expect(nav.getByRole('link', { name: 'Maintenance' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Maintenance plans', level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/\/maintenance$/);
  await expect(nav).toBeHidden();
  await expect(menu).toHaveAttribute('aria-expanded', 'false');

  // Escape folds an open menu and gives the focus back to its button.
  await menu.focus();
  await page.keyboard.press('Enter');
  await expect(nav).toBeVisible();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Escape');
  await expect(nav).toBeHidden();
  await expect(menu).toBeFocused();
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
});
