import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';

/** WCAG 2.1 A and AA, the rules behind the accessibility the portal promises (product spec §2). */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const CSRF = { 'x-requested-with': 'fabomatic' };
const PHONE = { width: 390, height: 844 };

/** One page to audit: where it is and the heading that says it has rendered. */
interface Audited {
  readonly path: string | ((ids: SeededIds) => string);
  readonly heading: string;
}

/** Ids of the seeded lab (serve-lab.js), looked up once through the API. */
interface SeededIds {
  readonly member: number;
  readonly role: number;
  readonly machine: number;
  readonly machineType: number;
}

async function signIn(page: Page): Promise<void> {
  const response = await page.request.post('/api/auth/login', {
    headers: CSRF,
    data: { email: 'admin@example.org', password: 'Admin-Pass-2026' },
  });
  expect(response.ok()).toBe(true);
}

async function firstId(page: Page, url: string): Promise<number> {
  const response = await page.request.get(url);
  expect(response.ok()).toBe(true);
  const body = (await response.json()) as { items: { id: number }[] };
  expect(body.items.length).toBeGreaterThan(0);
  return body.items[0].id;
}

async function seededIds(page: Page): Promise<SeededIds> {
  return {
    member: await firstId(page, '/api/members?q=Rossi'),
    role: await firstId(page, '/api/roles?q=Fab%20Users'),
    machine: await firstId(page, '/api/machines?q=Prusa'),
    machineType: await firstId(page, '/api/machine-types?q=Printer'),
  };
}

/** Waits until the page shows its heading and has nothing left loading. */
async function settled(page: Page, heading: string): Promise<void> {
  await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /^(Loading…|Caricamento…)$/ })).toHaveCount(0);
}

