import type { QueryResult } from '@fabomatic/board-sim';
import type { MemberDeleteResult, MemberDto, MemberEraseResult, Page, RoleDto } from '@fabomatic/contracts';
import { ApiClient } from '../../testing/api-client';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { startTestApp, type TestApp, type TestDatabase, TEST_ADMIN } from '../../testing/test-app';
import { AccessEvent } from '../access-events/access-event.entity';
import { AuditEntry } from '../audit/audit-entry.entity';
import { hashPassword } from '../auth/password-hashing';
import { PortalSession } from '../auth/portal-session.entity';
import { Authorization } from '../authorizations/authorization.entity';
import { Machine } from '../machines/machine.entity';
import { UsageSession } from '../usage/usage-session.entity';
import { csvRows, download, xlsxRows } from '../../testing/exports';
import { Member } from './member.entity';
import { IsNull, Not } from 'typeorm';
import { SWEEP_WRITE_BATCH } from '../../core/database/paced-sweep';
import { UnitOfWork } from '../../core/database/unit-of-work';

const PASSWORD = 'Tessera-Verde-2026';

async function reply(result: Promise<QueryResult>): Promise<Record<string, unknown>> {
  const r = await result;
  if (r.status !== 'reply' || r.reply === null) throw new Error(`expected a reply, got ${JSON.stringify(r)}`);
  return r.reply;
}

