import type { QueryResult } from '@fabomatic/board-sim';
import type {
  AuthorizationDto,
  BoardBindConflictBody,
  ConfirmationRequiredBody,
  FleetBoardDto,
  MachineDto,
  MachineRetireResult,
  MachineStatusDto,
  MaintenanceReport,
  MemberDeleteResult,
  Page,
  UsageByWeekReport,
  UsageSessionDto,
} from '@fabomatic/contracts';
import type { ApiClient } from '../../testing/api-client';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { startTestApp, type TestApp, type TestDatabase } from '../../testing/test-app';
import { AccessEvent } from '../access-events/access-event.entity';
import { AuditEntry } from '../audit/audit-entry.entity';
import { Authorization } from '../authorizations/authorization.entity';
import { Board } from '../boards/board.entity';
import { Machine } from '../machines/machine.entity';
import { Member } from '../members/member.entity';
import { UsageSession } from './usage-session.entity';

async function reply(result: Promise<QueryResult>): Promise<Record<string, unknown>> {
  const r = await result;
  if (r.status !== 'reply' || r.reply === null) throw new Error(`expected a reply, got ${JSON.stringify(r)}`);
  return r.reply;
}

const MINUTE = 60_000;

/**
 * Issue 12, first part: a change to something in use never breaks it silently. Each rule is seen as
 * the lab meets it: through the API, the board protocol and the stored history.
 */
