import type { QueryResult } from '@fabomatic/board-sim';
import type {
  ConfirmationRequiredBody,
  MachineDto,
  MachineStatusDto,
  MachineTypeDto,
  Page,
  RemoteCommandResult,
} from '@fabomatic/contracts';
import { ApiClient } from '../../testing/api-client';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { startTestApp, type TestApp, type TestDatabase } from '../../testing/test-app';
import { AccessEvent } from '../access-events/access-event.entity';
import { AuditEntry } from '../audit/audit-entry.entity';
import { hashPassword } from '../auth/password-hashing';
import { Authorization } from '../authorizations/authorization.entity';
import { Member } from '../members/member.entity';
import { UsageSession } from '../usage/usage-session.entity';
import { csvExport, xlsxExport } from '../../testing/exports';
import { SWEEP_READ_BATCH, SWEEP_WRITE_BATCH } from '../../core/database/paced-sweep';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { UsageAggregates } from '../usage/usage-aggregates';
import { Machine } from './machine.entity';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

async function reply(result: Promise<QueryResult>): Promise<Record<string, unknown>> {
  const r = await result;
  if (r.status !== 'reply' || r.reply === null)
    throw new Error(`expected a JSON reply, got ${JSON.stringify(r)}`);
  return r.reply;
}