/** Runs axe and fails with a readable list: rule, impact, help and the offending elements. */
async function expectNoViolations(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const report = results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact ?? 'n/a'}): ${violation.help}\n` +
      violation.nodes.map((node) => `    ${node.target.join(' ')} — ${node.failureSummary ?? ''}`).join('\n'),
  );
  expect(report, `axe violations on ${label} (${page.url()})`).toEqual([]);
}

const SIGNED_IN_PAGES: readonly Audited[] = [
  { path: '/', heading: 'Machines' },
  { path: '/members', heading: 'Members' },
  { path: '/members/new', heading: 'New member' },
  { path: (ids) => `/members/${ids.member}`, heading: 'Edit member' },
  { path: '/roles', heading: 'Roles' },
  { path: '/roles/new', heading: 'New role' },
  { path: (ids) => `/roles/${ids.role}`, heading: 'Edit role' },
  { path: '/machines', heading: 'Machines' },
  { path: '/machines/new', heading: 'New machine' },
  { path: (ids) => `/machines/${ids.machine}`, heading: 'Prusa MK4' },
  { path: (ids) => `/machines/${ids.machine}/edit`, heading: 'Edit machine' },
  { path: '/machine-types', heading: 'Machine types' },
  { path: '/machine-types/new', heading: 'New machine type' },
  { path: (ids) => `/machine-types/${ids.machineType}`, heading: 'Edit machine type' },
  { path: '/maintenance', heading: 'Maintenance plans' },
  { path: '/maintenance/plans/new', heading: 'New maintenance plan' },
  { path: '/maintenance/interventions', heading: 'Interventions' },
  { path: '/maintenance/interventions/new', heading: 'Record an intervention' },
  { path: '/boards', heading: 'Boards' },
  { path: '/authorizations', heading: 'Authorizations' },
  { path: '/training', heading: 'Training' },
  { path: '/usage', heading: 'Usage history' },
  { path: '/access-events', heading: 'Access events' },
  { path: '/audit', heading: 'Audit log' },
  { path: '/reports', heading: 'Reports' },
  { path: '/system', heading: 'System' },
  { path: '/system/kiosks', heading: 'Kiosk screens' },
  { path: '/problems', heading: 'Problems' },
  { path: '/profile', heading: 'Profile' },
  { path: '/password', heading: 'Choose your password' },
];

test.describe('accessibility (axe, WCAG 2.1 AA)', () => {
  // An axe run takes a few seconds a page on the shared two cores.
  test.describe.configure({ timeout: 90_000 });

  // Every audit runs in the light theme and in the dark one the portal follows when the system asks
  // for it (prefers-color-scheme: dark, styles.css): both must be readable.
  for (const colorScheme of ['light', 'dark'] as const) {
    test.describe(`in the ${colorScheme} colour scheme`, () => {
      test.beforeEach(async ({ page }) => {
        await page.emulateMedia({ colorScheme });
      });

      test(`the sign-in and password recovery pages (${colorScheme})`, async ({ page }) => {
        await page.goto('/login');
        await settled(page, 'FabOMatic');
        await expectNoViolations(page, 'login');

        // With an error shown.
        await page.getByLabel('Email').fill('nobody@example.org');
        await page.getByLabel('Password').fill('wrong-password-1');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await expect(page.getByRole('alert')).toBeVisible();
        await expectNoViolations(page, 'login with an error');

        await page.goto('/forgot-password');
        await settled(page, 'Reset your password');
        await expectNoViolations(page, 'forgot password');

        await page.goto('/reset-password?token=not-a-real-token');
        await settled(page, 'Choose a new password');
        await expectNoViolations(page, 'reset password');
      });

      test(`every page of the portal, signed in as an admin (${colorScheme})`, async ({ page }) => {
        // Some 27 pages, each audited: minutes on the shared two cores.
        test.setTimeout(300_000);
        await signIn(page);
        const ids = await seededIds(page);
        for (const audited of SIGNED_IN_PAGES) {
          const path = typeof audited.path === 'string' ? audited.path : audited.path(ids);
          await test.step(path, async () => {
            await page.goto(path);
            await settled(page, audited.heading);
            await expectNoViolations(page, path);
          });
        }
      });

      test(`forms showing their validation errors, and a confirmation (${colorScheme})`, async ({ page }) => {
        await signIn(page);
        await page.goto('/members/new');
        await settled(page, 'New member');
        await page.getByRole('button', { name: 'Save' }).click();
        await expect(page.getByRole('alert')).toBeVisible();
        await expectNoViolations(page, 'member form with errors');

        await page.goto('/roles');
        await settled(page, 'Roles');
        await page.getByRole('button', { name: 'Delete role Lab Staff' }).click();
        await expect(page.getByRole('alertdialog')).toBeVisible();
        await expectNoViolations(page, 'roles with a delete confirmation');

        // A file that is no backup: the restore confirmation, then its refusal (nothing is restored).
        await page.goto('/system');
        await settled(page, 'System');
        await page.getByLabel('Backup file').setInputFiles({
          name: 'notes.txt',
          mimeType: 'text/plain',
          buffer: Buffer.from('not a database'),
        });
        await expect(page.getByRole('alertdialog')).toBeVisible();
        await expectNoViolations(page, 'system with a restore confirmation');
        await page.getByRole('button', { name: 'Restore this backup' }).click();
        await expect(page.getByRole('alert')).toBeVisible();
        await expectNoViolations(page, 'system with a refused restore');
      });

      test(`the main pages on a phone (${colorScheme})`, async ({ page }) => {
        await page.setViewportSize(PHONE);
        await page.goto('/login');
        await settled(page, 'FabOMatic');
        await expectNoViolations(page, 'login on a phone');
        await signIn(page);
        for (const [path, heading] of [
          ['/', 'Machines'],
          ['/members', 'Members'],
          ['/machines', 'Machines'],
          ['/usage', 'Usage history'],
        ] as const) {
          await test.step(path, async () => {
            await page.goto(path);
            await settled(page, heading);
            await expectNoViolations(page, `${path} on a phone`);
          });
        }
        await page.getByRole('button', { name: 'Menu' }).click();
        await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
        await expectNoViolations(page, 'the open menu on a phone');
      });

      // The members' own pages on a phone: my-data.spec.ts, member-sign-in.spec.ts and problems.spec.ts
      // audit them in the light scheme, in English and Italian; the dark one is audited here.
      if (colorScheme === 'dark') {
        test("the members' portal on a phone (dark)", async ({ page }) => {
          await page.setViewportSize(PHONE);
          const response = await page.request.post('/api/auth/login', {
            headers: CSRF,
            data: { email: 'member@example.org', password: 'Member-Pass-2026' },
          });
          expect(response.ok()).toBe(true);
          for (const [path, heading] of [
            ['/me', 'My standing'],
            ['/me/sessions', 'My sessions'],
            ['/me/refused', 'Refused taps'],
            ['/me/data', 'My data'],
            ['/me/report', 'Report a problem'],
            ['/me/problems', 'My problem reports'],
            ['/me/profile', 'Profile'],
          ] as const) {
            await test.step(path, async () => {
              await page.goto(path);
              await settled(page, heading);
              await expectNoViolations(page, `${path} on a phone`);
            });
          }
        });
      }

      test(`pages in Italian (${colorScheme})`, async ({ page }) => {
        await signIn(page);
        await page.goto('/members');
        await settled(page, 'Members');
        await page.getByRole('banner').getByLabel('Language').selectOption('it');
        await settled(page, 'Soci');
        await expect(page.locator('html')).toHaveAttribute('lang', 'it');
        await expectNoViolations(page, 'members in Italian');
        await page.goto('/');
        await settled(page, 'Macchine');
        await expectNoViolations(page, 'dashboard in Italian');
        const ids = await seededIds(page);
        await page.goto(`/machines/${ids.machine}`);
        await settled(page, 'Prusa MK4');
        await expectNoViolations(page, 'a machine in Italian');
        await page.goto('/reports');
        await settled(page, 'Report');
        await expectNoViolations(page, 'reports in Italian');
      });
    });
  }
});
