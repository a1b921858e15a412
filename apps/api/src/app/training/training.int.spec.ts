import type { QueryResult } from '@fabomatic/board-sim';
import type {
  RemoteCommandResult,
  TrainingRequestDto,
  TrainingSessionDto,
  TrainingTypeDto,
  UsageSessionDto,
} from '@fabomatic/contracts';
import { ApiClient } from '../../testing/api-client';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { startTestApp, type TestApp, type TestDatabase } from '../../testing/test-app';
import { AuditEntry } from '../audit/audit-entry.entity';
import { hashPassword } from '../auth/password-hashing';
import { AuthorizationChangeEntry } from '../authorizations/authorization-change.entity';
import { Authorization } from '../authorizations/authorization.entity';
import { MachineType } from '../machine-types/machine-type.entity';
import { Machine } from '../machines/machine.entity';
import { Member } from '../members/member.entity';
import { Role } from '../roles/role.entity';
import { UsageSession } from '../usage/usage-session.entity';
import { Trainer } from './trainer.entity';

const PASSWORD = 'Tessera-Verde-2026';

async function reply(result: Promise<QueryResult>): Promise<Record<string, unknown>> {
  const r = await result;
  if (r.status !== 'reply' || r.reply === null) throw new Error(`expected a reply, got ${JSON.stringify(r)}`);
  return r.reply;
}

/**
 * Issue 15, training requests and a supervised first use, as the lab meets them: a member asks, the
 * type's trainer sees the queue, plans a session, records the outcomes (the qualified are authorized,
 * with the trainer in their history) and starts the machine with the trainee's card.
 */