/** Members on SQLite; PostgreSQL too, for the search (LIKE escaping, `||`) and the filters. */
describe.each<TestDatabase>(['sqlite', 'postgres'])('members API on %s', (database) => {
  let lab: TestApp;
  let admin: ApiClient;
  let manager: ApiClient;
  const roles = new Map<string, number>();

  const memberByName = async (name: string) =>
    (await lab.dataSource.getRepository(Member).findOneByOrFail({ name })).id;
  const auditOf = (id: number) =>
    lab.dataSource.getRepository(AuditEntry).find({
      where: { entityType: 'member', entityId: String(id) },
      order: { id: 'ASC' },
    });

  beforeAll(async () => {
    lab = await startTestApp({ database, broker: 'embedded', seed: LAB_SEED });
    admin = await adminClient(lab);
    await lab.dataSource
      .getRepository(Member)
      .update({ email: 'staff@example.org' }, { passwordHash: await hashPassword(PASSWORD) });
    manager = new ApiClient(lab.running.httpUrl);
    expect((await manager.login('staff@example.org', PASSWORD)).status).toBe(200);
    const list = await admin.get<Page<RoleDto>>('/api/roles');
    for (const role of list.body.items) roles.set(role.name, role.id);
  });
  afterAll(() => lab?.stop());

  it('lists members page by page, without deleted ones, never with a password hash', async () => {
    const first = await admin.get<Page<MemberDto>>('/api/members?pageSize=2&sort=name');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: 6, page: 1, pageSize: 2 });
    expect(first.body.items.map((m) => m.name)).toEqual(['Ada', 'Admin']);
    const third = await admin.get<Page<MemberDto>>('/api/members?pageSize=2&page=3&sort=name');
    expect(third.body.items.map((m) => m.name)).toEqual(['Mario', 'Stefano']);
    const ada = first.body.items[0];
    expect(ada).toMatchObject({
      surname: 'Admin',
      email: 'admin@example.org',
      cardUid: CARDS.admin,
      roleName: 'Admins',
      portalAccess: 'admin',
      hasPassword: false,
      deleted: false,
      erased: false,
      language: 'en',
    });
    expect(JSON.stringify(first.body)).not.toContain('passwordHash');
    const boss = first.body.items[1];
    expect(boss).toMatchObject({ email: 'boss@example.org', hasPassword: true });
    const desc = await admin.get<Page<MemberDto>>('/api/members?sort=surname&order=desc&pageSize=1');
    expect(desc.body.items[0]?.surname).toBe('Staff');
    expect((await admin.get('/api/members?sort=passwordHash')).body).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('searches name, surname, full name, email and card, and filters', async () => {
    const names = async (query: string) =>
      (await admin.get<Page<MemberDto>>(`/api/members?${query}`)).body.items.map((m) => m.name).sort();
    expect(await names('q=ROSSI')).toEqual(['Mario']);
    expect(await names('q=mario%20rossi')).toEqual(['Mario']);
    expect(await names('q=staff%40example')).toEqual(['Stefano']);
    expect(await names(`q=${CARDS.lucia.slice(0, 6)}`)).toEqual(['Lucía']);
    // LIKE wildcards are searched for literally.
    expect(await names('q=%25')).toEqual([]);
    expect(await names('q=_')).toEqual([]);
    expect(await names(`roleId=${roles.get('Fab Users')}`)).toEqual(['Dora', 'Lucía', 'Mario']);
    expect(await names('disabled=true')).toEqual(['Dora']);
    expect(await names('hasCard=false')).toEqual(['Admin']);
    expect((await admin.get('/api/members?disabled=maybe')).body).toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: { disabled: expect.any(Array) },
    });
  });

  it('creates a member with a normalised card and lower-cased email, refusing duplicates', async () => {
    const created = await manager.post<MemberDto>('/api/members', {
      name: ' Giulia ',
      surname: 'Bianchi',
      email: 'Giulia.Bianchi@Example.org',
      roleId: roles.get('Fab Users'),
      cardUid: ' 0A0B0C0D ',
      language: 'it',
      receiveWeeklySummary: true,
    });
    expect(created).toMatchObject({
      status: 201,
      body: {
        name: 'Giulia',
        email: 'giulia.bianchi@example.org',
        cardUid: '0a0b0c0d',
        roleName: 'Fab Users',
        portalAccess: 'none',
        language: 'it',
        receiveWeeklySummary: true,
        disabled: false,
        hasPassword: false,
      },
    });
    const id = created.body.id;
    expect(await admin.get(`/api/members/${id}`)).toMatchObject({ status: 200, body: { id } });
    // A clash names the field and the member who has the value.
    expect(
      await manager.post('/api/members', {
        name: 'X',
        roleId: roles.get('Fab Users'),
        email: 'GIULIA.bianchi@example.org',
      }),
    ).toMatchObject({
      status: 409,
      body: { code: 'MEMBER_EMAIL_TAKEN', params: { field: 'email', member: 'Giulia Bianchi' } },
    });
    expect(
      await manager.post('/api/members', { name: 'X', roleId: roles.get('Fab Users'), cardUid: '0A0B0C0D' }),
    ).toMatchObject({
      status: 409,
      body: {
        code: 'CARD_TAKEN',
        params: { field: 'cardUid', card: '0a0b0c0d', member: 'Giulia Bianchi' },
      },
    });
    const bad = await manager.post('/api/members', {
      name: '',
      roleId: 'one',
      cardUid: '12345',
      email: 'nope',
      language: 'fr',
      passwordHash: 'x',
    });
    expect(bad.status).toBe(400);
    expect(Object.keys((bad.body as { fields: object }).fields).sort()).toEqual(
      ['cardUid', 'email', 'language', 'name', 'passwordHash', 'roleId'].sort(),
    );
    expect(await manager.post('/api/members', { name: 'X', roleId: 9999 })).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED', fields: { roleId: expect.any(Array) } },
    });

    const updated = await manager.patch<MemberDto>(`/api/members/${id}`, {
      surname: 'Verdi',
      cardUid: null,
      email: null,
    });
    expect(updated).toMatchObject({
      status: 200,
      body: { surname: 'Verdi', cardUid: null, email: null, name: 'Giulia' },
    });
    expect(await manager.patch(`/api/members/${id}`, { name: null })).toMatchObject({ status: 400 });
    expect(await manager.patch(`/api/members/${id}`, { cardUid: CARDS.mario })).toMatchObject({
      status: 409,
      body: { code: 'CARD_TAKEN', params: { member: 'Mario Rossi' } },
    });
    expect(await manager.patch('/api/members/99999', { surname: 'x' })).toMatchObject({ status: 404 });

    const audit = await auditOf(id);
    expect(audit.map((a) => [a.action, a.actorLabel])).toEqual([
      ['create', 'staff@example.org'],
      ['update', 'staff@example.org'],
    ]);
    expect(audit[1]?.before).toMatchObject({ surname: 'Bianchi', cardUid: '0a0b0c0d' });
    expect(audit[1]?.after).toMatchObject({ surname: 'Verdi', cardUid: null });
  });

  it('lets only admins create or change members with manager or admin access (no privilege escalation)', async () => {
    const adminRole = roles.get('Admins');
    const staffRole = roles.get('Fab Staff');
    for (const roleId of [adminRole, staffRole]) {
      expect(await manager.post('/api/members', { name: 'Eve', roleId })).toMatchObject({
        status: 403,
        body: { code: 'FORBIDDEN' },
      });
    }
    const mario = await memberByName('Mario');
    expect(await manager.patch(`/api/members/${mario}`, { roleId: adminRole })).toMatchObject({
      status: 403,
    });
    const ada = await memberByName('Ada');
    expect(await manager.patch(`/api/members/${ada}`, { surname: 'Hacked' })).toMatchObject({ status: 403 });
    expect(await manager.delete(`/api/members/${ada}`)).toMatchObject({ status: 403 });
    // A manager cannot even edit themselves (their role has manager access).
    const stefano = await memberByName('Stefano');
    expect(await manager.patch(`/api/members/${stefano}`, { surname: 'Boss' })).toMatchObject({
      status: 403,
    });
    expect((await lab.dataSource.getRepository(Member).findOneByOrFail({ id: mario })).roleId).toBe(
      roles.get('Fab Users'),
    );

    const promoted = await admin.post<MemberDto>('/api/members', { name: 'Nina', roleId: staffRole });
    expect(promoted).toMatchObject({ status: 201, body: { portalAccess: 'manager' } });
    expect(
      await admin.patch(`/api/members/${promoted.body.id}`, { roleId: roles.get('Fab Users') }),
    ).toMatchObject({
      status: 200,
      body: { portalAccess: 'none' },
    });
  });

  it('refuses a disabled member at the boards within the same second', async () => {
    const board = await lab.board('1');
    const mario = await memberByName('Mario');
    expect(await reply(board.checkuser(CARDS.mario))).toMatchObject({ is_valid: true, level: 1 });
    expect(await manager.patch(`/api/members/${mario}`, { disabled: true })).toMatchObject({
      status: 200,
      body: { disabled: true },
    });
    expect(await reply(board.checkuser(CARDS.mario))).toMatchObject({
      request_ok: true,
      is_valid: false,
      level: 0,
    });
    expect(await manager.patch(`/api/members/${mario}`, { disabled: false })).toMatchObject({ status: 200 });
    expect(await reply(board.checkuser(CARDS.mario))).toMatchObject({ is_valid: true, level: 1 });
  });

  it('soft-deletes: keeps history, releases the card, ends portal sessions; restores; then erases', async () => {
    const members = lab.dataSource.getRepository(Member);
    const created = await admin.post<MemberDto>('/api/members', {
      name: 'Paolo',
      surname: 'Neri',
      email: 'paolo@example.org',
      roleId: roles.get('Fab Staff'),
      cardUid: 'CAFEBABE',
    });
    const id = created.body.id;
    await members.update(id, { passwordHash: await hashPassword(PASSWORD) });
    const paolo = new ApiClient(lab.running.httpUrl);
    expect((await paolo.login('paolo@example.org', PASSWORD)).status).toBe(200);
    const prusa = await lab.dataSource.getRepository(Machine).findOneByOrFail({ topicId: '1' });
    // A remote start records Paolo's card in a machine's audit entry.
    expect((await paolo.post(`/api/machines/${prusa.id}/start`)).status).toBe(202);
    await lab.dataSource
      .getRepository(Authorization)
      .insert({ memberId: id, machineId: prusa.id, expiresAt: null });
    const now = Date.now();
    await lab.dataSource.getRepository(UsageSession).insert({
      memberId: id,
      machineId: prusa.id,
      startedAt: new Date(now - 3_600_000),
      lastSeenAt: new Date(now - 1_800_000),
      endedAt: new Date(now - 1_800_000),
      endReason: 'stopuse',
    });
    await lab.dataSource.getRepository(AccessEvent).insert({
      occurredAt: new Date(now),
      topicId: '1',
      machineId: prusa.id,
      cardUid: 'cafebabe',
      memberId: id,
      action: 'checkuser',
      reason: 'granted',
      granted: true,
      level: 2,
    });

    expect(await admin.post(`/api/members/${id}/erase`)).toMatchObject({
      status: 409,
      body: { code: 'MEMBER_NOT_DELETED' },
    });
    const deleted = await admin.delete<MemberDeleteResult>(`/api/members/${id}`);
    expect(deleted).toMatchObject({
      status: 200,
      body: { sessions: 1, authorizations: 1, interventions: 0, portalSessionsEnded: 1 },
    });
    expect((await paolo.get('/api/auth/me')).status).toBe(401);
    expect(await lab.dataSource.getRepository(PortalSession).countBy({ memberId: id })).toBe(0);
    expect(await admin.get(`/api/members/${id}`)).toMatchObject({
      body: { deleted: true, erased: false, cardUid: null, email: 'paolo@example.org' },
    });
    const listed = await admin.get<Page<MemberDto>>('/api/members?deleted=true');
    expect(listed.body.items.map((m) => m.id)).toEqual([id]);
    expect((await admin.get<Page<MemberDto>>('/api/members?q=paolo')).body.total).toBe(0);
    // The card is free again; the email is still held by the deleted member.
    expect(
      await manager.post('/api/members', {
        name: 'Q',
        roleId: roles.get('Fab Users'),
        email: 'paolo@example.org',
      }),
    ).toMatchObject({
      status: 409,
      body: { code: 'MEMBER_EMAIL_OF_DELETED', params: { field: 'email', member: 'Paolo Neri' } },
    });
    const reuse = await manager.post<MemberDto>('/api/members', {
      name: 'Quinto',
      roleId: roles.get('Fab Users'),
      cardUid: 'cafebabe',
    });
    expect(reuse).toMatchObject({ status: 201, body: { cardUid: 'cafebabe' } });
    expect(await admin.delete(`/api/members/${id}`)).toMatchObject({
      status: 409,
      body: { code: 'MEMBER_ALREADY_DELETED' },
    });
    expect(await admin.patch(`/api/members/${id}`, { surname: 'x' })).toMatchObject({
      status: 409,
      body: { code: 'MEMBER_IS_DELETED' },
    });

    expect(await admin.post<MemberDto>(`/api/members/${id}/restore`)).toMatchObject({
      status: 200,
      body: { deleted: false, deletedAt: null, cardUid: null },
    });
    expect(await admin.post(`/api/members/${id}/restore`)).toMatchObject({
      status: 409,
      body: { code: 'MEMBER_NOT_DELETED' },
    });
    expect((await admin.delete(`/api/members/${id}`)).status).toBe(200);

    expect(await manager.post(`/api/members/${id}/erase`)).toMatchObject({ status: 403 });
    const erased = await admin.post<MemberEraseResult>(`/api/members/${id}/erase`);
    expect(erased).toMatchObject({
      status: 200,
      body: { sessions: 1, authorizations: 1, interventions: 0, authorizationsDeleted: 1 },
    });
    const row = await members.findOneByOrFail({ id });
    expect(row).toMatchObject({
      name: 'Erased',
      surname: '',
      email: null,
      cardUid: null,
      passwordHash: null,
    });
    expect(await lab.dataSource.getRepository(UsageSession).countBy({ memberId: id })).toBe(1);
    expect(await lab.dataSource.getRepository(Authorization).countBy({ memberId: id })).toBe(0);
    expect(await lab.dataSource.getRepository(AccessEvent).findOneByOrFail({ memberId: id })).toMatchObject({
      cardUid: null,
    });
    expect(await admin.get(`/api/members/${id}`)).toMatchObject({ body: { erased: true, name: 'Erased' } });
    // His card is gone from every entry of his, whatever its type; Quinto's own entries keep the card.
    const auditLog = lab.dataSource.getRepository(AuditEntry);
    const his = [
      ...(await auditLog.findBy({ actorMemberId: id })),
      ...(await auditLog.findBy({ entityType: 'member', entityId: String(id) })),
    ];
    expect(his.map((e) => e.action)).toEqual(expect.arrayContaining(['remote-start', 'erase']));
    expect(his.filter((e) => JSON.stringify([e.before, e.after]).toLowerCase().includes('cafebabe'))).toEqual(
      [],
    );
    const quinto = await auditLog.findBy({ entityType: 'member', entityId: String(reuse.body.id) });
    expect(JSON.stringify(quinto.map((e) => e.after))).toContain('cafebabe');
    expect(await admin.post(`/api/members/${id}/restore`)).toMatchObject({
      status: 409,
      body: { code: 'MEMBER_ERASED' },
    });
    expect(await admin.post(`/api/members/${id}/erase`)).toMatchObject({
      status: 409,
      body: { code: 'MEMBER_ALREADY_ERASED' },
    });
    // The email is free once erased.
    expect(
      (
        await manager.post('/api/members', {
          name: 'P',
          roleId: roles.get('Fab Users'),
          email: 'paolo@example.org',
        })
      ).status,
    ).toBe(201);

    const audit = await auditOf(id);
    expect(audit.map((a) => a.action)).toEqual(['create', 'delete', 'restore', 'delete', 'erase']);
    expect(JSON.stringify(audit.at(-1))).not.toContain('Paolo');
  });

  it("erases years of taps in small transactions: no card UID left, other members' taps untouched", async () => {
    const created = await admin.post<MemberDto>('/api/members', {
      name: 'Rita',
      surname: 'Longa',
      roleId: roles.get('Fab Users'),
      cardUid: 'D00DFEED',
    });
    const id = created.body.id;
    const prusa = await lab.dataSource.getRepository(Machine).findOneByOrFail({ topicId: '1' });
    const events = lab.dataSource.getRepository(AccessEvent);
    const n = 2 * SWEEP_WRITE_BATCH.max + 37;
    const now = Date.now();
    const tap = (at: number, memberId: number | null, cardUid: string) => ({
      occurredAt: new Date(at),
      topicId: '1',
      machineId: prusa.id,
      cardUid,
      memberId,
      action: 'checkuser' as const,
      reason: 'granted' as const,
      granted: true,
      level: 1,
    });
    // Two taps a second, so that batch boundaries fall between taps of the same time.
    for (let i = 0; i < n; i += 200) {
      await events.insert(
        Array.from({ length: Math.min(200, n - i) }, (_, k) =>
          tap(now - 3 * 365 * 86_400_000 + Math.floor((i + k) / 2) * 1000, id, 'd00dfeed'),
        ),
      );
    }
    const other = await events.save(tap(now - 1000, null, 'feedd00d'));
    expect((await admin.delete(`/api/members/${id}`)).status).toBe(200);
    const uow = lab.running.app.get(UnitOfWork);
    const run = uow.run.bind(uow);
    // A deleted member's card is still refused and logged: before every transaction of the erase, a
    // tap of theirs comes in, dated in the past (a board's replay), behind where the sweep has got to.
    let late = 0;
    const transactions = jest.spyOn(uow, 'run').mockImplementation(async (work) => {
      await events.insert(tap(now - 2 * 365 * 86_400_000 + late++ * 1000, id, 'd00dfeed'));
      return run(work);
    });
    try {
      expect((await admin.post<MemberEraseResult>(`/api/members/${id}/erase`)).status).toBe(200);
      expect(transactions.mock.calls.length).toBeGreaterThanOrEqual(Math.ceil(n / SWEEP_WRITE_BATCH.max) + 1);
    } finally {
      transactions.mockRestore();
    }
    expect(late).toBeGreaterThan(2);
    expect(await events.countBy({ memberId: id })).toBe(n + late);
    expect(await events.countBy({ memberId: id, cardUid: Not(IsNull()) })).toBe(0);
    expect(await events.findOneByOrFail({ id: other.id })).toMatchObject({ cardUid: 'feedd00d' });
  });

  it('refuses to delete or disable oneself', async () => {
    const me = (await admin.get<{ id: number }>('/api/auth/me')).body.id;
    expect(await admin.delete(`/api/members/${me}`)).toMatchObject({
      status: 409,
      body: { code: 'CANNOT_DELETE_SELF' },
    });
    expect(await admin.patch(`/api/members/${me}`, { disabled: true })).toMatchObject({
      status: 409,
      body: { code: 'CANNOT_CHANGE_OWN_ACCESS' },
    });
    expect(await admin.patch(`/api/members/${me}`, { language: 'it' })).toMatchObject({
      status: 200,
      body: { language: 'it' },
    });
  });

  it('exports the filtered members as CSV and XLSX, without secrets', async () => {
    const csv = await manager.get<string>(`/api/members/export?format=csv&roleId=${roles.get('Fab Users')}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const rows = csvRows(csv.body);
    expect(rows.map((r) => r['name'])).toEqual(expect.arrayContaining(['Dora', 'Lucía', 'Mario']));
    expect(rows.every((r) => r['role'] === 'Fab Users')).toBe(true);
    expect(rows.find((r) => r['name'] === 'Mario')).toMatchObject({ surname: 'Rossi', card: CARDS.mario });
    expect(csv.body).not.toMatch(/password|scrypt/i);
    expect((await admin.get('/api/members/export?format=pdf')).status).toBe(400);

    const xlsx = await download(lab.running.httpUrl, TEST_ADMIN, '/api/members/export?format=xlsx&q=rossi');
    expect(xlsx.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const sheet = await xlsxRows(xlsx);
    expect(sheet).toHaveLength(2);
    expect(sheet[0]?.slice(0, 3)).toEqual(['id', 'name', 'surname']);
    expect(sheet[1]?.slice(1, 3)).toEqual(['Mario', 'Rossi']);
  });
});
