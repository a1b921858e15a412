import type { QueryResult } from '@fabomatic/board-sim';
import type {
  AuthorizationDto,
  AuthorizationHistoryDto,
  MachineDto,
  MachineTypeDto,
  MemberDto,
  Page,
  TrainerDto,
} from '@fabomatic/contracts';
import { ApiClient } from '../../testing/api-client';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { startTestApp, type TestApp, type TestDatabase } from '../../testing/test-app';
import { AccessEvent } from '../access-events/access-event.entity';
import { hashPassword } from '../auth/password-hashing';
import { DirectoryCache } from '../boards/directory-cache';
import { MachineType } from '../machine-types/machine-type.entity';
import { Machine } from '../machines/machine.entity';
import { Member } from '../members/member.entity';
import { Role } from '../roles/role.entity';
import { Authorization } from './authorization.entity';

const DAY = 24 * 3600 * 1000;
const PASSWORD = 'Tessera-Verde-2026';
const NINA_CARD = 'abcdef01';

async function reply(result: Promise<QueryResult>): Promise<Record<string, unknown>> {
  const r = await result;
  if (r.status !== 'reply' || r.reply === null) throw new Error(`expected a reply, got ${JSON.stringify(r)}`);
  return r.reply;
}

/**
 * Issue 15, the certification lifecycle: each transition and who may make it (managers everywhere,
 * trainers on their types for others only), the history it leaves, the board's refusal reasons, and
 * usage decay renewed by a session on any machine of the type.
 */