describe.each<TestDatabase>(['sqlite', 'postgres'])('trainings on %s', (database) => {
  let lab: TestApp;
  let admin: ApiClient;
  /** Trainer of Printer (Lucía); trainee (Mario); trainer of Hand tools (Tom). */
  let lucia: ApiClient;
  let mario: ApiClient;
  let tom: ApiClient;
  const ids = { lucia: 0, mario: 0, tom: 0, printer: 0, handTools: 0, laser: 0, cnc: 0, session: 0 };

  const signIn = async (email: string) => {
    const client = new ApiClient(lab.running.httpUrl);
    const login = await client.login(email, PASSWORD);
    if (login.status !== 200) throw new Error(`login of ${email} failed: ${JSON.stringify(login.body)}`);
    return client;
  };

  beforeAll(async () => {
    lab = await startTestApp({ database, broker: 'embedded', seed: LAB_SEED });
    admin = await adminClient(lab);
    const source = lab.dataSource;
    const role = await source.getRepository(Role).save(
      source.getRepository(Role).create({
        name: 'Portal members',
        authorizeAll: false,
        maintenance: false,
        portalAccess: 'member',
      }),
    );
    const hash = await hashPassword(PASSWORD);
    const members = source.getRepository(Member);
    await members.update(
      { name: 'Lucía' },
      { email: 'lucia@example.org', passwordHash: hash, roleId: role.id },
    );
    await members.update(
      { name: 'Mario' },
      { email: 'mario@example.org', passwordHash: hash, roleId: role.id },
    );
    const created = await members.save(
      members.create({
        name: 'Tom',
        surname: 'Turner',
        email: 'tom@example.org',
        passwordHash: hash,
        roleId: role.id,
        cardUid: 'cafe0001',
      }),
    );
    ids.tom = created.id;
    ids.lucia = (await members.findOneByOrFail({ name: 'Lucía' })).id;
    ids.mario = (await members.findOneByOrFail({ name: 'Mario' })).id;
    const types = source.getRepository(MachineType);
    ids.printer = (await types.findOneByOrFail({ name: 'Printer' })).id;
    ids.handTools = (await types.findOneByOrFail({ name: 'Hand tools' })).id;
    const machines = source.getRepository(Machine);
    ids.laser = (await machines.findOneByOrFail({ topicId: '012' })).id;
    ids.cnc = (await machines.findOneByOrFail({ topicId: '4' })).id;
    const now = lab.clock.now();
    await source.getRepository(Trainer).save([
      { memberId: ids.lucia, machineTypeId: ids.printer, grantedAt: now, grantedById: null, revokedAt: null },
      { memberId: ids.tom, machineTypeId: ids.handTools, grantedAt: now, grantedById: null, revokedAt: null },
    ]);
    lucia = await signIn('lucia@example.org');
    mario = await signIn('mario@example.org');
    tom = await signIn('tom@example.org');
  });
  afterAll(() => lab?.stop());

  it('a member asks for training once per type; one authorized everywhere is told so', async () => {
    const asked = await mario.post<TrainingRequestDto>('/api/me/training-requests', {
      machineTypeId: ids.printer,
      note: 'Evenings are best',
    });
    expect(asked).toMatchObject({
      status: 201,
      body: {
        memberId: ids.mario,
        memberName: 'Mario Rossi',
        machineTypeName: 'Printer',
        note: 'Evenings are best',
        state: 'open',
        session: null,
      },
    });
    expect(await mario.post('/api/me/training-requests', { machineTypeId: ids.printer })).toMatchObject({
      status: 409,
      body: { code: 'TRAINING_REQUEST_OPEN', params: { type: 'Printer' } },
    });
    // Lucía holds active authorizations on every printer.
    expect(await lucia.post('/api/me/training-requests', { machineTypeId: ids.printer })).toMatchObject({
      status: 409,
      body: { code: 'ALREADY_AUTHORIZED_FOR_TYPE' },
    });
    expect((await mario.get<TrainingRequestDto[]>('/api/me/training-requests')).body).toHaveLength(1);
    // What each may ask for: the types managed by authorization (Hand tools is open to all).
    expect((await lucia.get<TrainingTypeDto[]>('/api/me/training-types')).body).toEqual([
      {
        id: ids.printer,
        name: 'Printer',
        machineNames: ['Fresa CNC', 'Laser Trotec Speedy 400', 'Prusa MK4'],
        authorized: true,
        trains: true,
      },
    ]);
    expect((await mario.get<TrainingTypeDto[]>('/api/me/training-types')).body).toMatchObject([
      { id: ids.printer, authorized: false, trains: false },
    ]);
    expect((await lucia.get<TrainingRequestDto[]>('/api/me/training-requests')).body).toEqual([]);
  });

  it('shows the queue to the trainers of the type and staff only', async () => {
    const queue = await lucia.get<TrainingRequestDto[]>(
      `/api/training-requests?machineTypeId=${ids.printer}`,
    );
    expect(queue.status).toBe(200);
    expect(queue.body.map((r) => [r.memberName, r.state])).toEqual([['Mario Rossi', 'open']]);
    expect((await lucia.get<TrainingRequestDto[]>('/api/training-requests')).body).toHaveLength(1);
    expect(await tom.get(`/api/training-requests?machineTypeId=${ids.printer}`)).toMatchObject({
      status: 403,
      body: { code: 'NOT_TRAINER_FOR_TYPE' },
    });
    expect((await tom.get<TrainingRequestDto[]>('/api/training-requests')).body).toEqual([]);
    expect(await mario.get('/api/training-requests')).toMatchObject({ status: 403 });
    expect((await admin.get<TrainingRequestDto[]>('/api/training-requests')).body).toHaveLength(1);
  });

  it('plans a session within its capacity, the trainees’ requests planned', async () => {
    const startsAt = new Date(lab.clock.now().getTime() + 86_400_000).toISOString();
    const plan = { machineTypeId: ids.printer, startsAt, place: 'Laser room', capacity: 1 };
    expect(
      await lucia.post('/api/training-sessions', { ...plan, memberIds: [ids.mario, ids.tom] }),
    ).toMatchObject({ status: 409, body: { code: 'TRAINING_SESSION_FULL', params: { capacity: 1 } } });
    expect(await lucia.post('/api/training-sessions', { ...plan, memberIds: [ids.lucia] })).toMatchObject({
      status: 400,
      body: { code: 'TRAINER_OWN_TRAINEE' },
    });
    expect(await tom.post('/api/training-sessions', { ...plan, memberIds: [ids.mario] })).toMatchObject({
      status: 403,
      body: { code: 'NOT_TRAINER_FOR_TYPE' },
    });
    const planned = await lucia.post<TrainingSessionDto>('/api/training-sessions', {
      ...plan,
      memberIds: [ids.mario],
    });
    expect(planned).toMatchObject({
      status: 201,
      body: {
        trainer: { id: ids.lucia, name: 'Lucía Martínez' },
        place: 'Laser room',
        trainees: [{ memberId: ids.mario, outcome: 'pending', hasCard: true }],
        completedAt: null,
      },
    });
    ids.session = planned.body.id;
    const [request] = (await mario.get<TrainingRequestDto[]>('/api/me/training-requests')).body;
    expect(request).toMatchObject({
      state: 'planned',
      trainingSessionId: ids.session,
      session: { startsAt, place: 'Laser room', trainerName: 'Lucía Martínez', outcome: 'pending' },
    });
    // Tom asked for nothing: he joins all the same once the capacity allows it.
    expect(
      await lucia.patch(`/api/training-sessions/${ids.session}`, { memberIds: [ids.mario, ids.tom] }),
    ).toMatchObject({ status: 409, body: { code: 'TRAINING_SESSION_FULL' } });
    const grown = await lucia.patch<TrainingSessionDto>(`/api/training-sessions/${ids.session}`, {
      capacity: 3,
      memberIds: [ids.mario, ids.tom],
    });
    expect(grown.body.trainees.map((t) => t.memberName)).toEqual(['Mario Rossi', 'Tom Turner']);
    const listed = await lucia.get<TrainingSessionDto[]>(
      `/api/training-sessions?machineTypeId=${ids.printer}`,
    );
    expect(listed.body.map((s) => s.id)).toEqual([ids.session]);
    expect(await tom.get(`/api/training-sessions/${ids.session}`)).toMatchObject({ status: 200 });
    expect(await tom.get(`/api/training-sessions?machineTypeId=${ids.printer}`)).toMatchObject({
      status: 403,
    });
  });

  it('records the outcomes: the qualified are authorized on the chosen machines, the trainer in history', async () => {
    expect(
      await tom.post(`/api/training-sessions/${ids.session}/outcomes`, { outcomes: [], machineIds: [] }),
    ).toMatchObject({ status: 403 });
    expect(
      await lucia.post(`/api/training-sessions/${ids.session}/outcomes`, {
        outcomes: [{ memberId: ids.mario, outcome: 'qualified' }],
        machineIds: [ids.laser],
      }),
    ).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED', fields: { outcomes: expect.any(Array) } },
    });
    const recorded = await lucia.post<TrainingSessionDto>(`/api/training-sessions/${ids.session}/outcomes`, {
      outcomes: [
        { memberId: ids.mario, outcome: 'qualified' },
        { memberId: ids.tom, outcome: 'not-qualified' },
      ],
      machineIds: [ids.laser, ids.cnc],
    });
    expect(recorded).toMatchObject({ status: 200, body: { completedAt: expect.any(String) } });
    expect(recorded.body.trainees.map((t) => [t.memberName, t.outcome])).toEqual([
      ['Mario Rossi', 'qualified'],
      ['Tom Turner', 'not-qualified'],
    ]);
    const authorizations = lab.dataSource.getRepository(Authorization);
    // Mario's laser authorization had expired in 2020: trained again, it is renewed without expiry.
    expect(await authorizations.findOneByOrFail({ memberId: ids.mario, machineId: ids.laser })).toMatchObject(
      {
        status: 'active',
        expiresAt: null,
        grantedById: ids.lucia,
      },
    );
    expect(await authorizations.findOneByOrFail({ memberId: ids.mario, machineId: ids.cnc })).toMatchObject({
      status: 'active',
      grantedById: ids.lucia,
    });
    expect(await authorizations.countBy({ memberId: ids.tom })).toBe(0);
    const history = await lab.dataSource
      .getRepository(AuthorizationChangeEntry)
      .find({ where: { memberId: ids.mario }, order: { id: 'ASC' } });
    expect(history.map((h) => [h.machineId, h.change, h.actorId])).toEqual([
      [ids.laser, 'renewed', ids.lucia],
      [ids.cnc, 'granted', ids.lucia],
    ]);
    const [request] = (await mario.get<TrainingRequestDto[]>('/api/me/training-requests')).body;
    expect(request).toMatchObject({ state: 'done', session: { outcome: 'qualified' } });
    expect(await lucia.patch(`/api/training-sessions/${ids.session}`, { place: 'Elsewhere' })).toMatchObject({
      status: 409,
      body: { code: 'TRAINING_SESSION_COMPLETED' },
    });
    const audit = await lab.dataSource
      .getRepository(AuditEntry)
      .find({ where: { entityType: 'training-session' }, order: { id: 'ASC' } });
    expect(audit.map((a) => [a.action, a.actorLabel])).toEqual([
      ['create', 'lucia@example.org'],
      ['update', 'lucia@example.org'],
      ['record-outcomes', 'lucia@example.org'],
    ]);
  });

  it('a not-qualified trainee’s request goes back to the queue; a member cancels their own', async () => {
    const asked = await tom.post<TrainingRequestDto>('/api/me/training-requests', {
      machineTypeId: ids.printer,
    });
    expect(asked.status).toBe(201);
    const session = await lucia.post<TrainingSessionDto>('/api/training-sessions', {
      machineTypeId: ids.printer,
      startsAt: lab.clock.now().toISOString(),
      place: 'Laser room',
      capacity: 4,
      memberIds: [ids.tom],
    });
    expect(session.body.trainees).toMatchObject([{ memberId: ids.tom, requestId: asked.body.id }]);
    expect(
      await lucia.post(`/api/training-sessions/${session.body.id}/outcomes`, {
        outcomes: [{ memberId: ids.tom, outcome: 'absent' }],
        machineIds: [],
      }),
    ).toMatchObject({ status: 200 });
    const [again] = (await tom.get<TrainingRequestDto[]>('/api/me/training-requests')).body;
    expect(again).toMatchObject({ state: 'open', session: { id: session.body.id, outcome: 'absent' } });
    const queue = await lucia.get<TrainingRequestDto[]>(
      `/api/training-requests?machineTypeId=${ids.printer}`,
    );
    expect(queue.body.map((r) => [r.memberName, r.state])).toEqual([['Tom Turner', 'open']]);

    expect(await mario.post(`/api/me/training-requests/${asked.body.id}/cancel`)).toMatchObject({
      status: 404,
    });
    expect(await tom.post(`/api/me/training-requests/${asked.body.id}/cancel`)).toMatchObject({
      status: 200,
      body: { state: 'cancelled' },
    });
    expect(await tom.post(`/api/me/training-requests/${asked.body.id}/cancel`)).toMatchObject({
      status: 409,
      body: { code: 'TRAINING_REQUEST_CLOSED', params: { state: 'cancelled' } },
    });
  });

  it('starts the machine with the trainee’s card for a supervised first use, the session flagged', async () => {
    const board = await lab.board('012');
    const path = `/api/machines/${ids.laser}/supervised-start`;
    expect(await tom.post(path, { traineeId: ids.mario })).toMatchObject({
      status: 403,
      body: { code: 'NOT_TRAINER_FOR_TYPE' },
    });
    expect(await lucia.post(path, { traineeId: ids.lucia })).toMatchObject({
      status: 400,
      body: { code: 'TRAINER_OWN_TRAINEE' },
    });
    expect(await lucia.post(path, { traineeId: ids.tom })).toMatchObject({
      status: 409,
      body: { code: 'TRAINEE_NOT_AUTHORIZED', params: { member: 'Tom Turner' } },
    });
    const received = board.nextRequest();
    const started = await lucia.post<RemoteCommandResult>(path, { traineeId: ids.mario });
    expect(started).toMatchObject({ status: 202, body: { command: 'start', uid: CARDS.mario } });
    expect((await received).command).toEqual({ request_type: 'start', uid: CARDS.mario });
    // The board logs the trainee in as for a tap, then tells the backend the use started.
    expect(await reply(board.startuse(CARDS.mario))).toMatchObject({ request_ok: true });
    const sessions = lab.dataSource.getRepository(UsageSession);
    const first = await sessions.findOneByOrFail({ machineId: ids.laser, memberId: ids.mario });
    expect(first.trainerId).toBe(ids.lucia);
    const shown = await admin.get<UsageSessionDto>(`/api/usage/${first.id}`);
    expect(shown.body).toMatchObject({ trainerId: ids.lucia, trainerName: 'Lucía Martínez' });
    expect(await reply(board.stopuse(CARDS.mario, 60))).toMatchObject({ request_ok: true });

    // The next use is his own: flagged once.
    lab.clock.advance(5 * 60_000);
    expect(await reply(board.startuse(CARDS.mario))).toMatchObject({ request_ok: true });
    const second = await sessions.findOneOrFail({
      where: { machineId: ids.laser, memberId: ids.mario },
      order: { id: 'DESC' },
    });
    expect(second.id).not.toBe(first.id);
    expect(second.trainerId).toBeNull();
    expect(await reply(board.stopuse(CARDS.mario, 30))).toMatchObject({ request_ok: true });
    const audit = await lab.dataSource
      .getRepository(AuditEntry)
      .findOneByOrFail({ action: 'supervised-start' });
    expect(audit).toMatchObject({
      entityType: 'machine',
      entityId: String(ids.laser),
      actorLabel: 'lucia@example.org',
    });
  });
});
