import type { QueryResult } from '@fabomatic/board-sim';
import type { MaintenancePlanDto, Page } from '@fabomatic/contracts';
import type { ApiClient } from '../../testing/api-client';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { startTestApp, type TestApp } from '../../testing/test-app';
import { AuditEntry } from '../audit/audit-entry.entity';
import { csvExport, xlsxExport } from '../../testing/exports';
import { Machine } from '../machines/machine.entity';
import { Intervention } from './intervention.entity';

async function reply(result: Promise<QueryResult>): Promise<Record<string, unknown>> {
  const r = await result;
  if (r.status !== 'reply' || r.reply === null)
    throw new Error(`expected a JSON reply, got ${JSON.stringify(r)}`);
  return r.reply;
}

describe('maintenance plans API', () => {
  let lab: TestApp;
  let admin: ApiClient;
  const machineId = async (topicId: string) =>
    (await lab.dataSource.getRepository(Machine).findOneByOrFail({ topicId })).id;

  beforeAll(async () => {
    lab = await startTestApp({ database: 'sqlite', broker: 'embedded', seed: LAB_SEED });
    admin = await adminClient(lab);
  });
  afterAll(() => lab?.stop());

  it('lists plans with their status: hours of use since the last intervention, and due', async () => {
    const laser = await lab.board('012');
    const before = await admin.get<Page<MaintenancePlanDto>>('/api/maintenance-plans');
    expect(before.body).toMatchObject({ total: 1, items: [{ hoursSince: 0, due: false }] });
    expect(before.body.items[0]).toEqual({
      id: expect.any(Number),
      machineId: await machineId('012'),
      machineName: 'Laser Trotec Speedy 400',
      hoursBetween: 1,
      description: 'Clean the lens and mirrors',
      lcdMessage: 'Pulire lente',
      instructionsUrl: null,
      lastInterventionAt: null,
      hoursSince: 0,
      due: false,
    });
    await reply(laser.startuse(CARDS.lucia));
    await reply(laser.stopuse(CARDS.lucia, 5400));
    const after = await admin.get<Page<MaintenancePlanDto>>('/api/maintenance-plans');
    expect(after.body.items[0]?.due).toBe(true);
    expect(after.body.items[0]?.hoursSince).toBeCloseTo(1.5, 3);
    expect(await reply(laser.checkmachine())).toMatchObject({
      maintenance: true,
      description: 'Pulire lente',
    });
  });

  it('creates, validates, filters and updates plans; boards see them at once; audited', async () => {
    const prusa = await machineId('1');
    const board = await lab.board('1');
    await reply(board.startuse(CARDS.lucia));
    await reply(board.stopuse(CARDS.lucia, 1800));
    expect(await reply(board.checkmachine())).toMatchObject({ maintenance: false });

    const created = await admin.post<MaintenancePlanDto>('/api/maintenance-plans', {
      machineId: prusa,
      hoursBetween: 0.25,
      description: 'Clean the nozzle',
      lcdMessage: 'Pulire ugello',
      instructionsUrl: 'https://wiki.example.org/prusa',
    });
    expect(created).toMatchObject({
      status: 201,
      body: { machineName: 'Prusa MK4', due: true, instructionsUrl: 'https://wiki.example.org/prusa' },
    });
    expect(created.body.hoursSince).toBeCloseTo(0.5, 3);
    expect(await reply(board.checkmachine())).toMatchObject({
      maintenance: true,
      description: 'Pulire ugello',
    });

    const invalid = await admin.post<{ fields: Record<string, string[]> }>('/api/maintenance-plans', {
      machineId: prusa,
      hoursBetween: 0,
      description: '',
      lcdMessage: 'x'.repeat(101),
      instructionsUrl: 'javascript:alert(1)',
    });
    expect(invalid.status).toBe(400);
    expect(Object.keys(invalid.body.fields).sort()).toEqual(
      ['description', 'hoursBetween', 'instructionsUrl', 'lcdMessage'].sort(),
    );
    expect(
      await admin.post('/api/maintenance-plans', { machineId: 4242, hoursBetween: 1, description: 'x' }),
    ).toMatchObject({ status: 400, body: { fields: { machineId: expect.any(Array) } } });

    const filtered = await admin.get<Page<MaintenancePlanDto>>(`/api/maintenance-plans?machineId=${prusa}`);
    expect(filtered.body.items.map((p) => p.description)).toEqual(['Clean the nozzle']);
    const searched = await admin.get<Page<MaintenancePlanDto>>('/api/maintenance-plans?q=LENS');
    expect(searched.body.items.map((p) => p.description)).toEqual(['Clean the lens and mirrors']);
    const sorted = await admin.get<Page<MaintenancePlanDto>>('/api/maintenance-plans?sort=hoursBetween');
    expect(sorted.body.items.map((p) => p.hoursBetween)).toEqual([0.25, 1]);

    const updated = await admin.patch<MaintenancePlanDto>(`/api/maintenance-plans/${created.body.id}`, {
      hoursBetween: 10,
      instructionsUrl: null,
    });
    expect(updated).toMatchObject({
      status: 200,
      body: { hoursBetween: 10, due: false, instructionsUrl: null },
    });
    expect(await reply(board.checkmachine())).toMatchObject({ maintenance: false });
    expect((await admin.patch('/api/maintenance-plans/4242', { hoursBetween: 1 })).status).toBe(404);

    const audit = await lab.dataSource.getRepository(AuditEntry).find({
      where: { entityType: 'maintenance-plan', entityId: String(created.body.id) },
      order: { id: 'ASC' },
    });
    expect(audit.map((a) => [a.action, a.actorLabel])).toEqual([
      ['create', 'boss@example.org'],
      ['update', 'boss@example.org'],
    ]);
    expect(audit[1]?.before).toMatchObject({ hoursBetween: 0.25 });
  });

  it('deletes a plan, keeping its interventions detached', async () => {
    const prusa = await machineId('1');
    const plan = await admin.post<MaintenancePlanDto>('/api/maintenance-plans', {
      machineId: prusa,
      hoursBetween: 100,
      description: 'Grease the rods',
    });
    const intervention = await admin.post<{ id: number }>('/api/interventions', {
      machineId: prusa,
      planId: plan.body.id,
    });
    expect(intervention.status).toBe(201);
    expect(await admin.delete(`/api/maintenance-plans/${plan.body.id}`)).toMatchObject({
      status: 200,
      body: { detachedInterventions: 1 },
    });
    expect((await admin.get(`/api/maintenance-plans/${plan.body.id}`)).status).toBe(404);
    const kept = await lab.dataSource
      .getRepository(Intervention)
      .findOneByOrFail({ id: intervention.body.id });
    expect(kept.planId).toBeNull();
    expect((await admin.delete(`/api/maintenance-plans/${plan.body.id}`)).status).toBe(404);
  });

  it('exports the filtered plans as CSV and XLSX', async () => {
    const rows = await csvExport(admin, '/api/maintenance-plans/export?format=csv&q=lens');
    expect(rows).toEqual([
      expect.objectContaining({
        machine: 'Laser Trotec Speedy 400',
        description: 'Clean the lens and mirrors',
        hoursBetween: '1',
        hoursSince: '1.5',
        due: 'true',
        lcdMessage: 'Pulire lente',
      }),
    ]);
    const xlsx = await xlsxExport(admin, lab.running.httpUrl, '/api/maintenance-plans/export?format=xlsx');
    expect(xlsx.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.rows.slice(1).map((r) => r[2])).toEqual(['Clean the lens and mirrors', 'Clean the nozzle']);
  });
});
