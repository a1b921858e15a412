import { randomBytes } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import { type QueryResult, SimulatedBoard } from '@fabomatic/board-sim';
import { printedSerial } from '@fabomatic/contracts';
import type {
  MachineDto,
  MachineStatusDto,
  MemberDto,
  Page,
  RoleDto,
  UsageSessionDto,
} from '@fabomatic/contracts';
import { type APIRequestContext, expect, type Page as BrowserPage, test } from '@playwright/test';
import { setting, uniqueTopicId } from './lab-settings';

const CSRF = { 'X-Requested-With': 'fabomatic' };
const MANAGER = { email: 'manager@example.org', password: 'Manager-Pass-2026' };
const ADMIN = { email: 'admin@example.org', password: 'Admin-Pass-2026' };

async function connectedBoard(topicId: string): Promise<SimulatedBoard> {
  const board = new SimulatedBoard({
    url: setting('ADMIN_E2E_BROKER_URL'),
    username: setting('BOARD_MQTT_USERNAME'),
    password: setting('BOARD_MQTT_PASSWORD'),
    topicId,
  });
  await board.connect();
  return board;
}

async function reply(result: Promise<QueryResult>): Promise<Record<string, unknown>> {
  const r = await result;
  if (r.status !== 'reply' || r.reply === null) throw new Error(`expected a reply, got ${JSON.stringify(r)}`);
  return r.reply;
}

