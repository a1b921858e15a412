import type { AuditEntryDto, MemberDto, Page } from '@fabomatic/contracts';
import { ApiClient } from '../../testing/api-client';
import { LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { startTestApp, type TestApp, type TestDatabase, TEST_ADMIN } from '../../testing/test-app';
import { hashPassword } from '../auth/password-hashing';
import { csvRows, download, xlsxRows } from '../../testing/exports';
import { Member } from '../members/member.entity';
import { AuditEntry } from './audit-entry.entity';

const PASSWORD = 'Tessera-Verde-2026';

// Both databases: the names are read by id lists, in each one's SQL.
describe.each<TestDatabase>(['sqlite', 'postgres'])('audit log API on %s', (database) => {
  let lab: TestApp;
  let admin: ApiClient;
  let manager: ApiClient;
  let adminId: number;
  let staffId: number;
  let memberId: number;

  const list = async (query = '') => {
    const response = await admin.get<Page<AuditEntryDto>>(`/api/audit?${query}`);
    expect(response.status).toBe(200);
    return response.body;
  };

  beforeAll(async () => {
    lab = await startTestApp({ database, broker: 'embedded', seed: LAB_SEED });
    admin = await adminClient(lab);
    const members = lab.dataSource.getRepository(Member);
    await members.update({ email: 'staff@example.org' }, { passwordHash: await hashPassword(PASSWORD) });
    manager = new ApiClient(lab.running.httpUrl);
    expect((await manager.login('staff@example.org', PASSWORD)).status).toBe(200);
    adminId = (await admin.get<{ id: number }>('/api/auth/me')).body.id;
    staffId = (await members.findOneByOrFail({ email: 'staff@example.org' })).id;
    const roles = await admin.get<Page<{ id: number; name: string }>>('/api/roles?q=fab%20users');
    const created = await admin.post<MemberDto>('/api/members', {
      name: 'Audit',
      surname: 'Trail',
      roleId: roles.body.items[0]?.id,
    });
    memberId = created.body.id;
    expect((await manager.patch(`/api/members/${memberId}`, { surname: 'Changed' })).status).toBe(200);
    // An entry from an hour ago, written by the system.
    lab.clock.advance(-3_600_000);
    await lab.dataSource.getRepository(AuditEntry).insert({
      occurredAt: lab.clock.now(),
      actorMemberId: null,
      actorLabel: 'system',
      action: 'purge',
      entityType: 'usage',
      entityId: null,
      before: null,
      after: { sessions: 3 },
    });
    lab.clock.advance(3_600_000);
  });
  afterAll(() => lab?.stop());

  it('lists entries newest first, paginated, for admins only', async () => {
    const page = await list('pageSize=2');
    expect(page.total).toBeGreaterThanOrEqual(3);
    expect(page.items[0]).toMatchObject({
      action: 'update',
      entityType: 'member',
      entityId: String(memberId),
      actorMemberId: staffId,
      actorLabel: 'staff@example.org',
      before: expect.objectContaining({ surname: 'Trail' }),
      after: expect.objectContaining({ surname: 'Changed' }),
    });
    expect(page.items[1]).toMatchObject({ action: 'create', actorMemberId: adminId });
    const oldest = await list('order=asc&pageSize=1');
    expect(oldest.items[0]).toMatchObject({ action: 'purge', actorLabel: 'system' });
    expect((await manager.get('/api/audit')).status).toBe(403);
  });

  it('filters by entity, actor, date range and text', async () => {
    expect((await list(`entityType=member&entityId=${memberId}`)).items.map((e) => e.action)).toEqual([
      'update',
      'create',
    ]);
    expect((await list(`actor=${staffId}`)).items.map((e) => e.action)).toEqual(['update']);
    const hourAgo = new Date(Date.now() - 1_800_000).toISOString();
    const recent = await list(`from=${hourAgo}`);
    expect(recent.items.map((e) => e.action)).not.toContain('purge');
    const older = await list(`to=${hourAgo}`);
    expect(older.items.map((e) => e.action)).toEqual(['purge']);
    expect((await list('q=SYSTEM')).items.map((e) => e.action)).toEqual(['purge']);
    expect((await admin.get('/api/audit?from=yesterday')).status).toBe(400);
    expect((await admin.get('/api/audit?actor=x')).status).toBe(400);
  });

  it('names who acted and what they acted on, reading only the rows the page refers to', async () => {
    const [update, create] = (await list(`entityType=member&entityId=${memberId}`)).items;
    expect(update).toMatchObject({ actorName: 'Stefano Staff', entityName: 'Audit Changed' });
    expect(create).toMatchObject({ actorMemberId: adminId, entityName: 'Audit Changed' });
    expect(create?.actorName).toEqual(expect.any(String));
    const purge = (await list('q=system')).items[0];
    expect(purge).toMatchObject({ actorName: null, entityName: null });

    // An authorization reads as its member and machine; a deleted machine keeps the name it had.
    const machine = await admin.post<{ id: number }>('/api/machines', {
      topicId: '777',
      name: 'Laser Audit',
    });
    expect(machine.status).toBe(201);
    const granted = await admin.post<{ id: number }>('/api/authorizations', {
      memberId,
      machineId: machine.body.id,
    });
    expect(granted.status).toBe(201);
    const authorization = (await list(`entityType=authorization&entityId=${granted.body.id}`)).items[0];
    expect(authorization?.entityName).toBe('Audit Changed · Laser Audit');
    expect((await admin.delete(`/api/machines/${machine.body.id}?confirm=true`)).status).toBe(200);
    const machineEntries = (await list(`entityType=machine&entityId=${machine.body.id}`)).items;
    expect(machineEntries.map((e) => [e.action, e.entityName])).toEqual([
      ['delete', 'Laser Audit'],
      ['create', 'Laser Audit'],
    ]);
    const csv = csvRows(
      (await admin.get<string>(`/api/audit/export?entityType=member&entityId=${memberId}`)).body,
    );
    expect(csv[0]).toMatchObject({ 'actor name': 'Stefano Staff', 'entity name': 'Audit Changed' });
  });

  it('has no write routes (append-only)', async () => {
    const entry = (await list('pageSize=1')).items[0];
    expect((await admin.post('/api/audit', {})).status).toBe(404);
    expect((await admin.patch(`/api/audit/${entry?.id}`, {})).status).toBe(404);
    expect((await admin.delete(`/api/audit/${entry?.id}`)).status).toBe(404);
  });

  it('exports the filtered log as CSV and XLSX', async () => {
    const csv = await admin.get<string>(`/api/audit/export?entityType=member&entityId=${memberId}`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const rows = csvRows(csv.body);
    expect(rows.map((r) => r['action'])).toEqual(['update', 'create']);
    expect(JSON.parse(rows[0]?.['after'] ?? '{}')).toMatchObject({ surname: 'Changed' });
    expect(csv.body).not.toMatch(/passwordHash/);
    expect((await manager.get('/api/audit/export')).status).toBe(403);
    const sheet = await xlsxRows(
      await download(lab.running.httpUrl, TEST_ADMIN, '/api/audit/export?format=xlsx&actor=' + staffId),
    );
    expect(sheet).toHaveLength(2);
    expect(sheet[1]?.[4]).toBe('update');
  });

  it('keeps no personal data of a GDPR-erased member, neither in their entries nor as an actor', async () => {
    const members = lab.dataSource.getRepository(Member);
    const staff = await members.findOneByOrFail({ id: staffId });
    const created = await admin.post<MemberDto>('/api/members', {
      name: 'Ginevra',
      surname: 'Quattrocchi',
      email: 'ginevra.q@example.org',
      cardUid: 'c0ffee42',
      roleId: staff.roleId,
    });
    expect(created.status).toBe(201);
    const gina = created.body.id;
    await members.update({ id: gina }, { passwordHash: await hashPassword(PASSWORD) });
    const ginaClient = new ApiClient(lab.running.httpUrl);
    expect((await ginaClient.login('ginevra.q@example.org', PASSWORD)).status).toBe(200);
    expect((await ginaClient.patch(`/api/members/${memberId}`, { surname: 'By Gina' })).status).toBe(200);
    expect((await admin.patch(`/api/members/${gina}`, { surname: 'Quattrocchi-Rossi' })).status).toBe(200);
    expect((await admin.delete(`/api/members/${gina}`)).status).toBe(200);
    expect((await admin.post(`/api/members/${gina}/erase`)).status).toBe(200);

    const log = JSON.stringify((await list('pageSize=100')).items);
    expect(log).not.toMatch(/ginevra|quattrocchi|c0ffee42/i);
    const own = (await list(`entityType=member&entityId=${gina}&order=asc`)).items;
    expect(own.map((e) => e.action)).toEqual(['create', 'update', 'delete', 'erase']);
    expect(own[0]?.after).toMatchObject({ name: '[erased]', surname: '[erased]', email: '[erased]' });
    expect(own[0]?.after).toMatchObject({ cardUid: '[erased]', roleId: staff.roleId });
    // What they did stays, signed by their number.
    const done = (await list(`actor=${gina}`)).items;
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({
      action: 'update',
      entityId: String(memberId),
      actorLabel: `erased member #${gina}`,
      after: expect.objectContaining({ surname: 'By Gina' }),
    });
  });
});
