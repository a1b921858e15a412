import type { ConfirmationRequiredBody, MachineTypeDto, Page } from '@fabomatic/contracts';
import type { ApiClient } from '../../testing/api-client';
import { LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { startTestApp, type TestApp } from '../../testing/test-app';
import { AuditEntry } from '../audit/audit-entry.entity';
import { csvExport, xlsxExport } from '../../testing/exports';
import { Machine } from '../machines/machine.entity';

describe('machine types API', () => {
  let lab: TestApp;
  let admin: ApiClient;

  beforeAll(async () => {
    lab = await startTestApp({ database: 'sqlite', broker: 'embedded', seed: LAB_SEED });
    admin = await adminClient(lab);
  });
  afterAll(() => lab?.stop());

  const auditOf = (id: number) =>
    lab.dataSource.getRepository(AuditEntry).find({
      where: { entityType: 'machine-type', entityId: String(id) },
      order: { id: 'ASC' },
    });

  it('lists types by name with their machine counts, searched and paginated', async () => {
    const all = await admin.get<Page<MachineTypeDto>>('/api/machine-types');
    expect(all.status).toBe(200);
    expect(all.body.items.map((t) => [t.name, t.machineCount])).toEqual([
      ['Hand tools', 1],
      ['Printer', 3],
    ]);
    expect(all.body.items[1]).toMatchObject({
      autoLogoffMinutes: 1440,
      graceMinutes: 2,
      accessManagement: 'authorization',
    });
    const desc = await admin.get<Page<MachineTypeDto>>('/api/machine-types?order=desc&pageSize=1&page=2');
    expect(desc.body).toMatchObject({ total: 2, page: 2, pageSize: 1, items: [{ name: 'Hand tools' }] });
    const found = await admin.get<Page<MachineTypeDto>>('/api/machine-types?q=HAND');
    expect(found.body.items.map((t) => t.name)).toEqual(['Hand tools']);
    // LIKE wildcards are searched for literally.
    expect((await admin.get<Page<MachineTypeDto>>('/api/machine-types?q=%25')).body.total).toBe(0);
    expect((await admin.get('/api/machine-types?sort=graceMinutes')).body).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('creates, updates and validates types, names unique, and audits', async () => {
    const created = await admin.post<MachineTypeDto>('/api/machine-types', {
      name: 'Laser',
      autoLogoffMinutes: 0,
      graceMinutes: 65535,
      accessManagement: 'open',
    });
    expect(created).toMatchObject({ status: 201, body: { name: 'Laser', machineCount: 0 } });
    const id = created.body.id;
    expect(await admin.get(`/api/machine-types/${id}`)).toMatchObject({
      status: 200,
      body: { graceMinutes: 65535 },
    });

    const invalid = await admin.post<{ code: string; fields: Record<string, string[]> }>(
      '/api/machine-types',
      {
        name: '',
        autoLogoffMinutes: 65536,
        graceMinutes: -1,
        accessManagement: 'anyone',
      },
    );
    expect(invalid.status).toBe(400);
    expect(Object.keys(invalid.body.fields).sort()).toEqual(
      ['accessManagement', 'autoLogoffMinutes', 'graceMinutes', 'name'].sort(),
    );
    expect(
      await admin.post('/api/machine-types', {
        name: 'Printer',
        autoLogoffMinutes: 1,
        graceMinutes: 1,
        accessManagement: 'open',
      }),
    ).toMatchObject({
      status: 409,
      body: { code: 'MACHINE_TYPE_NAME_TAKEN', params: { field: 'name', name: 'Printer' } },
    });
    expect(await admin.patch(`/api/machine-types/${id}`, { name: 'Printer' })).toMatchObject({
      status: 409,
      body: { code: 'MACHINE_TYPE_NAME_TAKEN' },
    });

    expect(await admin.patch(`/api/machine-types/${id}`, { graceMinutes: 5 })).toMatchObject({
      status: 200,
      body: { name: 'Laser', graceMinutes: 5, accessManagement: 'open' },
    });
    expect(await admin.get('/api/machine-types/9999')).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND' },
    });

    const audit = await auditOf(id);
    expect(audit.map((a) => [a.action, a.actorLabel])).toEqual([
      ['create', 'boss@example.org'],
      ['update', 'boss@example.org'],
    ]);
    expect(audit[1]?.before).toMatchObject({ graceMinutes: 65535 });
    expect(audit[1]?.after).toMatchObject({ graceMinutes: 5 });
  });

  it('deletes an unused type at once, and a used one only when confirmed, leaving machines typeless', async () => {
    const unused = await admin.post<MachineTypeDto>('/api/machine-types', {
      name: 'Unused',
      autoLogoffMinutes: 10,
      graceMinutes: 0,
      accessManagement: 'authorization',
    });
    expect(await admin.delete(`/api/machine-types/${unused.body.id}`)).toMatchObject({
      status: 200,
      body: { machines: 0 },
    });

    const handTools = (await admin.get<Page<MachineTypeDto>>('/api/machine-types?q=hand')).body.items[0];
    const refused = await admin.delete<ConfirmationRequiredBody>(`/api/machine-types/${handTools?.id}`);
    expect(refused).toMatchObject({
      status: 409,
      body: { code: 'DELETE_CONFIRMATION_REQUIRED', counts: { machines: 1 } },
    });
    expect(await admin.get(`/api/machine-types/${handTools?.id}`)).toMatchObject({ status: 200 });

    expect(await admin.delete(`/api/machine-types/${handTools?.id}?confirm=true`)).toMatchObject({
      status: 200,
      body: { machines: 1 },
    });
    expect(await admin.get(`/api/machine-types/${handTools?.id}`)).toMatchObject({ status: 404 });
    const trapano = await lab.dataSource.getRepository(Machine).findOneByOrFail({ topicId: '3' });
    expect(trapano.typeId).toBeNull();
    expect((await auditOf(handTools?.id ?? 0)).map((a) => a.action)).toEqual(['delete']);
    expect(await admin.delete(`/api/machine-types/${handTools?.id}?confirm=yes`)).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED' },
    });
  });

  it('exports the filtered list as CSV and XLSX', async () => {
    const rows = await csvExport(admin, '/api/machine-types/export?format=csv&q=print');
    expect(rows).toEqual([
      {
        id: expect.any(String),
        name: 'Printer',
        autoLogoffMinutes: '1440',
        graceMinutes: '2',
        accessManagement: 'authorization',
        membersMayDeclareOutOfOrder: 'true',
        machines: '3',
        validityDays: '',
        decayDays: '',
        reminderDays: '',
      },
    ]);
    const xlsx = await xlsxExport(admin, lab.running.httpUrl, '/api/machine-types/export?format=xlsx');
    expect(xlsx.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.rows[0]).toEqual([
      'id',
      'name',
      'autoLogoffMinutes',
      'graceMinutes',
      'accessManagement',
      'membersMayDeclareOutOfOrder',
      'machines',
      'validityDays',
      'decayDays',
      'reminderDays',
    ]);
    expect(xlsx.rows.slice(1).map((r) => r[1])).toEqual(['Laser', 'Printer']);
  });
});
