import AxeBuilder from '@axe-core/playwright';
import { SimulatedBoard } from '@fabomatic/board-sim';
import { expect, type APIRequestContext, type Page, test } from '@playwright/test';
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setting, uniqueTopicId } from './lab-settings';

const CSRF = { 'x-requested-with': 'fabomatic' };
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const PHONE = { width: 390, height: 844 };
const CARD = 'a0a0a0a0';
/** The boards' directory caches a decision this long (apps/api/src/app/boards/directory-cache.ts). */
const DIRECTORY_TTL_MS = 2000;
const DAY_MS = 86_400_000;
// New file names only: the other user-guide shots are user-guide.spec.ts's.
const SHOTS = path.resolve(
  __dirname,
  '../../..',
  process.env['UPDATE_USER_GUIDE'] ? 'docs/user-guide' : 'tmp/user-guide',
);

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, name), fullPage: true, animations: 'disabled' });
}

async function expectNoViolations(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const report = results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact ?? 'n/a'}): ${violation.help}\n` +
      violation.nodes.map((node) => `    ${node.target.join(' ')} — ${node.failureSummary ?? ''}`).join('\n'),
  );
  expect(report, `axe violations on ${label}`).toEqual([]);
}

/** axe on the page in English, then in Italian (the portal's stored language), back to English. */
async function expectNoViolationsInBoth(page: Page, url: string, heading: RegExp): Promise<void> {
  for (const language of ['en', 'it']) {
    await page.evaluate((lang) => localStorage.setItem('fabomatic.language', lang), language);
    await page.goto(url);
    await expect(page.locator('html')).toHaveAttribute('lang', language);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
    await expectNoViolations(page, `${url} ${language}`);
  }
  await page.evaluate(() => localStorage.setItem('fabomatic.language', 'en'));
}

async function signIn(request: APIRequestContext, email: string, password: string): Promise<void> {
  const response = await request.post('/api/auth/login', { headers: CSRF, data: { email, password } });
  expect(response.ok(), await response.text()).toBe(true);
}

async function json<T>(response: Awaited<ReturnType<APIRequestContext['get']>>): Promise<T> {
  expect(response.ok(), await response.text()).toBe(true);
  return (await response.json()) as T;
}

/**
 * Issue 15's proof, each step by the person the issue names: the member asks for training on a phone;
 * a trainer (a read-only member of staff a manager made trainer of the type) plans the session, marks
 * the member qualified and starts the machine for a supervised first use; the simulated board then
 * grants the member's card; time moves past the type's decay (the lab runs on the real clock: the
 * authorization's grant and last use are moved back in its SQLite file) and the card is refused, the
 * reason shown in plain words in the members' portal.
 */
test('a member is trained, qualified, granted, and refused once the authorization lapses unused', async ({
  browser,
  page,
  playwright,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const tag = randomBytes(3).toString('hex');
  const topicId = uniqueTopicId();
  const typeName = `Lathe ${tag}`;
  const machineName = `Walk lathe ${tag}`;

  // The manager's setup: a type with a 30-day decay, its machine, and a trainer for it.
  const manager = await playwright.request.newContext({ baseURL });
  await signIn(manager, 'manager@example.org', 'Manager-Pass-2026');
  const type = await json<{ id: number }>(
    await manager.post('/api/machine-types', {
      headers: CSRF,
      data: {
        name: typeName,
        autoLogoffMinutes: 60,
        graceMinutes: 2,
        accessManagement: 'authorization',
        decayDays: 30,
      },
    }),
  );
  const machine = await json<{ id: number }>(
    await manager.post('/api/machines', {
      headers: CSRF,
      data: { name: machineName, topicId, typeId: type.id },
    }),
  );
  const staff = await json<{ items: { id: number }[] }>(await manager.get('/api/members?q=Bianchi'));
  const trainerId = staff.items[0].id;
  const bea = await json<{ items: { id: number }[] }>(await manager.get('/api/members?q=Neri'));
  const memberId = bea.items[0].id;
  const trainer = await json<{ id: number }>(
    await manager.post('/api/trainers', {
      headers: CSRF,
      data: { memberId: trainerId, machineTypeId: type.id },
    }),
  );

  const board = new SimulatedBoard({
    url: setting('ADMIN_E2E_BROKER_URL'),
    username: setting('BOARD_MQTT_USERNAME'),
    password: setting('BOARD_MQTT_PASSWORD'),
    topicId,
  });
  await board.connect();
  const trainerContext = await browser.newContext({ baseURL });
  const tina = await trainerContext.newPage();
  try {
    // The member (portal level member) asks for training, on a phone.
    await page.setViewportSize(PHONE);
    await signIn(page.request, 'member@example.org', 'Member-Pass-2026');
    await page.goto('/me/training');
    await expect(page.getByRole('heading', { name: 'My training', level: 1 })).toBeVisible();
    await page.getByLabel('Machine type').selectOption(String(type.id));
    await page.getByLabel('Note for the trainers').fill('Free on Saturday mornings');
    await page.getByRole('button', { name: 'Ask for training' }).click();
    await expect(page.getByRole('status')).toContainText(`Request sent for ${typeName}`);
    await expect(page.getByRole('region', { name: 'My requests' })).toContainText(typeName);
    await shoot(page, 'member-ask-training-phone.png');
    await expectNoViolationsInBoth(page, '/me/training', /My training|La mia formazione/);

    // The trainer (Giulia Bianchi, portal level read-only) finds the request in their queue.
    await signIn(tina.request, 'staff@example.org', 'Staff-Pass-2026');
    await tina.goto('/me/training-queue');
    await expect(tina.getByRole('heading', { name: 'Training', level: 1 })).toBeVisible();
    await tina.getByLabel('Machine type').selectOption({ label: typeName });
    const queue = tina.getByRole('table', { name: 'Requests' });
    await expect(queue).toContainText('Bea Neri');
    await expect(queue).toContainText('Free on Saturday mornings');
    await tina.getByRole('checkbox', { name: 'Plan a session for Bea Neri' }).check();
    await tina.getByLabel('Date and time').fill('2030-03-16T10:00');
    await tina.getByLabel('Place').fill('Wood shop');
    await tina.getByRole('button', { name: 'Plan the session' }).click();
    await expect(tina.getByRole('status').first()).toContainText('Session planned');
    await expect(queue).toContainText('Planned');
    const planned = tina.getByRole('region', { name: 'Planned sessions' });
    await expect(planned.getByRole('combobox', { name: 'Bea Neri' })).toHaveValue('qualified');
    await expect(planned.getByRole('checkbox', { name: machineName })).toBeChecked();
    await shoot(tina, 'trainer-queue-planned.png');
    await tina.getByRole('button', { name: 'Record the outcomes' }).click();

    // Qualified: the supervised first use starts the machine with the member's card.
    const past = tina.getByRole('region', { name: 'Past sessions' });
    await expect(past).toContainText('Bea Neri · Qualified');
    await past.getByLabel('Machine').selectOption({ label: machineName });
    const sent = board.nextRequest();
    await past.getByRole('button', { name: 'Start the machine for the trainee' }).click();
    await expect(past.getByRole('status')).toContainText(`Start sent to ${machineName}`);
    expect((await sent).command).toEqual({ request_type: 'start', uid: CARD });
    await shoot(tina, 'trainer-outcomes-supervised-start.png');
    expect((await board.startuse(CARD)).status).toBe('reply');
    expect((await board.stopuse(CARD, 600)).status).toBe('reply');

    // The board grants the member's card on their own now.
    const granted = await board.checkuser(CARD);
    expect(granted.status).toBe('reply');
    expect(granted.status === 'reply' && granted.reply?.['is_valid']).toBe(true);

    await tina.goto('/me/trainees');
    await expect(tina.getByRole('heading', { name: 'My trainees', level: 1 })).toBeVisible();
    const traineeRow = tina.getByRole('row').filter({ hasText: machineName });
    await expect(traineeRow).toContainText('Bea Neri');
    await expect(traineeRow).toContainText('Active');
    await shoot(tina, 'trainer-my-trainees.png');

    // Time moves past the decay: the grant and the last use, 31 days back.
    const lab = JSON.parse(
      readFileSync(
        path.resolve(__dirname, '../../..', `tmp/admin-e2e-lab-${new URL(baseURL ?? '').port}.json`),
        'utf8',
      ),
    ) as { database: string };
    const db = new Database(lab.database, { timeout: 5000 });
    try {
      const back = Date.now() - 31 * DAY_MS;
      const changed = db
        .prepare(
          'UPDATE authorizations SET "grantedAt" = ?, "lastUsedAt" = ? WHERE "memberId" = ? AND "machineId" = ?',
        )
        .run(back, back, memberId, machine.id);
      expect(changed.changes).toBe(1);
    } finally {
      db.close();
    }
    await new Promise((resolve) => setTimeout(resolve, DIRECTORY_TTL_MS + 500));

    const refused = await board.checkuser(CARD);
    expect(refused.status).toBe('reply');
    expect(refused.status === 'reply' && refused.reply?.['is_valid']).toBe(false);

    // The member reads why, in plain words, and sees the authorization expired.
    await page.goto('/me/refused');
    const reason = page.getByRole('heading', {
      name: new RegExp(`Your authorization for ${machineName} lapsed on .+: it went unused too long`),
    });
    await expect(reason).toBeVisible();
    await shoot(page, 'member-refused-unused-phone.png');
    await page.goto('/me');
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: machineName }) });
    await expect(card).toContainText('Expired');
    await expect(card).toContainText(/Expired on/);

    await tina.goto('/me/trainees');
    await expect(tina.getByRole('row').filter({ hasText: machineName })).toContainText('Expired');

    // The new pages pass axe in both languages.
    await expectNoViolationsInBoth(tina, '/me/training-queue', /^Training$|^Formazione$/);
    await expectNoViolationsInBoth(tina, '/me/trainees', /My trainees|I miei allievi/);
    await page.setViewportSize({ width: 1280, height: 800 });
    await signIn(page.request, 'manager@example.org', 'Manager-Pass-2026');
    await expectNoViolationsInBoth(page, '/training', /^Training$|^Formazione$/);
  } finally {
    await board.close();
    await trainerContext.close();
    // Out of the other specs' way: my-data.spec.ts expects the member to have used no machine; the
    // machine, retired, leaves the lists and the dashboard.
    const sessions = await json<{ items: { id: number }[] }>(
      await manager.get(`/api/usage?machineId=${machine.id}`),
    );
    for (const session of sessions.items) {
      expect((await manager.delete(`/api/usage/${session.id}`, { headers: CSRF })).ok()).toBe(true);
    }
    await manager.post(`/api/machines/${machine.id}/retire`, { headers: CSRF });
    await manager.post(`/api/trainers/${trainer.id}/revoke`, { headers: CSRF, data: {} });
    await manager.dispose();
  }
});