describe.each<TestDatabase>(['sqlite', 'postgres'])('changes to things in use on %s', (database) => {
  let lab: TestApp;
  let admin: ApiClient;
  const machine = (topicId: string) => lab.dataSource.getRepository(Machine).findOneByOrFail({ topicId });
  const boardId = async (serial: string) =>
    (await lab.dataSource.getRepository(Board).findOneByOrFail({ serial })).id;
  const waitFor = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 20));
  };
  const sessionsOf = async (where: { machineId?: number; memberId?: number }) =>
    lab.dataSource.getRepository(UsageSession).find({ where, order: { id: 'ASC' } });

  beforeAll(async () => {
    lab = await startTestApp({ database, broker: 'embedded', seed: LAB_SEED });
    admin = await adminClient(lab);
  });
  afterAll(() => lab?.stop());

  it('binding a board over a machine that has one asks first, names that board, and audits both', async () => {
    const laser = await machine('012');
    await (await lab.board('012')).alive('aaaaaaaa0012');
    await (await lab.board('13')).alive('aaaaaaaaa013');
    await waitFor(async () => (await lab.dataSource.getRepository(Board).count()) >= 2);
    const laserBoard = await boardId('aaaaaaaa0012');
    const newBoard = await boardId('aaaaaaaaa013');

    const refused = await admin.post<BoardBindConflictBody>(`/api/boards/${newBoard}/bind`, {
      machineId: laser.id,
    });
    expect(refused).toMatchObject({
      status: 409,
      body: {
        code: 'MACHINE_HAS_BOARD',
        machine: { id: laser.id, name: laser.name },
        board: { id: laserBoard, serial: 'aaaaaaaa0012', topicId: '012', online: true },
      },
    });
    // Nothing changed: the laser's board is still answered as the laser.
    expect(await reply((await lab.board('012')).checkmachine())).toMatchObject({
      is_valid: true,
      allowed: true,
    });
    expect((await machine('012')).topicId).toBe('012');
    // The picker marks the machines that have a board, online or not.
    expect((await admin.get<MachineDto>(`/api/machines/${laser.id}`)).body.board).toEqual({
      id: laserBoard,
      serial: 'aaaaaaaa0012',
    });
    expect((await admin.get<MachineDto>(`/api/machines/${(await machine('1')).id}`)).body.board).toBeNull();

    const bound = await admin.post<FleetBoardDto>(`/api/boards/${newBoard}/bind`, {
      machineId: laser.id,
      replace: true,
    });
    expect(bound).toMatchObject({ status: 200, body: { topicId: '13', machine: { id: laser.id } } });
    expect(await reply((await lab.board('13')).checkmachine())).toMatchObject({ is_valid: true });
    const audit = await lab.dataSource.getRepository(AuditEntry).find({
      where: { entityType: 'board' },
      order: { id: 'ASC' },
    });
    expect(audit.map((a) => [a.action, a.entityId])).toEqual([
      ['bind', String(newBoard)],
      ['unbind', String(laserBoard)],
    ]);
    expect(audit[1]?.after).toMatchObject({ machineId: null, replacedByBoardId: newBoard });
  });

  it('deleting a member using a machine closes their session with its hours, and keeps their history', async () => {
    const prusa = await machine('1');
    const mario = await lab.dataSource.getRepository(Member).findOneByOrFail({ cardUid: CARDS.mario });
    const board = await lab.board('1');
    expect(await reply(board.startuse(CARDS.mario))).toMatchObject({ request_ok: true });
    lab.clock.advance(30 * MINUTE);
    expect(await reply(board.inuse(CARDS.mario, 30 * 60))).toMatchObject({ request_ok: true });
    const meterBefore = prusa.usageSeconds;

    const deleted = await admin.delete<MemberDeleteResult>(`/api/members/${mario.id}`);
    expect(deleted.status).toBe(200);
    const [session] = await sessionsOf({ memberId: mario.id });
    expect(session?.endedAt).not.toBeNull();
    expect(session?.endReason).toBe('manual');
    const lasted = ((session?.endedAt?.getTime() ?? 0) - (session?.startedAt.getTime() ?? 0)) / 1000;
    expect(lasted).toBeGreaterThanOrEqual(30 * 60);
    expect(lasted).toBeLessThan(31 * 60);
    expect((await machine('1')).usageSeconds - meterBefore).toBe(Math.round(lasted));
    expect(deleted.body.sessionsClosed).toEqual(['Prusa MK4']);
    // The dashboard no longer shows the machine in use.
    const status = await admin.get<MachineStatusDto>(`/api/machines/${prusa.id}/status`);
    expect(status.body).toMatchObject({ status: expect.not.stringMatching('in-use'), session: null });
    // The board's later messages are answered and open nothing.
    lab.clock.advance(MINUTE);
    expect(await reply(board.inuse(CARDS.mario, 31 * 60))).toMatchObject({ request_ok: true });
    expect(await reply(board.stopuse(CARDS.mario, 31 * 60))).toMatchObject({ request_ok: true });
    expect(await sessionsOf({ machineId: prusa.id })).toHaveLength(1);
    // Soft delete: the member and their history stay.
    const history = await admin.get<Page<UsageSessionDto>>(`/api/usage?memberId=${mario.id}`);
    expect(history.body.items).toMatchObject([{ machineName: 'Prusa MK4', open: false }]);
    expect(await lab.dataSource.getRepository(Member).findOneByOrFail({ id: mario.id })).toMatchObject({
      deletedAt: expect.any(Date),
    });
  });

  it('deleting a machine in use names its user; retiring it refuses the board, hides it and keeps its history', async () => {
    const laser = await lab.dataSource
      .getRepository(Machine)
      .findOneByOrFail({ name: 'Laser Trotec Speedy 400' });
    const board = await lab.board(laser.topicId);
    expect(await reply(board.startuse(CARDS.lucia))).toMatchObject({ request_ok: true });
    lab.clock.advance(20 * MINUTE);

    const refused = await admin.delete<ConfirmationRequiredBody>(`/api/machines/${laser.id}`);
    expect(refused).toMatchObject({
      status: 409,
      body: { code: 'MACHINE_IN_USE', inUseBy: 'Lucía Martínez', counts: { sessions: 1, authorizations: 2 } },
    });

    const retired = await admin.post<MachineRetireResult>(`/api/machines/${laser.id}/retire`);
    expect(retired).toMatchObject({
      status: 200,
      body: { sessionClosedFor: 'Lucía Martínez', machine: { id: laser.id, retiredAt: expect.any(String) } },
    });
    const [session] = await sessionsOf({ machineId: laser.id });
    expect(session).toMatchObject({ endReason: 'manual' });
    expect((session?.endedAt?.getTime() ?? 0) - (session?.startedAt.getTime() ?? 0)).toBeGreaterThanOrEqual(
      20 * MINUTE,
    );
    expect((await machine(laser.topicId)).usageSeconds).toBeGreaterThanOrEqual(20 * 60);

    // Refused at the board: blocked for everyone (is_valid:false would let it keep its old settings).
    expect(await reply(board.checkmachine())).toMatchObject({ is_valid: true, allowed: false });
    expect(await reply(board.checkuser(CARDS.admin))).toMatchObject({ is_valid: false, level: 0 });
    await lab.settled();
    const event = await lab.dataSource
      .getRepository(AccessEvent)
      .findOne({ where: { machineId: laser.id, action: 'checkuser' }, order: { id: 'DESC' } });
    expect(event).toMatchObject({ granted: false, reason: 'machine-retired' });
    expect(await reply(board.stopuse(CARDS.lucia, 25 * 60))).toMatchObject({ request_ok: false });
    expect(await sessionsOf({ machineId: laser.id })).toHaveLength(1);

    // Hidden from lists and the dashboard, shown on request; its history and reports stay.
    const names = async (query: string) =>
      (await admin.get<Page<MachineDto>>(`/api/machines${query}`)).body.items.map((m) => m.name);
    expect(await names('')).not.toContain(laser.name);
    expect(await names('?retired=true')).toEqual([laser.name]);
    const dashboard = await admin.get<MachineStatusDto[]>('/api/machines/status');
    expect(dashboard.body.map((m) => m.machineId)).not.toContain(laser.id);
    // Its own page still answers, and says since when it is retired.
    const own = await admin.get<MachineStatusDto>(`/api/machines/${laser.id}/status`);
    expect(own.body.retiredAt).toBe(retired.body.machine.retiredAt);
    expect(await lab.dataSource.getRepository(Authorization).countBy({ machineId: laser.id })).toBe(2);
    const report = await admin.get<UsageByWeekReport>('/api/reports/usage-by-week');
    expect(report.body.machines.map((m) => m.machineName)).toContain(laser.name);
    // The current maintenance state leaves it out: a retired machine needs none.
    const maintenance = await admin.get<MaintenanceReport>('/api/reports/maintenance');
    expect(maintenance.body.machines.map((m) => m.machineName)).not.toContain(laser.name);
    const usage = await admin.get<Page<UsageSessionDto>>(`/api/usage?machineId=${laser.id}`);
    expect(usage.body.total).toBe(1);

    // Nothing new is done with it: no remote command, no authorization.
    expect(await admin.post(`/api/machines/${laser.id}/stop`)).toMatchObject({
      status: 409,
      body: { code: 'MACHINE_RETIRED' },
    });
    const ada = await lab.dataSource.getRepository(Member).findOneByOrFail({ cardUid: CARDS.admin });
    expect(await admin.post('/api/authorizations', { memberId: ada.id, machineId: laser.id })).toMatchObject({
      status: 409,
      body: { code: 'MACHINE_RETIRED' },
    });

    // Reinstated: answered again.
    expect(await admin.post<MachineDto>(`/api/machines/${laser.id}/reinstate`)).toMatchObject({
      status: 200,
      body: { retiredAt: null },
    });
    expect(await reply(board.checkmachine())).toMatchObject({ is_valid: true, allowed: true });
    expect(await names('')).toContain(laser.name);
  });

  it('a blocked machine refuses everyone, "authorize all" included, as its board does, and the feed says so', async () => {
    const cnc = await machine('4');
    const board = await lab.board('4');
    expect(await reply(board.checkmachine())).toMatchObject({ is_valid: true, allowed: false });
    expect(await reply(board.checkuser(CARDS.admin))).toMatchObject({ is_valid: false, level: 0 });
    await lab.settled();
    const event = await lab.dataSource
      .getRepository(AccessEvent)
      .findOne({ where: { machineId: cnc.id, action: 'checkuser' }, order: { id: 'DESC' } });
    expect(event).toMatchObject({ granted: false, reason: 'machine-blocked' });
  });

  it('refuses an authorization expiry that is already past', async () => {
    // Neither is authorized on these machines yet: today's "1 added" would be an expired authorization.
    const prusa = await machine('1');
    const ada = await lab.dataSource.getRepository(Member).findOneByOrFail({ cardUid: CARDS.admin });
    const staff = await lab.dataSource.getRepository(Member).findOneByOrFail({ cardUid: CARDS.staff });
    const past = '2020-01-01T00:00:00Z';
    const count = () => lab.dataSource.getRepository(Authorization).count();
    const before = await count();
    expect(
      await admin.post('/api/authorizations/bulk', {
        machineId: prusa.id,
        memberIds: [ada.id],
        expiresAt: past,
      }),
    ).toMatchObject({
      status: 400,
      body: { code: 'AUTHORIZATION_EXPIRY_PAST', fields: { expiresAt: expect.any(Array) } },
    });
    const trapano = await machine('3');
    expect(
      await admin.post('/api/authorizations', { memberId: staff.id, machineId: trapano.id, expiresAt: past }),
    ).toMatchObject({ status: 400, body: { code: 'AUTHORIZATION_EXPIRY_PAST' } });
    expect(await count()).toBe(before);
    const existing = await admin.get<Page<AuthorizationDto>>(`/api/authorizations?memberId=${staff.id}`);
    const id = existing.body.items[0]?.id;
    expect(await admin.patch(`/api/authorizations/${id}`, { expiresAt: past })).toMatchObject({
      status: 400,
      body: { code: 'AUTHORIZATION_EXPIRY_PAST' },
    });
    // A future one is taken.
    expect(
      await admin.post('/api/authorizations', {
        memberId: staff.id,
        machineId: trapano.id,
        expiresAt: new Date(lab.clock.now().getTime() + 86_400_000).toISOString(),
      }),
    ).toMatchObject({ status: 201, body: { expired: false } });
  });
});
