import type { AuthorizationDto, BulkAuthorizationResult, Page } from '@fabomatic/contracts';
import type { QueryResult } from '@fabomatic/board-sim';
import { ApiClient } from '../../testing/api-client';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { startTestApp, type TestApp, type TestDatabase, TEST_ADMIN } from '../../testing/test-app';
import { AuditEntry } from '../audit/audit-entry.entity';
import { Machine } from '../machines/machine.entity';
import { csvRows, download, xlsxRows } from '../../testing/exports';
import { Member } from '../members/member.entity';

async function reply(result: Promise<QueryResult>): Promise<Record<string, unknown>> {
  const r = await result;
  if (r.status !== 'reply' || r.reply === null) throw new Error(`expected a reply, got ${JSON.stringify(r)}`);
  return r.reply;
}

/** On both databases: joins with paging, the expiry comparison on bigint times, LIKE escaping. */
describe.each<TestDatabase>(['sqlite', 'postgres'])('authorizations API on %s', (database) => {
  let lab: TestApp;
  let admin: ApiClient;
  const machines = new Map<string, number>();
  const members = new Map<string, number>();

  const list = async (query: string) => {
    const response = await admin.get<Page<AuthorizationDto>>(`/api/authorizations?${query}`);
    expect(response.status).toBe(200);
    return response.body;
  };
  const pairs = (page: Page<AuthorizationDto>) => page.items.map((a) => `${a.memberName}@${a.machineName}`);

  beforeAll(async () => {
    lab = await startTestApp({ database, broker: 'embedded', seed: LAB_SEED });
    admin = await adminClient(lab);
    for (const m of await lab.dataSource.getRepository(Machine).find()) machines.set(m.name, m.id);
    for (const m of await lab.dataSource.getRepository(Member).find()) members.set(m.name, m.id);
  });
  afterAll(() => lab?.stop());

  it('lists with member and machine names, sorted, paginated and filtered', async () => {
    const all = await list('pageSize=100');
    expect(all.total).toBe(7);
    expect(pairs(all)[0]).toMatch(/^Dora@/);
    const page2 = await list('pageSize=3&page=2&sort=machine&order=desc');
    expect(page2).toMatchObject({ total: 7, page: 2, pageSize: 3 });
    expect(page2.items).toHaveLength(3);
    const byMachine = await list(`machineId=${machines.get('Laser Trotec Speedy 400')}&sort=member`);
    expect(pairs(byMachine)).toEqual(['Lucía@Laser Trotec Speedy 400', 'Mario@Laser Trotec Speedy 400']);
    const expired = await list('expired=true');
    expect(expired.items).toEqual([
      expect.objectContaining({
        memberName: 'Mario',
        machineName: 'Laser Trotec Speedy 400',
        expired: true,
        expiresAt: '2020-01-01T00:00:00.000Z',
      }),
    ]);
    expect((await list('expired=false')).total).toBe(6);
    expect(pairs(await list(`memberId=${members.get('Lucía')}&sort=machine`))).toEqual([
      'Lucía@Fresa CNC',
      'Lucía@Laser Trotec Speedy 400',
      'Lucía@Prusa MK4',
    ]);
    expect((await list('q=laser')).total).toBe(2);
    expect((await list('q=rossi')).total).toBe(2);
    expect((await list('q=100%25')).total).toBe(0);
    expect((await list('sort=expiresAt&order=desc&pageSize=1')).items[0]?.expiresAt).not.toBeUndefined();
    expect((await admin.get('/api/authorizations?sort=secret')).status).toBe(400);
    expect((await admin.get('/api/authorizations?expired=yes')).status).toBe(400);
  });

  it('creates, refuses duplicates and deleted members, changes the expiry, deletes; all audited', async () => {
    const prusa = machines.get('Prusa MK4');
    const trapano = machines.get('Trapano');
    const ada = members.get('Ada');
    const created = await admin.post<AuthorizationDto>('/api/authorizations', {
      memberId: ada,
      machineId: trapano,
      expiresAt: '2099-05-01T10:00:00Z',
    });
    expect(created).toMatchObject({
      status: 201,
      body: {
        memberName: 'Ada',
        machineName: 'Trapano',
        expiresAt: '2099-05-01T10:00:00.000Z',
        expired: false,
      },
    });
    const id = created.body.id;
    expect(await admin.post('/api/authorizations', { memberId: ada, machineId: trapano })).toMatchObject({
      status: 409,
      body: { code: 'ALREADY_AUTHORIZED' },
    });
    expect(await admin.post('/api/authorizations', { memberId: 9999, machineId: prusa })).toMatchObject({
      status: 400,
      body: { fields: { memberId: expect.any(Array) } },
    });
    expect(await admin.post('/api/authorizations', { memberId: ada, machineId: 9999 })).toMatchObject({
      status: 400,
      body: { fields: { machineId: expect.any(Array) } },
    });
    expect(
      await admin.post('/api/authorizations', { memberId: ada, machineId: prusa, expiresAt: 'tomorrow' }),
    ).toMatchObject({ status: 400, body: { fields: { expiresAt: expect.any(Array) } } });

    expect(await admin.patch(`/api/authorizations/${id}`, { expiresAt: null })).toMatchObject({
      status: 200,
      body: { expiresAt: null, expired: false },
    });
    expect(await admin.patch(`/api/authorizations/${id}`, {})).toMatchObject({ status: 400 });
    // An expiry already past would grant nothing (a 2020 typed for 2030): refused, nothing changes.
    expect(
      await admin.patch(`/api/authorizations/${id}`, { expiresAt: '2021-01-01T00:00:00Z' }),
    ).toMatchObject({
      status: 400,
      body: { code: 'AUTHORIZATION_EXPIRY_PAST', fields: { expiresAt: expect.any(Array) } },
    });
    expect((await admin.get(`/api/authorizations/${id}`)).body).toMatchObject({ expiresAt: null });
    expect(await admin.patch(`/api/authorizations/${id}`, { expiresAt: null, memberId: 1 })).toMatchObject({
      status: 400,
    });
    expect((await admin.delete(`/api/authorizations/${id}`)).status).toBe(204);
    expect((await admin.delete(`/api/authorizations/${id}`)).status).toBe(404);
    expect((await admin.get(`/api/authorizations/${id}`)).status).toBe(404);

    const audit = await lab.dataSource.getRepository(AuditEntry).find({
      where: { entityType: 'authorization', entityId: String(id) },
      order: { id: 'ASC' },
    });
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'delete']);
    expect(audit[1]?.before).toMatchObject({ expiresAt: '2099-05-01T10:00:00.000Z' });
    expect(audit[1]?.after).toMatchObject({ expiresAt: null });

    const gone = await admin.post<{ id: number }>('/api/members', { name: 'Gone', roleId: await fabUsers() });
    expect((await admin.delete(`/api/members/${gone.body.id}`)).status).toBe(200);
    expect(
      await admin.post('/api/authorizations', { memberId: gone.body.id, machineId: prusa }),
    ).toMatchObject({
      status: 409,
      body: { code: 'MEMBER_DELETED_NOT_AUTHORIZABLE', params: { members: 'Gone' } },
    });
  });

  it('authorizes many members on one machine, skipping the ones already authorized', async () => {
    const laser = machines.get('Laser Trotec Speedy 400');
    const ids = ['Ada', 'Stefano', 'Lucía', 'Mario', 'Dora'].map((n) => members.get(n));
    const bulk = await admin.post<BulkAuthorizationResult>('/api/authorizations/bulk', {
      machineId: laser,
      memberIds: [...ids, ids[0]],
      expiresAt: '2099-01-01T00:00:00Z',
    });
    expect(bulk).toMatchObject({ status: 200, body: { created: 3, skipped: 2 } });
    const onLaser = await list(`machineId=${laser}&pageSize=100`);
    expect(onLaser.total).toBe(5);
    // The existing ones are untouched (Mario's stays expired).
    expect(onLaser.items.find((a) => a.memberName === 'Mario')).toMatchObject({ expired: true });
    expect(onLaser.items.find((a) => a.memberName === 'Ada')).toMatchObject({
      expiresAt: '2099-01-01T00:00:00.000Z',
    });
    const again = await admin.post('/api/authorizations/bulk', { machineId: laser, memberIds: ids });
    expect(again.body).toEqual({ created: 0, skipped: 5 });

    const tooMany = Array.from({ length: 501 }, (_, i) => i + 1);
    for (const memberIds of [[], tooMany, ['a'], [0]]) {
      expect(await admin.post('/api/authorizations/bulk', { machineId: laser, memberIds })).toMatchObject({
        status: 400,
        body: { fields: { memberIds: expect.any(Array) } },
      });
    }
    expect(
      await admin.post('/api/authorizations/bulk', { machineId: laser, memberIds: [9999] }),
    ).toMatchObject({
      status: 400,
    });
    const audit = await lab.dataSource
      .getRepository(AuditEntry)
      .countBy({ entityType: 'authorization', action: 'create' });
    expect(audit).toBeGreaterThanOrEqual(4);
  });

  it('lets a new authorization and a removed one reach the boards at once', async () => {
    const laser = await lab.board('012');
    const authorizations = await list(`machineId=${machines.get('Laser Trotec Speedy 400')}&q=rossi`);
    const mario = authorizations.items[0];
    expect(mario?.expired).toBe(true);
    expect(await reply(laser.checkuser(CARDS.mario))).toMatchObject({ is_valid: false });
    expect(await admin.patch(`/api/authorizations/${mario?.id}`, { expiresAt: null })).toMatchObject({
      status: 200,
    });
    expect(await reply(laser.checkuser(CARDS.mario))).toMatchObject({ is_valid: true, level: 1 });
    expect((await admin.delete(`/api/authorizations/${mario?.id}`)).status).toBe(204);
    expect(await reply(laser.checkuser(CARDS.mario))).toMatchObject({ is_valid: false, level: 0 });
  });

  it('exports the filtered authorizations as CSV and XLSX', async () => {
    const csv = await admin.get<string>(`/api/authorizations/export?memberId=${members.get('Lucía')}`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const rows = csvRows(csv.body);
    expect(rows.map((r) => r['machine']).sort()).toEqual([
      'Fresa CNC',
      'Laser Trotec Speedy 400',
      'Prusa MK4',
    ]);
    expect(rows[0]).toMatchObject({ name: 'Lucía', surname: 'Martínez', expired: 'false' });
    const xlsx = await download(
      lab.running.httpUrl,
      TEST_ADMIN,
      '/api/authorizations/export?format=xlsx&expired=true',
    );
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const sheet = await xlsxRows(xlsx);
    expect(sheet[0]).toContain('machine');
    expect(sheet.length).toBeGreaterThanOrEqual(1);
  });

  async function fabUsers(): Promise<number> {
    const roles = await admin.get<Page<{ id: number; name: string }>>('/api/roles?q=fab%20users');
    return roles.body.items[0]?.id ?? 0;
  }
});