/** Retries an assertion until it passes (for effects of messages that get no reply, e.g. `alive`). */
async function eventually<T>(
  probe: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 3000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (check(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each<TestDatabase>(['sqlite', 'postgres'])('machines API on %s', (database) => {
  let lab: TestApp;
  let admin: ApiClient;
  let types: Map<string, number>;

  beforeAll(async () => {
    lab = await startTestApp({ database, broker: 'embedded', seed: LAB_SEED });
    admin = await adminClient(lab);
    const list = await admin.get<Page<MachineTypeDto>>('/api/machine-types');
    types = new Map(list.body.items.map((t) => [t.name, t.id]));
  });
  afterAll(() => lab?.stop());

  const machineId = async (topicId: string) =>
    (await lab.dataSource.getRepository(Machine).findOneByOrFail({ topicId })).id;
  const names = (page: { body: Page<MachineDto> }) => page.body.items.map((m) => m.name);
  const auditOf = (entityType: string, id: number) =>
    lab.dataSource.getRepository(AuditEntry).find({
      where: { entityType, entityId: String(id) },
      order: { id: 'ASC' },
    });

  describe('list', () => {
    it('sorts, searches, filters and paginates', async () => {
      expect(names(await admin.get('/api/machines'))).toEqual([
        'Fresa CNC',
        'Laser Trotec Speedy 400',
        'Prusa MK4',
        'Trapano',
      ]);
      const byTopic = await admin.get<Page<MachineDto>>('/api/machines?sort=topicId');
      expect(byTopic.body.items.map((m) => m.topicId)).toEqual(['1', '3', '4', '012']);
      expect(names(await admin.get('/api/machines?blocked=true'))).toEqual(['Fresa CNC']);
      expect(names(await admin.get('/api/machines?blocked=false&sort=name&order=desc'))).toEqual([
        'Trapano',
        'Prusa MK4',
        'Laser Trotec Speedy 400',
      ]);
      expect(names(await admin.get(`/api/machines?typeId=${types.get('Hand tools')}`))).toEqual(['Trapano']);
      expect(names(await admin.get('/api/machines?q=01'))).toEqual(['Laser Trotec Speedy 400']);
      expect(names(await admin.get('/api/machines?q=PRUSA'))).toEqual(['Prusa MK4']);
      const page = await admin.get<Page<MachineDto>>('/api/machines?pageSize=3&page=2');
      expect(page.body).toMatchObject({ total: 4, page: 2, pageSize: 3, items: [{ name: 'Trapano' }] });
      expect(page.body.items[0]).toEqual({
        id: expect.any(Number),
        topicId: '3',
        name: 'Trapano',
        typeId: types.get('Hand tools'),
        typeName: 'Hand tools',
        blocked: false,
        usageHours: 0,
        lastSeenAt: null,
        retiredAt: null,
        board: null,
      });
      expect((await admin.get('/api/machines?blocked=maybe')).status).toBe(400);
      expect((await admin.get('/api/machines?sort=blocked')).status).toBe(400);
    });
  });

  describe('create, update, delete', () => {
    it('creates a machine with its topic id as typed, validating and refusing duplicates', async () => {
      const created = await admin.post<MachineDto>('/api/machines', {
        topicId: '0012',
        name: 'Router',
        typeId: types.get('Printer'),
        usageHours: 1.5,
      });
      expect(created).toMatchObject({
        status: 201,
        body: { topicId: '0012', name: 'Router', typeName: 'Printer', blocked: false, usageHours: 1.5 },
      });
      const stored = await lab.dataSource.getRepository(Machine).findOneByOrFail({ id: created.body.id });
      expect(stored.usageSeconds).toBe(5400);

      const invalid = await admin.post<{ fields: Record<string, string[]> }>('/api/machines', {
        topicId: '65536',
        name: '',
        usageHours: -1,
        blocked: 'no',
      });
      expect(invalid.status).toBe(400);
      expect(Object.keys(invalid.body.fields).sort()).toEqual(['blocked', 'name', 'topicId', 'usageHours']);
      // The rules broken, with their limits, for the portal to state them in the user's language.
      expect(invalid.body).toMatchObject({
        rules: {
          topicId: [{ rule: 'isTopicId' }],
          name: [{ rule: 'isLength', min: 1, max: 100 }],
          usageHours: [{ rule: 'min', min: 0 }],
          blocked: [{ rule: 'isBoolean' }],
        },
      });
      for (const topicId of ['a1', '123456', ' 1', 12]) {
        expect((await admin.post('/api/machines', { topicId, name: `Bad ${String(topicId)}` })).status).toBe(
          400,
        );
      }
      expect(await admin.post('/api/machines', { topicId: '1', name: 'Another' })).toMatchObject({
        status: 409,
        body: { code: 'TOPIC_ID_TAKEN', params: { field: 'topicId', topicId: '1', machine: 'Prusa MK4' } },
      });
      expect(await admin.post('/api/machines', { topicId: '99', name: 'Prusa MK4' })).toMatchObject({
        status: 409,
        body: { code: 'MACHINE_NAME_TAKEN', params: { field: 'name', name: 'Prusa MK4' } },
      });
      expect(
        await admin.post('/api/machines', { topicId: '99', name: 'Typeless', typeId: 9999 }),
      ).toMatchObject({
        status: 400,
        body: { code: 'VALIDATION_FAILED', fields: { typeId: expect.any(Array) } },
      });
      expect(await admin.patch(`/api/machines/${created.body.id}`, { topicId: '012' })).toMatchObject({
        status: 409,
        body: { code: 'TOPIC_ID_TAKEN', params: { machine: 'Laser Trotec Speedy 400' } },
      });
    });

    it('updates the hour meter and the type, auditing before and after', async () => {
      const id = await machineId('0012');
      expect(
        await admin.patch(`/api/machines/${id}`, { usageHours: 10, typeId: null, name: 'Router CNC' }),
      ).toMatchObject({
        status: 200,
        body: { usageHours: 10, typeId: null, typeName: null, name: 'Router CNC' },
      });
      expect(await admin.get(`/api/machines/${id}`)).toMatchObject({ status: 200, body: { usageHours: 10 } });
      expect((await lab.dataSource.getRepository(Machine).findOneByOrFail({ id })).usageSeconds).toBe(36000);
      const audit = await auditOf('machine', id);
      expect(audit.map((a) => [a.action, a.actorLabel])).toEqual([
        ['create', 'boss@example.org'],
        ['update', 'boss@example.org'],
      ]);
      expect(audit[1]?.before).toMatchObject({ usageSeconds: 5400, name: 'Router' });
      expect(audit[1]?.after).toMatchObject({ usageSeconds: 36000, name: 'Router CNC' });
      expect((await admin.get('/api/machines/4242')).status).toBe(404);
      expect((await admin.patch('/api/machines/4242', { blocked: true })).status).toBe(404);
    });

    it('is seen by boards at once: a new machine answers, a machine blocked through the API is blocked', async () => {
      const board = await lab.board('78');
      expect(await reply(board.checkmachine())).toMatchObject({ request_ok: true, is_valid: false });
      const created = await admin.post<MachineDto>('/api/machines', {
        topicId: '78',
        name: 'Saw',
        typeId: types.get('Printer'),
      });
      expect(created.status).toBe(201);
      expect(await reply(board.checkmachine())).toMatchObject({ is_valid: true, allowed: true, name: 'Saw' });
      expect(await admin.patch(`/api/machines/${created.body.id}`, { blocked: true })).toMatchObject({
        status: 200,
        body: { blocked: true },
      });
      expect(await reply(board.checkmachine())).toMatchObject({ is_valid: true, allowed: false });
      expect(await admin.patch(`/api/machines/${created.body.id}`, { blocked: false })).toMatchObject({
        status: 200,
      });
      expect(await reply(board.checkmachine())).toMatchObject({ allowed: true });
    });

    it('deletes a machine without history at once', async () => {
      const id = await machineId('0012');
      expect(await admin.delete(`/api/machines/${id}`)).toMatchObject({
        status: 200,
        body: { sessions: 0, authorizations: 0, plans: 0, interventions: 0 },
      });
      expect((await admin.get(`/api/machines/${id}`)).status).toBe(404);
      expect((await auditOf('machine', id)).map((a) => a.action)).toEqual(['create', 'update', 'delete']);
    });
  });

  describe('status', () => {
    const statusOf = async (topicId: string) => {
      const all = await admin.get<MachineStatusDto[]>('/api/machines/status');
      expect(all.status).toBe(200);
      return all.body.find((s) => s.topicId === topicId);
    };

    it('reports never-seen machines offline and blocked ones blocked', async () => {
      const all = await admin.get<MachineStatusDto[]>('/api/machines/status');
      expect(all.body.map((s) => s.name)).toEqual([
        'Fresa CNC',
        'Laser Trotec Speedy 400',
        'Prusa MK4',
        'Saw',
        'Trapano',
      ]);
      expect(await statusOf('3')).toEqual({
        machineId: await machineId('3'),
        topicId: '3',
        name: 'Trapano',
        typeName: 'Hand tools',
        status: 'offline',
        blocked: false,
        retiredAt: null,
        outOfOrder: null,
        session: null,
        maintenance: [],
        board: { serial: null, ip: null, firmware: null, freeHeap: null, lastSeenAt: null, online: false },
      });
      expect(await statusOf('4')).toMatchObject({ status: 'blocked', blocked: true });
      expect(await statusOf('012')).toMatchObject({
        status: 'offline',
        maintenance: [
          { description: 'Clean the lens and mirrors', hoursBetween: 1, hoursSince: 0, due: false },
        ],
      });
    });

    it('reports a machine free once its board speaks, with the board health of its alive', async () => {
      const board = await lab.board('3');
      await board.alive('a0b1c2d3e4f5');
      await reply(board.checkmachine());
      const status = await eventually(
        () => statusOf('3'),
        (s) => s?.board.serial !== null,
      );
      expect(status).toMatchObject({
        status: 'free',
        board: {
          serial: 'a0b1c2d3e4f5',
          ip: '192.168.1.50',
          firmware: 'hardware-rev0-it_IT,1.0.1-3-g0ab6099',
          freeHeap: 123456,
          online: true,
          lastSeenAt: expect.any(String),
        },
      });
      const one = await admin.get<MachineStatusDto>(`/api/machines/${await machineId('3')}/status`);
      expect(one).toMatchObject({ status: 200, body: { status: 'free', board: { serial: 'a0b1c2d3e4f5' } } });
      expect((await admin.get('/api/machines/4242/status')).status).toBe(404);
    });

    it('reports the member on a machine in use, and maintenance due after enough hours', async () => {
      const prusa = await lab.board('1');
      expect(await reply(prusa.startuse(CARDS.lucia))).toMatchObject({ request_ok: true });
      const inUse = await statusOf('1');
      expect(inUse).toMatchObject({
        status: 'in-use',
        session: { memberName: 'Lucía Martínez', startedAt: expect.any(String) },
        board: { online: true },
      });
      const lucia = await lab.dataSource.getRepository(Member).findOneByOrFail({ cardUid: CARDS.lucia });
      expect(inUse?.session?.memberId).toBe(lucia.id);

      const laser = await lab.board('012');
      await reply(laser.startuse(CARDS.lucia));
      expect((await statusOf('012'))?.status).toBe('in-use');
      await reply(laser.stopuse(CARDS.lucia, 7200));
      const due = await statusOf('012');
      expect(due).toMatchObject({ status: 'maintenance', session: null });
      expect(due?.maintenance[0]?.due).toBe(true);
      expect(due?.maintenance[0]?.hoursSince).toBeCloseTo(2, 3);
    });

    it('reports boards silent for BOARD_OFFLINE_SECONDS offline', async () => {
      lab.clock.advance((lab.config.BOARD_OFFLINE_SECONDS + 1) * 1000);
      expect(await statusOf('3')).toMatchObject({ status: 'offline', board: { online: false } });
      // In use and blocked come first, whatever the board.
      expect((await statusOf('1'))?.status).toBe('in-use');
      expect((await statusOf('4'))?.status).toBe('blocked');
      await reply((await lab.board('3')).checkmachine());
      expect((await statusOf('3'))?.status).toBe('free');
    });
  });

  describe('remote start and stop', () => {
    it('sends stop with 00000000 for a user without a card, and refuses start', async () => {
      const id = await machineId('3');
      const board = await lab.board('3');
      const received = board.nextRequest();
      const stop = await admin.post<RemoteCommandResult>(`/api/machines/${id}/stop`);
      expect(stop).toMatchObject({ status: 202, body: { machineId: id, command: 'stop', uid: '00000000' } });
      const request = await received;
      expect(request.topic).toBe(`${lab.topicRoot}/3/request`);
      expect(request.command).toEqual({ request_type: 'stop', uid: '00000000' });

      expect(await admin.post(`/api/machines/${id}/start`)).toMatchObject({
        status: 400,
        body: { code: 'CARD_REQUIRED' },
      });
      expect((await admin.post('/api/machines/4242/stop')).status).toBe(404);
    });

    it("sends start with the operator's card, records the access event and audits", async () => {
      const password = 'Tessera-Rossa-2026';
      await lab.dataSource
        .getRepository(Member)
        .update({ email: 'admin@example.org' }, { passwordHash: await hashPassword(password) });
      const ada = new ApiClient(lab.running.httpUrl);
      expect((await ada.login('admin@example.org', password)).status).toBe(200);
      const id = await machineId('3');
      const board = await lab.board('3');
      const received = board.nextRequest();
      const start = await ada.post<RemoteCommandResult>(`/api/machines/${id}/start`);
      expect(start).toMatchObject({ status: 202, body: { command: 'start', uid: CARDS.admin } });
      expect((await received).command).toEqual({ request_type: 'start', uid: CARDS.admin });

      const event = await lab.dataSource
        .getRepository(AccessEvent)
        .findOneByOrFail({ id: start.body.accessEventId });
      expect(event).toMatchObject({ action: 'remote-start', machineId: id, cardUid: CARDS.admin });
      const audit = await auditOf('machine', id);
      expect(audit.map((a) => [a.action, a.actorLabel])).toEqual([
        ['remote-stop', 'boss@example.org'],
        ['remote-start', 'admin@example.org'],
      ]);
    });
  });

  describe('delete with history', () => {
    it('needs confirmation, then takes sessions, authorizations, plans and interventions with it', async () => {
      const id = await machineId('012');
      const refused = await admin.delete<ConfirmationRequiredBody>(`/api/machines/${id}`);
      expect(refused).toMatchObject({
        status: 409,
        body: {
          code: 'DELETE_CONFIRMATION_REQUIRED',
          counts: { sessions: 1, authorizations: 2, plans: 1, interventions: 0 },
        },
      });
      expect((await admin.get(`/api/machines/${id}`)).status).toBe(200);
      expect(await admin.delete(`/api/machines/${id}?confirm=true`)).toMatchObject({
        status: 200,
        body: { sessions: 1, authorizations: 2, plans: 1, interventions: 0 },
      });
      expect(await lab.dataSource.getRepository(UsageSession).countBy({ machineId: id })).toBe(0);
      expect(await lab.dataSource.getRepository(Authorization).countBy({ machineId: id })).toBe(0);
      expect(await reply((await lab.board('012')).checkmachine())).toMatchObject({ is_valid: false });
    });

    it('deletes years of sessions in small transactions, the report totals following', async () => {
      const created = await admin.post<MachineDto>('/api/machines', {
        topicId: '90',
        name: 'Old lathe',
        typeId: types.get('Hand tools'),
      });
      expect(created.status).toBe(201);
      const id = created.body.id;
      const lucia = (await lab.dataSource.getRepository(Member).findOneByOrFail({ cardUid: CARDS.lucia })).id;
      const other = await machineId('1');
      const n = 2 * SWEEP_READ_BATCH + 41;
      const now = Date.now();
      // Three sessions a second, so that batch boundaries fall between sessions of the same start.
      const at = (i: number) => now - 900 * DAY_MS + Math.floor(i / 3) * 4 * HOUR_MS;
      const row = (machine: number, i: number) => ({
        memberId: lucia,
        machineId: machine,
        startedAt: new Date(at(i)),
        lastSeenAt: new Date(at(i) + HOUR_MS),
        endedAt: new Date(at(i) + HOUR_MS),
        endReason: 'stopuse' as const,
      });
      const sessions = lab.dataSource.getRepository(UsageSession);
      for (let i = 0; i < n; i += 200) {
        await sessions.insert(Array.from({ length: Math.min(200, n - i) }, (_, k) => row(id, i + k)));
      }
      // Another machine's sessions on the same days keep their totals (and Lucía's member totals).
      await sessions.insert(Array.from({ length: 30 }, (_, i) => row(other, 3 * i)));
      const uow = lab.running.app.get(UnitOfWork);
      const rebuild = () => uow.runSql((sql) => new UsageAggregates(sql, lab.config.LAB_TIME_ZONE).rebuild());
      const totals = async () => ({
        hours: await lab.dataSource.query('SELECT "hour", "sessions" FROM "usage_hours" ORDER BY 1'),
        machines: await lab.dataSource.query<{ machineId: number | string }[]>(
          'SELECT "period", "bucket", "machineId", "sessions", "ms" FROM "usage_machine_totals" ORDER BY 1, 2, 3',
        ),
        members: await lab.dataSource.query<unknown[]>(
          'SELECT "period", "bucket", "memberId", "sessions", "ms" FROM "usage_member_totals" ORDER BY 1, 2, 3',
        ),
      });
      await rebuild();
      const transactions = jest.spyOn(uow, 'run');
      try {
        expect(await admin.delete(`/api/machines/${id}?confirm=true`)).toMatchObject({
          status: 200,
          body: { sessions: n, authorizations: 0, plans: 0, interventions: 0 },
        });
        // A transaction per SWEEP_WRITE_BATCH.max sessions at least: none holds the boards long.
        expect(transactions.mock.calls.length).toBeGreaterThanOrEqual(
          Math.ceil(n / SWEEP_WRITE_BATCH.max) + 2,
        );
      } finally {
        transactions.mockRestore();
      }
      expect(await sessions.countBy({ machineId: id })).toBe(0);
      expect(await sessions.countBy({ machineId: other })).toBeGreaterThanOrEqual(30);
      const running = await totals();
      // No total left at zero, none left for the machine, and the same as a rebuild from the history.
      for (const table of ['usage_hours', 'usage_machine_totals', 'usage_member_totals']) {
        expect(await lab.dataSource.query(`SELECT * FROM "${table}" WHERE "sessions" = 0`)).toEqual([]);
      }
      expect(running.machines.filter((r) => Number(r.machineId) === id)).toEqual([]);
      expect(running.members.length).toBeGreaterThan(0);
      await rebuild();
      expect(await totals()).toEqual(running);
      expect(await auditOf('machine', id)).toEqual([
        expect.objectContaining({ action: 'create' }),
        expect.objectContaining({ action: 'delete' }),
      ]);
    });
  });

  describe('export', () => {
    it('exports the filtered list as CSV and XLSX', async () => {
      const rows = await csvExport(admin, '/api/machines/export?format=csv&blocked=false&sort=topicId');
      expect(rows.map((r) => [r['topicId'], r['name'], r['type'], r['blocked']])).toEqual([
        ['1', 'Prusa MK4', 'Printer', 'false'],
        ['3', 'Trapano', 'Hand tools', 'false'],
        ['78', 'Saw', 'Printer', 'false'],
      ]);
      const xlsx = await xlsxExport(admin, lab.running.httpUrl, '/api/machines/export?format=xlsx&q=fresa');
      expect(xlsx.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(xlsx.rows).toEqual([
        ['id', 'topicId', 'name', 'type', 'blocked', 'usageHours', 'lastSeenAt'],
        [expect.any(Number), '4', 'Fresa CNC', 'Printer', true, 0],
      ]);
    });
  });
});
