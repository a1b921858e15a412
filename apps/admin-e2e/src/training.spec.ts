import AxeBuilder from '@axe-core/playwright';
import { SimulatedBoard } from '@fabomatic/board-sim';
import { expect, type APIRequestContext, type Page, test } from '@playwright/test';
import { setting, uniqueTopicId } from './lab-settings';

const CSRF = { 'x-requested-with': 'fabomatic' };
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const PHONE = { width: 390, height: 844 };

async function expectNoViolations(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const report = results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact ?? 'n/a'}): ${violation.help}\n` +
      violation.nodes.map((node) => `    ${node.target.join(' ')} — ${node.failureSummary ?? ''}`).join('\n'),
  );
  expect(report, `axe violations on ${label}`).toEqual([]);
}

async function signIn(request: APIRequestContext, email: string, password: string): Promise<void> {
  const response = await request.post('/api/auth/login', { headers: CSRF, data: { email, password } });
  expect(response.ok()).toBe(true);
}

async function json<T>(response: Awaited<ReturnType<APIRequestContext['get']>>): Promise<T> {
  expect(response.ok(), await response.text()).toBe(true);
  return (await response.json()) as T;
}

/**
 * Issue 15: a member's request reaches the queue; staff plan a session from it, record the member
 * qualified and start a machine for a supervised first use; a simulated board gets the trainee's card
 * and the usage list marks the session as training. Both pages pass axe, on a phone too.
 */
test('a request is planned, qualified and ends in a supervised first use', async ({
  page,
  playwright,
  baseURL,
}) => {
  const topicId = uniqueTopicId();
  const card = `e2e${topicId}`.padEnd(8, '0').slice(0, 8);
  // The seeded admin asks for training as a member (and is given a card for the supervised start).
  const sara = await playwright.request.newContext({ baseURL });
  await signIn(sara, 'admin@example.org', 'Admin-Pass-2026');
  const me = await json<{ id: number }>(await sara.get('/api/auth/me'));
  const types = await json<{ items: { id: number }[] }>(await sara.get('/api/machine-types?q=Printer'));
  const printer = types.items[0].id;
  const machine = await json<{ id: number }>(
    await sara.post('/api/machines', {
      headers: CSRF,
      data: { name: `Training lathe ${topicId}`, topicId, typeId: printer },
    }),
  );
  expect((await sara.patch(`/api/members/${me.id}`, { headers: CSRF, data: { cardUid: card } })).ok()).toBe(
    true,
  );
  expect(
    (
      await sara.post('/api/me/training-requests', {
        headers: CSRF,
        data: { machineTypeId: printer, note: 'Saturday mornings' },
      })
    ).status(),
  ).toBe(201);

  const board = new SimulatedBoard({
    url: setting('ADMIN_E2E_BROKER_URL'),
    username: setting('BOARD_MQTT_USERNAME'),
    password: setting('BOARD_MQTT_PASSWORD'),
    topicId,
  });
  await board.connect();
  try {
    await signIn(page.request, 'manager@example.org', 'Manager-Pass-2026');
    await page.goto('/training');
    await expect(page.getByRole('heading', { name: 'Training', level: 1 })).toBeVisible();
    // Other specs may have added machine types to the shared lab: pick the one asked for.
    await page.getByLabel('Machine type').selectOption({ label: 'Printer' });
    const queue = page.getByRole('table', { name: 'Requests' });
    await expect(queue).toContainText('Sara Gialli');
    await expect(queue).toContainText('Saturday mornings');
    await expectNoViolations(page, 'training');

    await page.getByRole('checkbox', { name: 'Plan a session for Sara Gialli' }).check();
    await page.getByLabel('Date and time').fill('2030-03-12T18:00');
    await page.getByLabel('Place').fill('Laser room');
    await page.getByRole('button', { name: 'Plan the session' }).click();
    await expect(page.getByRole('status')).toContainText('Session planned');
    await expect(queue).toContainText('Planned');
    const planned = page.getByRole('region', { name: 'Planned sessions' });
    await expect(planned.getByRole('combobox', { name: 'Sara Gialli' })).toHaveValue('qualified');
    await expect(planned.getByRole('checkbox', { name: `Training lathe ${topicId}` })).toBeChecked();
    await expectNoViolations(page, 'training with a planned session');
    await page.getByRole('button', { name: 'Record the outcomes' }).click();

    const past = page.getByRole('region', { name: 'Past sessions' });
    await expect(past).toContainText('Sara Gialli · Qualified');
    await past.getByLabel('Machine').selectOption({ label: `Training lathe ${topicId}` });
    const sent = board.nextRequest();
    await past.getByRole('button', { name: 'Start the machine for the trainee' }).click();
    await expect(past.getByRole('status')).toContainText(`Start sent to Training lathe ${topicId}`);
    expect((await sent).command).toEqual({ request_type: 'start', uid: card });
    expect((await board.startuse(card)).status).toBe('reply');

    await page.setViewportSize(PHONE);
    await page.goto('/training');
    await expect(page.getByRole('heading', { name: 'Training', level: 1 })).toBeVisible();
    await page.getByLabel('Machine type').selectOption({ label: 'Printer' });
    await expect(page.getByRole('region', { name: 'Past sessions' })).toContainText('Sara Gialli');
    await expectNoViolations(page, 'training on a phone');

    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`/usage?machineId=${machine.id}`);
    const row = page.getByRole('row').filter({ hasText: 'Sara Gialli' }).first();
    await expect(row).toContainText('training');
    await expect(row).toContainText('Supervised first use with Paolo Verdi');
    expect((await board.stopuse(card, 60)).status).toBe('reply');
  } finally {
    await board.close();
    // Out of the other specs' way: retired, it leaves the lists and the dashboard.
    await sara.post(`/api/machines/${machine.id}/retire`, { headers: CSRF });
    await sara.patch(`/api/members/${me.id}`, { headers: CSRF, data: { cardUid: null } });
    await sara.dispose();
  }
});