async function signIn(page: BrowserPage, who: { email: string; password: string }): Promise<void> {
  // serve-lab.js seeds the admin just after the app is ready.
  await expect(async () => {
    const login = await page.request.post('/api/auth/login', { headers: CSRF, data: who });
    expect(login.ok()).toBe(true);
  }).toPass();
  await page.goto('/login');
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

async function createMachine(request: APIRequestContext, name: string, topicId: string): Promise<MachineDto> {
  const created = await request.post('/api/machines', { headers: CSRF, data: { topicId, name } });
  expect(created.ok()).toBe(true);
  return (await created.json()) as MachineDto;
}

/** A member with a card, of the seeded "Fab Users" role. */
async function createMember(request: APIRequestContext, name: string, cardUid: string): Promise<MemberDto> {
  const roles = (await (await request.get('/api/roles?pageSize=100')).json()) as Page<RoleDto>;
  const roleId = roles.items.find((r) => r.name === 'Fab Users')?.id;
  const created = await request.post('/api/members', {
    headers: CSRF,
    data: { name, surname: 'Inuse', roleId, cardUid },
  });
  expect(created.ok()).toBe(true);
  return (await created.json()) as MemberDto;
}

/** The confirmations pass the portal's WCAG 2.1 AA audit (accessibility.spec.ts). */
async function expectAccessible(page: BrowserPage): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(
    results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
}

async function sessionsOf(request: APIRequestContext, query: string): Promise<readonly UsageSessionDto[]> {
  return ((await (await request.get(`/api/usage?${query}`)).json()) as Page<UsageSessionDto>).items;
}

test('binding a board over a machine that has one asks first and names the board it disconnects', async ({
  page,
}) => {
  const tag = randomBytes(3).toString('hex');
  const machineName = `Router ${tag}`;
  const oldTopic = uniqueTopicId();
  const newTopic = uniqueTopicId();
  const oldSerial = `c0ffee${tag}`;
  const newSerial = `b0a4d5${tag}`;
  await signIn(page, MANAGER);
  await createMachine(page.request, machineName, oldTopic);
  const oldBoard = await connectedBoard(oldTopic);
  const newBoard = await connectedBoard(newTopic);
  try {
    await oldBoard.alive(oldSerial);
    await newBoard.alive(newSerial);
    await expect
      .poll(async () => {
        const boards = (await (await page.request.get(`/api/boards?q=${tag}`)).json()) as Page<unknown>;
        return boards.total;
      })
      .toBe(2);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Boards' }).click();
    await page.getByRole('searchbox', { name: /Search/ }).fill(newSerial);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    // The list shows the serial as printed on the board (MAC form).
    const row = page.getByRole('row').filter({ hasText: printedSerial(newSerial) });
    await expect(row).toContainText('Unassigned');
    await row.getByRole('button', { name: 'Bind to a machine' }).click();
    await row.getByRole('combobox', { name: 'Machine' }).fill(machineName);
    // The picker marks the machine: it has a board.
    const option = row.getByRole('option', { name: new RegExp(machineName) });
    await expect(option).toContainText(`has board ${oldSerial}`);
    await option.click();
    await row.getByRole('button', { name: 'Bind', exact: true }).click();

    const ask = page.getByRole('alertdialog');
    await expect(ask).toContainText(`${machineName} already has board ${oldSerial}`);
    await expect(ask).toContainText(
      `Board ${oldSerial} (topic ${oldTopic}) is online and serves ${machineName} now`,
    );
    await expectAccessible(page);
    // Nothing changed yet: the machine's board is still answered as the machine.
    expect(await reply(oldBoard.checkmachine())).toMatchObject({ is_valid: true, name: expect.any(String) });

    await ask.getByRole('button', { name: `Bind and disconnect ${oldSerial}` }).click();
    await expect(page.getByRole('status').filter({ hasText: 'now bound' })).toHaveText(
      `Board ${newTopic} is now bound to ${machineName}. Board ${oldSerial} was disconnected: it now refuses every card.`,
    );
    expect(await reply(newBoard.checkmachine())).toMatchObject({ is_valid: true });
    expect(await reply(oldBoard.checkmachine())).toMatchObject({ is_valid: false });
  } finally {
    await oldBoard.close();
    await newBoard.close();
  }
});

test('deleting a member using a machine names the machine and closes the session with its hours', async ({
  page,
}) => {
  const tag = randomBytes(3).toString('hex');
  const machineName = `Saw ${tag}`;
  const topicId = uniqueTopicId();
  const card = `e1${tag}`;
  await signIn(page, MANAGER);
  const machine = await createMachine(page.request, machineName, topicId);
  const member = await createMember(page.request, `Nina ${tag}`, card);
  const board = await connectedBoard(topicId);
  try {
    expect(await reply(board.startuse(card))).toMatchObject({ request_ok: true });
    // The board says the use began two minutes ago.
    expect(await reply(board.inuse(card, 120))).toMatchObject({ request_ok: true });

    await page.goto(`/members/${member.id}`);
    await page.getByRole('button', { name: 'Delete member' }).click();
    const ask = page.getByRole('alertdialog');
    await expect(ask).toContainText(`This member is using ${machineName}`);
    await expect(ask).toContainText('deleting closes that session now, its hours counted');
    await expectAccessible(page);
    await ask.getByRole('button', { name: 'Yes, delete' }).click();
    await expect(page.getByTestId('delete-sessions-closed')).toHaveText(
      `Session closed on ${machineName}, its hours counted.`,
    );

    const [session] = await sessionsOf(page.request, `memberId=${member.id}`);
    expect(session).toMatchObject({ machineName, open: false, endReason: 'manual' });
    expect(session?.durationSeconds).toBeGreaterThanOrEqual(120);
    const meter = (await (await page.request.get(`/api/machines/${machine.id}`)).json()) as MachineDto;
    expect(meter.usageHours * 3600).toBeGreaterThanOrEqual(119.5);
    const status = (await (
      await page.request.get(`/api/machines/${machine.id}/status`)
    ).json()) as MachineStatusDto;
    expect(status.session).toBeNull();
    // The board's stop is still answered, and opens nothing.
    expect(await reply(board.stopuse(card, 130))).toMatchObject({ request_ok: true });
    expect(await sessionsOf(page.request, `machineId=${machine.id}`)).toHaveLength(1);
  } finally {
    await board.close();
  }
});

test('deleting a machine in use names its user; retiring it closes the session with its hours', async ({
  page,
}) => {
  const tag = randomBytes(3).toString('hex');
  const machineName = `Lathe ${tag}`;
  const memberName = `Olga ${tag}`;
  const topicId = uniqueTopicId();
  const card = `f2${tag}`;
  await signIn(page, ADMIN);
  const machine = await createMachine(page.request, machineName, topicId);
  await createMember(page.request, memberName, card);
  const board = await connectedBoard(topicId);
  try {
    expect(await reply(board.startuse(card))).toMatchObject({ request_ok: true });
    expect(await reply(board.inuse(card, 300))).toMatchObject({ request_ok: true });

    await page.goto(`/machines/${machine.id}/edit`);
    await page.getByRole('button', { name: 'Delete machine' }).click();
    const del = page.getByRole('alertdialog', { name: `Delete ${machineName}?` });
    await del.getByRole('button', { name: 'Yes, delete' }).click();
    await expect(del.getByTestId('delete-in-use')).toContainText(`In use by ${memberName} Inuse right now`);
    await expect(del).toContainText('Retire it instead');
    await expectAccessible(page);
    await del.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Retire machine' }).click();
    const retire = page.getByRole('alertdialog', { name: `Retire ${machineName}?` });
    await expect(retire.getByTestId('retire-in-use')).toHaveText(
      `In use by ${memberName} Inuse right now: their session is closed now, its hours counted.`,
    );
    await expectAccessible(page);
    await retire.getByRole('button', { name: 'Yes, retire' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'is retired' })).toHaveText(
      `${machineName} is retired: its board refuses everyone. The session of ${memberName} Inuse was closed, its hours counted.`,
    );
    await expect(page.getByText(/^Retired on /)).toBeVisible();

    const [session] = await sessionsOf(page.request, `machineId=${machine.id}`);
    expect(session).toMatchObject({ open: false, endReason: 'manual' });
    expect(session?.durationSeconds).toBeGreaterThanOrEqual(300);
    expect(await reply(board.checkmachine())).toMatchObject({ is_valid: true, allowed: false });

    // Out of the list, unless retired machines are asked for.
    await page.goto(`/machines?q=${tag}`);
    await expect(page.getByText('No machines match.')).toBeVisible();
    await page.getByRole('combobox', { name: /^Service/ }).selectOption('true');
    await expect(page.getByRole('row').filter({ hasText: machineName })).toContainText('Retired');
    // Its own page says so too.
    await page.goto(`/machines/${machine.id}`);
    await expect(page.getByRole('status').filter({ hasText: 'Retired on' })).toContainText(
      'its board refuses everyone',
    );
  } finally {
    await board.close();
  }
});
