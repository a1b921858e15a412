import type { QueryResult } from '@fabomatic/board-sim';
import type {
  BoardConnectionDto,
  MachineDto,
  MachineTypeDto,
  MemberDto,
  Page,
  RoleDto,
  SetupProgressDto,
} from '@fabomatic/contracts';
import { createDataSource } from '../../core/database/data-source';
import { createScratchDatabase, type ScratchDatabase } from '../../core/database/scratch-database';
import { ApiClient } from '../../testing/api-client';
import { adminClient } from '../../testing/portal';
import { BOARD_ACCOUNT, startTestApp, TEST_ADMIN, type TestApp } from '../../testing/test-app';
import { hashPassword } from '../auth/password-hashing';
import { Member } from '../members/member.entity';
import { Role } from '../roles/role.entity';

const PASSWORD = 'Setup-Pass-2026';

async function reply(result: Promise<QueryResult>): Promise<Record<string, unknown>> {
  const r = await result;
  if (r.status !== 'reply' || r.reply === null) throw new Error(`expected a reply, got ${JSON.stringify(r)}`);
  return r.reply;
}

const done = (progress: SetupProgressDto) =>
  Object.fromEntries(progress.steps.map(({ step, done: isDone }) => [step, isDone]));

async function roles(client: ApiClient): Promise<Page<RoleDto>['items']> {
  return (await client.get<Page<RoleDto>>('/api/roles?pageSize=100&sort=name')).body.items;
}

/** Issue 12, "A setup path": default roles on a fresh install only, and the first-start checklist. */
describe('first start: a fresh install (PostgreSQL, no seed)', () => {
  let lab: TestApp;
  let admin: ApiClient;

  beforeAll(async () => {
    lab = await startTestApp({ database: 'postgres', broker: 'embedded' });
    admin = await adminClient(lab);
  });
  afterAll(() => lab?.stop());

  it('starts with the default roles, the bootstrap admin in Admins', async () => {
    expect(
      (await roles(admin)).map(({ name, authorizeAll, maintenance, portalAccess }) => ({
        name,
        authorizeAll,
        maintenance,
        portalAccess,
      })),
    ).toEqual([
      { name: 'Admins', authorizeAll: true, maintenance: true, portalAccess: 'admin' },
      { name: 'Maintainers', authorizeAll: false, maintenance: true, portalAccess: 'member' },
      { name: 'Members', authorizeAll: false, maintenance: false, portalAccess: 'member' },
      { name: 'Staff', authorizeAll: false, maintenance: false, portalAccess: 'manager' },
    ]);
    const members = (await admin.get<Page<MemberDto>>('/api/members')).body.items;
    expect(members).toEqual([expect.objectContaining({ email: TEST_ADMIN.email, roleName: 'Admins' })]);
  });

  it('lets staff only read the setup progress', async () => {
    const byName = new Map((await roles(admin)).map((r) => [r.name, r.id]));
    const viewers = await admin.post<RoleDto>('/api/roles', {
      name: 'Viewers',
      authorizeAll: false,
      maintenance: false,
      portalAccess: 'read-only',
    });
    const people = lab.dataSource.getRepository(Member);
    const passwordHash = await hashPassword(PASSWORD);
    for (const [email, roleId] of [
      ['viewer@example.org', viewers.body.id],
      ['staff@example.org', byName.get('Staff')],
    ] as const) {
      await people.save(people.create({ name: email, surname: '', email, roleId, passwordHash }));
    }
    expect((await new ApiClient(lab.running.httpUrl).get('/api/setup/progress')).status).toBe(401);
    const viewer = new ApiClient(lab.running.httpUrl);
    expect((await viewer.login('viewer@example.org', PASSWORD)).status).toBe(200);
    expect(await viewer.get('/api/setup/progress')).toMatchObject({
      status: 403,
      body: { code: 'FORBIDDEN' },
    });
    const staff = new ApiClient(lab.running.httpUrl);
    expect((await staff.login('staff@example.org', PASSWORD)).status).toBe(200);
    expect((await staff.get('/api/setup/progress')).status).toBe(200);
    // The helpers of this test leave no trace the checklist would count.
    await people.delete({ email: 'viewer@example.org' });
    await people.delete({ email: 'staff@example.org' });
    expect((await admin.delete(`/api/roles/${viewers.body.id}`)).status).toBe(204);
  });

  it('ticks the checklist off from the lab data, up to a board on a machine, and tells how to connect it', async () => {
    const progress = async () => (await admin.get<SetupProgressDto>('/api/setup/progress')).body;
    // The default roles are there: the role step is the only one done.
    expect(await progress()).toEqual({
      steps: [
        { step: 'machine-type', done: false },
        { step: 'machine', done: false },
        { step: 'role', done: true },
        { step: 'member', done: false },
        { step: 'authorization', done: false },
        { step: 'board', done: false },
      ],
      complete: false,
    });

    const type = (
      await admin.post<MachineTypeDto>('/api/machine-types', {
        name: 'Printers',
        autoLogoffMinutes: 120,
        graceMinutes: 0,
        accessManagement: 'authorization',
      })
    ).body;
    expect(done(await progress())).toMatchObject({ 'machine-type': true, machine: false });
    const machine = (
      await admin.post<MachineDto>('/api/machines', { topicId: '7', name: 'Prusa', typeId: type.id })
    ).body;
    expect(done(await progress())).toMatchObject({ machine: true, member: false });

    // A member without a card cannot tap yet; with one, they can.
    const membersRole = (await roles(admin)).find((r) => r.name === 'Members');
    const mario = (
      await admin.post<MemberDto>('/api/members', { name: 'Mario', roleId: membersRole?.id, cardUid: null })
    ).body;
    expect(done(await progress())).toMatchObject({ member: false });
    expect((await admin.patch(`/api/members/${mario.id}`, { cardUid: 'AABBCCD1' })).status).toBe(200);
    expect(done(await progress())).toMatchObject({ member: true, authorization: false });

    expect(
      (await admin.post('/api/authorizations', { memberId: mario.id, machineId: machine.id })).status,
    ).toBe(201);
    expect(await progress()).toMatchObject({ complete: false });
    expect(done(await progress())).toMatchObject({ authorization: true, board: false });

    // How the machine's board connects: the broker as boards reach it, the topic, the credentials.
    const connection = await admin.get<BoardConnectionDto>(`/api/machines/${machine.id}/board-connection`);
    expect(connection.body).toEqual({
      machineId: machine.id,
      topicId: '7',
      topic: `${lab.topicRoot}/7`,
      broker: {
        host: '127.0.0.1',
        hostSource: 'broker',
        port: lab.running.broker?.port,
        tls: false,
        embedded: true,
      },
      credentials: 'shared',
      username: BOARD_ACCOUNT.username,
      accountIssuedAt: null,
    });
    // With its own account issued on the Boards page, the board uses that one.
    expect((await admin.post('/api/board-accounts/7', {})).status).toBe(201);
    expect(
      (await admin.get<BoardConnectionDto>(`/api/machines/${machine.id}/board-connection`)).body,
    ).toMatchObject({ credentials: 'board-account', username: '7', accountIssuedAt: expect.any(String) });
    expect((await admin.delete('/api/board-accounts/7')).status).toBe(204);
    expect((await admin.get('/api/machines/999999/board-connection')).status).toBe(404);

    // The board connects and Mario taps: granted, and the checklist is complete.
    // Like the firmware: `alive` on connecting, `checkmachine`, then the tap.
    const board = await lab.board('7');
    await board.alive('a1b2c3d4e5f6');
    expect(await reply(board.checkmachine())).toMatchObject({ is_valid: true });
    expect(await reply(board.checkuser('aabbccd1'))).toMatchObject({ is_valid: true });
    let last = await progress();
    for (let i = 0; i < 50 && !last.complete; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      last = await progress();
    }
    expect(last).toMatchObject({ complete: true });
  });
});