describe.each<TestDatabase>(['sqlite', 'postgres'])('certification lifecycle on %s', (database) => {
  let lab: TestApp;
  let admin: ApiClient;
  let tina: ApiClient; // trainer of Printer, portal level `member`
  let otto: ApiClient; // trainer of Hand tools, portal level `member`
  let viewer: ApiClient; // read-only, trains nothing
  const ids = { tina: 0, otto: 0, nina: 0, mario: 0, printer: 0, hand: 0, laser: 0 };
  const machineId = async (topicId: string) =>
    (await lab.dataSource.getRepository(Machine).findOneByOrFail({ topicId })).id;
  const authorizationOf = (memberId: number, machine: number) =>
    lab.dataSource.getRepository(Authorization).findOneByOrFail({ memberId, machineId: machine });
  const lastEvent = async (card: string, topicId: string) => {
    await lab.settled();
    return lab.dataSource
      .getRepository(AccessEvent)
      .findOneOrFail({ where: { cardUid: card, topicId }, order: { id: 'DESC' } });
  };
  /** Taps a card; returns whether the board was told to grant, and the reason recorded. */
  const tap = async (topicId: string, card: string) => {
    const answer = await reply((await lab.board(topicId)).checkuser(card));
    return { granted: answer['is_valid'], reason: (await lastEvent(card, topicId)).reason };
  };
  const forgetDirectory = () => lab.running.app.get(DirectoryCache).invalidate();

  async function portalMember(name: string, roleId: number, card: string | null): Promise<number> {
    const created = await admin.post<MemberDto>('/api/members', {
      name,
      surname: 'Test',
      email: `${name.toLowerCase()}@example.org`,
      roleId,
      cardUid: card,
    });
    if (created.status !== 201) throw new Error(JSON.stringify(created.body));
    await lab.dataSource
      .getRepository(Member)
      .update({ id: created.body.id }, { passwordHash: await hashPassword(PASSWORD) });
    return created.body.id;
  }

  async function signIn(name: string): Promise<ApiClient> {
    const client = new ApiClient(lab.running.httpUrl);
    expect((await client.login(`${name.toLowerCase()}@example.org`, PASSWORD)).status).toBe(200);
    return client;
  }

  beforeAll(async () => {
    lab = await startTestApp({
      database,
      broker: 'embedded',
      seed: LAB_SEED,
      env: { LAB_TIME_ZONE: 'Europe/Rome' },
    });
    admin = await adminClient(lab);
    const roles = lab.dataSource.getRepository(Role);
    const users = await roles.findOneByOrFail({ name: 'Fab Users' });
    const membersRole = await admin.post<{ id: number }>('/api/roles', {
      name: 'Trainees and trainers',
      authorizeAll: false,
      maintenance: false,
      portalAccess: 'member',
    });
    const viewers = await admin.post<{ id: number }>('/api/roles', {
      name: 'Viewers',
      authorizeAll: false,
      maintenance: false,
      portalAccess: 'read-only',
    });
    if (membersRole.status !== 201) throw new Error(JSON.stringify(membersRole.body));
    ids.tina = await portalMember('Tina', membersRole.body.id, 'abcdef02');
    ids.otto = await portalMember('Otto', membersRole.body.id, null);
    await portalMember('Vera', viewers.body.id, null);
    ids.nina = (
      await admin.post<MemberDto>('/api/members', {
        name: 'Nina',
        surname: 'Nuova',
        roleId: users.id,
        cardUid: NINA_CARD,
      })
    ).body.id;
    ids.mario = (await lab.dataSource.getRepository(Member).findOneByOrFail({ name: 'Mario' })).id;
    const types = lab.dataSource.getRepository(MachineType);
    ids.printer = (await types.findOneByOrFail({ name: 'Printer' })).id;
    ids.hand = (await types.findOneByOrFail({ name: 'Hand tools' })).id;
    tina = await signIn('Tina');
    otto = await signIn('Otto');
    viewer = await signIn('Vera');
  });
  afterAll(() => lab?.stop());

  it('sets a machine type policy, validated, and shows it', async () => {
    expect(
      await admin.patch(`/api/machine-types/${ids.printer}`, { reminderDays: [60, 30, 14, 7, 3, 1] }),
    ).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(await admin.patch(`/api/machine-types/${ids.printer}`, { validityDays: 0 })).toMatchObject({
      status: 400,
    });
    expect(
      await admin.patch<MachineTypeDto>(`/api/machine-types/${ids.printer}`, {
        decayDays: 30,
        reminderDays: [7, 30, 7],
      }),
    ).toMatchObject({ status: 200, body: { validityDays: null, decayDays: 30, reminderDays: [30, 7] } });
    const laserType = await admin.post<MachineTypeDto>('/api/machine-types', {
      name: 'Laser',
      autoLogoffMinutes: 60,
      graceMinutes: 2,
      accessManagement: 'authorization',
      validityDays: 10,
    });
    expect(laserType).toMatchObject({ status: 201, body: { validityDays: 10, reminderDays: [] } });
    const laser = await admin.post<MachineDto>('/api/machines', {
      topicId: '20',
      name: 'Epilog',
      typeId: laserType.body.id,
    });
    expect(laser.status).toBe(201);
    ids.laser = laser.body.id;
  });

  it('lets managers make trainers, recorded; trainers and viewers cannot', async () => {
    const made = await admin.post<TrainerDto>('/api/trainers', {
      memberId: ids.tina,
      machineTypeId: ids.printer,
    });
    expect(made).toMatchObject({
      status: 201,
      body: {
        memberId: ids.tina,
        machineTypeName: 'Printer',
        revokedAt: null,
        grantedBy: { id: expect.any(Number) },
      },
    });
    expect((await admin.post('/api/trainers', { memberId: ids.otto, machineTypeId: ids.hand })).status).toBe(
      201,
    );
    expect((await tina.post('/api/trainers', { memberId: ids.tina, machineTypeId: ids.hand })).status).toBe(
      403,
    );
    expect(
      (await viewer.post('/api/trainers', { memberId: ids.otto, machineTypeId: ids.printer })).status,
    ).toBe(403);
    expect((await tina.get<TrainerDto[]>('/api/me/trainer-of')).body.map((t) => t.machineTypeName)).toEqual([
      'Printer',
    ]);
    const printerTrainers = await viewer.get<TrainerDto[]>(`/api/trainers?machineTypeId=${ids.printer}`);
    expect(printerTrainers.body.map((t) => t.memberName)).toEqual(['Tina Test']);
  });

  it('lets a trainer grant on their types only, never to themselves; history follows the policy', async () => {
    const prusa = await machineId('1');
    const trotec = await machineId('012');
    const drill = await machineId('3');
    const granted = await tina.post<AuthorizationDto>('/api/authorizations', {
      memberId: ids.nina,
      machineId: prusa,
    });
    expect(granted).toMatchObject({
      status: 201,
      body: { state: 'active', expiresAt: null, expiryCause: 'disuse', grantedBy: { id: ids.tina } },
    });
    expect(
      await tina.post('/api/authorizations/bulk', { machineId: trotec, memberIds: [ids.nina] }),
    ).toMatchObject({ status: 200, body: { created: 1, skipped: 0 } });
    // Another type, themselves, a staff-only route.
    expect(await tina.post('/api/authorizations', { memberId: ids.nina, machineId: drill })).toMatchObject({
      status: 403,
      body: { code: 'NOT_TRAINER_FOR_TYPE' },
    });
    expect(await tina.post('/api/authorizations', { memberId: ids.tina, machineId: prusa })).toMatchObject({
      status: 403,
      body: { code: 'NOT_TRAINER_FOR_TYPE' },
    });
    expect(
      await tina.post('/api/authorizations/bulk', { machineId: trotec, memberIds: [ids.mario, ids.tina] }),
    ).toMatchObject({ status: 403, body: { code: 'NOT_TRAINER_FOR_TYPE' } });
    expect(
      await otto.post('/api/authorizations', { memberId: ids.nina, machineId: ids.laser }),
    ).toMatchObject({ status: 403, body: { code: 'NOT_TRAINER_FOR_TYPE' } });
    expect(
      await viewer.post('/api/authorizations', { memberId: ids.nina, machineId: ids.laser }),
    ).toMatchObject({ status: 403, body: { code: 'NOT_TRAINER_FOR_TYPE' } });
    // A manager grants anywhere; validity follows the type's policy (10 lab days).
    const laser = await admin.post<AuthorizationDto>('/api/authorizations', {
      memberId: ids.nina,
      machineId: ids.laser,
    });
    expect(laser).toMatchObject({ status: 201, body: { state: 'active', expiryCause: 'validity' } });
    const validFor = Date.parse(laser.body.expiresAt ?? '') - Date.now();
    expect(validFor).toBeGreaterThan(10 * DAY);
    expect(validFor).toBeLessThan(11.1 * DAY);
    expect(
      await admin.post('/api/authorizations', { memberId: ids.nina, machineId: ids.laser }),
    ).toMatchObject({ status: 409, body: { code: 'ALREADY_AUTHORIZED' } });
    const history = await tina.get<AuthorizationHistoryDto[]>(
      `/api/authorizations/${granted.body.id}/history`,
    );
    expect(history.body).toEqual([
      expect.objectContaining({
        change: 'granted',
        from: null,
        to: 'active',
        actor: { id: ids.tina, name: 'Tina Test' },
      }),
    ]);
    expect((await otto.get(`/api/authorizations/${granted.body.id}/history`)).status).toBe(403);
  });

  it('never lets a trainer change roles or portal access', async () => {
    const admins = await lab.dataSource.getRepository(Role).findOneByOrFail({ name: 'Admins' });
    expect((await tina.patch(`/api/members/${ids.nina}`, { roleId: admins.id })).status).toBe(403);
    expect((await tina.patch(`/api/members/${ids.tina}`, { roleId: admins.id })).status).toBe(403);
    expect((await tina.patch(`/api/roles/${admins.id}`, { portalAccess: 'member' })).status).toBe(403);
    expect(
      (
        await tina.post('/api/roles', {
          name: 'Mine',
          authorizeAll: true,
          maintenance: true,
          portalAccess: 'admin',
        })
      ).status,
    ).toBe(403);
    expect((await tina.get('/api/members')).status).toBe(403);
  });

  it('suspends (with a reason), reinstates, revokes and grants again, each refused at the board', async () => {
    const prusa = await machineId('1');
    const marios = await authorizationOf(ids.mario, prusa);
    const path = (action: string) => `/api/authorizations/${marios.id}/${action}`;
    expect(await tap('1', CARDS.mario)).toEqual({ granted: true, reason: 'granted' });

    expect(await tina.post(path('suspend'), {})).toMatchObject({
      status: 400,
      body: { code: 'AUTHORIZATION_REASON_REQUIRED' },
    });
    expect(await tina.post(path('suspend'), { reason: '   ' })).toMatchObject({ status: 400 });
    expect(await otto.post(path('suspend'), { reason: 'not mine' })).toMatchObject({
      status: 403,
      body: { code: 'NOT_TRAINER_FOR_TYPE' },
    });
    expect(await viewer.post(path('suspend'), { reason: 'a viewer' })).toMatchObject({ status: 403 });
    expect(await tina.post(path('suspend'), { reason: 'left the lens dirty' })).toMatchObject({
      status: 200,
      body: { state: 'suspended' },
    });
    expect(await tap('1', CARDS.mario)).toEqual({ granted: false, reason: 'authorization-suspended' });
    expect(await tina.post(path('renew'))).toMatchObject({
      status: 409,
      body: { code: 'AUTHORIZATION_TRANSITION_INVALID' },
    });

    expect(await tina.post(path('reinstate'))).toMatchObject({ status: 200, body: { state: 'active' } });
    expect(await tap('1', CARDS.mario)).toEqual({ granted: true, reason: 'granted' });

    expect(await tina.post(path('revoke'), {})).toMatchObject({ status: 400 });
    expect(await tina.post(path('revoke'), { reason: 'unsafe use' })).toMatchObject({
      status: 200,
      body: { state: 'revoked' },
    });
    expect(await tap('1', CARDS.mario)).toEqual({ granted: false, reason: 'authorization-revoked' });
    expect(await tina.post(path('reinstate'))).toMatchObject({ status: 409 });

    // Revoked is final but for a new grant, which starts over.
    expect(await admin.post('/api/authorizations', { memberId: ids.mario, machineId: prusa })).toMatchObject({
      status: 201,
      body: { id: marios.id, state: 'active' },
    });
    expect(await tap('1', CARDS.mario)).toEqual({ granted: true, reason: 'granted' });

    const history = await admin.get<AuthorizationHistoryDto[]>(path('history'));
    const me = (await admin.get<{ id: number }>('/api/auth/me')).body;
    expect(history.body.map((h) => [h.change, h.from, h.to, h.reason, h.actor?.id ?? null])).toEqual([
      ['suspended', 'active', 'suspended', 'left the lens dirty', ids.tina],
      ['reinstated', 'suspended', 'active', null, ids.tina],
      ['revoked', 'active', 'revoked', 'unsafe use', ids.tina],
      ['granted', 'revoked', 'active', null, me.id],
    ]);
  });

  it('lets no trainer act on their own authorization, and renews for others', async () => {
    const prusa = await machineId('1');
    const own = await admin.post<AuthorizationDto>('/api/authorizations', {
      memberId: ids.tina,
      machineId: prusa,
    });
    expect(await tina.post(`/api/authorizations/${own.body.id}/renew`)).toMatchObject({
      status: 403,
      body: { code: 'NOT_TRAINER_FOR_TYPE' },
    });
    expect(await tina.post(`/api/authorizations/${own.body.id}/revoke`, { reason: 'myself' })).toMatchObject({
      status: 403,
    });
    const ninas = await authorizationOf(ids.nina, prusa);
    expect(await tina.post(`/api/authorizations/${ninas.id}/renew`)).toMatchObject({
      status: 200,
      body: { state: 'active' },
    });
    // The trainer's page shows the types they train, and nothing else.
    const trainees = await tina.get<Page<AuthorizationDto>>('/api/me/trainees?pageSize=100');
    expect(trainees.status).toBe(200);
    expect(new Set(trainees.body.items.map((a) => a.machineTypeId))).toEqual(new Set([ids.printer]));
    expect((await otto.get<Page<AuthorizationDto>>('/api/me/trainees')).body.items).toEqual([]);
  });

  it('refuses a pending authorization, exempts staff from expiry, keeps admin-only erase', async () => {
    const trotec = await machineId('012');
    const staff = await lab.dataSource.getRepository(Member).findOneByOrFail({ name: 'Stefano' });
    const lucia = await lab.dataSource.getRepository(Member).findOneByOrFail({ name: 'Lucía' });
    await lab.dataSource
      .getRepository(Authorization)
      .update({ memberId: lucia.id, machineId: trotec }, { status: 'pending' });
    await lab.dataSource
      .getRepository(Authorization)
      .update(
        { memberId: staff.id, machineId: await machineId('1') },
        { expiresAt: new Date(Date.now() - DAY) },
      );
    forgetDirectory();
    expect(await tap('012', CARDS.lucia)).toEqual({ granted: false, reason: 'authorization-pending' });
    expect(await tap('1', CARDS.staff)).toEqual({ granted: true, reason: 'granted' });
    const staffs = await admin.get<Page<AuthorizationDto>>(`/api/authorizations?memberId=${staff.id}`);
    expect(staffs.body.items[0]).toMatchObject({ exempt: true, state: 'active', effectiveExpiresAt: null });

    const mistaken = await authorizationOf(lucia.id, trotec);
    const manager = new ApiClient(lab.running.httpUrl);
    await lab.dataSource
      .getRepository(Member)
      .update({ id: staff.id }, { passwordHash: await hashPassword(PASSWORD) });
    expect((await manager.login('staff@example.org', PASSWORD)).status).toBe(200);
    expect((await manager.delete(`/api/authorizations/${mistaken.id}`)).status).toBe(403);
    expect((await admin.delete(`/api/authorizations/${mistaken.id}`)).status).toBe(204);
  });

  it('renews usage decay with a session on another machine of the type; expires by validity and disuse', async () => {
    const prusa = await machineId('1');
    lab.clock.advance(20 * DAY);
    const trotec = await lab.board('012');
    expect(await reply(trotec.startuse(NINA_CARD))).toMatchObject({ request_ok: true });
    expect(await reply(trotec.stopuse(NINA_CARD, 600))).toMatchObject({ request_ok: true });
    // The session on the Trotec renewed the Prusa too (same type).
    const renewed = await authorizationOf(ids.nina, prusa);
    expect(Math.abs((renewed.lastUsedAt?.getTime() ?? 0) - lab.clock.now().getTime())).toBeLessThan(60_000);

    lab.clock.advance(20 * DAY); // 40 days from the grant, 20 from the use
    expect(await tap('1', NINA_CARD)).toEqual({ granted: true, reason: 'granted' });
    expect(await tap('20', NINA_CARD)).toEqual({ granted: false, reason: 'authorization-expired' });
    expect(await tap('1', CARDS.staff)).toEqual({ granted: true, reason: 'granted' });

    lab.clock.advance(12 * DAY); // 32 days since the use
    expect(await tap('1', NINA_CARD)).toEqual({ granted: false, reason: 'authorization-unused' });
    // Portal sessions ended while time moved on.
    admin = await adminClient(lab);
    tina = await signIn('Tina');
    const expired = await admin.get<Page<AuthorizationDto>>(
      `/api/authorizations?state=expired&memberId=${ids.nina}`,
    );
    expect(expired.body.items.map((a) => [a.machineName, a.expiryCause]).sort()).toEqual([
      ['Epilog', 'validity'],
      ['Laser Trotec Speedy 400', 'disuse'],
      ['Prusa MK4', 'disuse'],
    ]);
    expect(expired.body.total).toBe(3);

    // A renewal by the trainer restarts decay: granted again.
    const ninas = await authorizationOf(ids.nina, prusa);
    expect(await tina.post(`/api/authorizations/${ninas.id}/renew`)).toMatchObject({
      status: 200,
      body: { state: 'active' },
    });
    expect(await tap('1', NINA_CARD)).toEqual({ granted: true, reason: 'granted' });
  });
});