describe('no default roles on a database that is not fresh', () => {
  let scratch: ScratchDatabase;
  let lab: TestApp | undefined;
  afterEach(async () => {
    await lab?.stop();
    lab = undefined;
    await scratch?.drop();
  });

  /** A database as an earlier version, or a legacy import, left it: migrated, with `roles`. */
  async function existingDatabase(roleRows: Partial<Role>[], withAdmin: boolean): Promise<string> {
    scratch = await createScratchDatabase('sqlite');
    const ds = createDataSource({ DATABASE_URL: scratch.url, SQLITE_SYNCHRONOUS: 'NORMAL' });
    await ds.initialize();
    try {
      await ds.runMigrations();
      const saved = await ds.getRepository(Role).save(roleRows.map((r) => ds.getRepository(Role).create(r)));
      if (withAdmin) {
        await ds.getRepository(Member).save(
          ds.getRepository(Member).create({
            name: 'Old',
            surname: 'Admin',
            email: 'old-admin@example.org',
            roleId: saved[0]?.id,
            passwordHash: await hashPassword(PASSWORD),
          }),
        );
      }
    } finally {
      await ds.destroy();
    }
    return scratch.url;
  }

  it('an upgraded database keeps its roles and admin: no defaults, no bootstrap admin', async () => {
    const url = await existingDatabase(
      [{ name: 'Lab admins', portalAccess: 'admin' }, { name: 'Users' }],
      true,
    );
    lab = await startTestApp({ database: 'sqlite', broker: 'embedded', env: { DATABASE_URL: url } });
    const old = new ApiClient(lab.running.httpUrl);
    expect((await old.login('old-admin@example.org', PASSWORD)).status).toBe(200);
    expect((await roles(old)).map((r) => r.name)).toEqual(['Lab admins', 'Users']);
    // The checklist reads SQLite the same way.
    expect(done((await old.get<SetupProgressDto>('/api/setup/progress')).body)).toEqual({
      'machine-type': false,
      machine: false,
      role: true,
      member: false,
      authorization: false,
      board: false,
    });
  });

  it('a legacy import without a portal role gets its bootstrap admin in "Admins", and no other default', async () => {
    const url = await existingDatabase([{ name: 'fab users' }, { name: 'staff', maintenance: true }], false);
    lab = await startTestApp({ database: 'sqlite', broker: 'embedded', env: { DATABASE_URL: url } });
    const admin = await adminClient(lab);
    expect((await roles(admin)).map((r) => r.name)).toEqual(['Admins', 'fab users', 'staff']);
  });
});
