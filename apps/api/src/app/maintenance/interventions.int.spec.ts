import type { QueryResult } from '@fabomatic/board-sim';
import type { InterventionDto, MaintenancePlanDto, Page } from '@fabomatic/contracts';
import type { ApiClient } from '../../testing/api-client';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { startTestApp, type TestApp, type TestDatabase } from '../../testing/test-app';
import { AuditEntry } from '../audit/audit-entry.entity';
import { csvExport, xlsxExport } from '../../testing/exports';
import { Machine } from '../machines/machine.entity';
import { Member } from '../members/member.entity';

async function reply(result: Promise<QueryResult>): Promise<Record<string, unknown>> {
  const r = await result;
  if (r.status !== 'reply' || r.reply === null)
    throw new Error(`expected a JSON reply, got ${JSON.stringify(r)}`);
  return r.reply;
}

describe.each<TestDatabase>(['sqlite', 'postgres'])('interventions API on %s', (database) => {
  let lab: TestApp;
  let admin: ApiClient;
  let laser: number;
  let prusa: number;
  let plan: MaintenancePlanDto;
  let stefano: number;
  let mario: number;

  beforeAll(async () => {
    lab = await startTestApp({ database, broker: 'embedded', seed: LAB_SEED });
    admin = await adminClient(lab);
    const machines = lab.dataSource.getRepository(Machine);
    laser = (await machines.findOneByOrFail({ topicId: '012' })).id;
    prusa = (await machines.findOneByOrFail({ topicId: '1' })).id;
    const members = lab.dataSource.getRepository(Member);
    stefano = (await members.findOneByOrFail({ cardUid: CARDS.staff })).id;
    mario = (await members.findOneByOrFail({ cardUid: CARDS.mario })).id;
    const plans = await admin.get<Page<MaintenancePlanDto>>(`/api/maintenance-plans?machineId=${laser}`);
    plan = plans.body.items[0];
  });
  afterAll(() => lab?.stop());

  it('records a manual intervention, which makes the plan no longer due (boards see it at once)', async () => {
    const board = await lab.board('012');
    await reply(board.startuse(CARDS.lucia));
    await reply(board.stopuse(CARDS.lucia, 7200));
    expect(await reply(board.checkmachine())).toMatchObject({ maintenance: true });

    const created = await admin.post<InterventionDto>('/api/interventions', {
      machineId: laser,
      planId: plan.id,
      memberId: stefano,
    });
    expect(created).toMatchObject({
      status: 201,
      body: {
        machineId: laser,
        machineName: 'Laser Trotec Speedy 400',
        planId: plan.id,
        planDescription: 'Clean the lens and mirrors',
        memberId: stefano,
        memberName: 'Stefano Staff',
        source: 'manual',
        replay: false,
      },
    });
    expect(Math.abs(Date.parse(created.body.performedAt) - lab.clock.now().getTime())).toBeLessThan(5000);
    expect(await reply(board.checkmachine())).toMatchObject({ maintenance: false });
    const status = await admin.get<MaintenancePlanDto>(`/api/maintenance-plans/${plan.id}`);
    expect(status.body).toMatchObject({
      due: false,
      hoursSince: 0,
      lastInterventionAt: created.body.performedAt,
    });

    const audit = await lab.dataSource.getRepository(AuditEntry).findBy({
      entityType: 'intervention',
      entityId: String(created.body.id),
    });
    expect(audit.map((a) => [a.action, a.actorLabel])).toEqual([['create', 'boss@example.org']]);
  });

  it('validates what a manual intervention refers to, and its date', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ machineId: prusa, planId: plan.id }, 'planId'],
      [{ machineId: 4242 }, 'machineId'],
      [{ machineId: laser, memberId: 4242 }, 'memberId'],
      [{ machineId: laser, performedAt: new Date(Date.now() + 86_400_000).toISOString() }, 'performedAt'],
      [{ machineId: laser, performedAt: 'yesterday' }, 'performedAt'],
      [{ machineId: laser, source: 'board' }, 'source'],
    ];
    for (const [body, field] of cases) {
      const response = await admin.post<{ code: string; fields: Record<string, string[]> }>(
        '/api/interventions',
        body,
      );
      expect([field, response.status, response.body.code, Object.keys(response.body.fields ?? {})]).toEqual([
        field,
        400,
        'VALIDATION_FAILED',
        [field],
      ]);
    }
  });

  it('lists interventions newest first, filtered by machine, plan, member and date range', async () => {
    // A maintainer's long tap on a board records one too (Ada may use every machine).
    // Two hours of use after the intervention (a stopuse places its session before now).
    lab.clock.advance(3 * 3_600_000);
    const board = await lab.board('012');
    await reply(board.startuse(CARDS.lucia));
    await reply(board.stopuse(CARDS.lucia, 7200));
    expect(await reply(board.maintenance(CARDS.admin))).toMatchObject({ request_ok: true });
    const dated = async (performedAt: string, machineId: number, memberId?: number) =>
      (await admin.post<InterventionDto>('/api/interventions', { machineId, memberId, performedAt })).body;
    await dated('2025-03-10T09:00:00.000Z', prusa, mario);
    await dated('2025-03-31T23:30:00.000Z', prusa);
    await dated('2025-04-01T00:30:00.000Z', laser, mario);

    const all = await admin.get<Page<InterventionDto>>('/api/interventions');
    expect(all.body.total).toBe(5);
    expect(all.body.items.map((i) => i.source)).toEqual(['board', 'manual', 'manual', 'manual', 'manual']);
    expect(all.body.items[0]).toMatchObject({ machineId: laser, planId: plan.id, memberName: 'Ada Admin' });
    const oldestFirst = await admin.get<Page<InterventionDto>>('/api/interventions?order=asc&pageSize=2');
    expect(oldestFirst.body.items.map((i) => i.performedAt)).toEqual([
      '2025-03-10T09:00:00.000Z',
      '2025-03-31T23:30:00.000Z',
    ]);

    // Keyset pages: following the cursors forward, then back, walks the same list, none twice.
    const walked: string[] = [];
    let cursor: string | null | undefined;
    let last: Page<InterventionDto> | undefined;
    do {
      last = (
        await admin.get<Page<InterventionDto>>(
          `/api/interventions?pageSize=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        )
      ).body;
      walked.push(...last.items.map((i) => `${i.id}`));
      cursor = last.nextCursor;
    } while (cursor);
    expect(walked).toEqual(all.body.items.map((i) => `${i.id}`));
    const back = await admin.get<Page<InterventionDto>>(
      `/api/interventions?pageSize=2&cursor=${encodeURIComponent(last.prevCursor ?? '')}`,
    );
    expect(back.body.items.map((i) => `${i.id}`)).toEqual(walked.slice(2, 4));

    const ids = async (query: string) =>
      (await admin.get<Page<InterventionDto>>(`/api/interventions?${query}`)).body.items.map(
        (i) => i.performedAt,
      );
    expect(await ids(`machineId=${prusa}`)).toEqual(['2025-03-31T23:30:00.000Z', '2025-03-10T09:00:00.000Z']);
    expect(await ids(`memberId=${mario}`)).toEqual(['2025-04-01T00:30:00.000Z', '2025-03-10T09:00:00.000Z']);
    expect((await ids(`planId=${plan.id}`)).length).toBe(2);
    // A date alone as `to` includes that whole day; `from` is inclusive.
    expect(await ids('from=2025-03-10T09:00:00.000Z&to=2025-03-31')).toEqual([
      '2025-03-31T23:30:00.000Z',
      '2025-03-10T09:00:00.000Z',
    ]);
    expect(await ids('from=2025-04-01&to=2025-04-02')).toEqual(['2025-04-01T00:30:00.000Z']);
    expect(await ids(`from=2025-01-01&to=2025-12-31&machineId=${laser}`)).toEqual([
      '2025-04-01T00:30:00.000Z',
    ]);
    expect((await admin.get('/api/interventions?from=march')).status).toBe(400);
  });

  it('deletes an intervention, the plan counting the hours since the previous one again', async () => {
    const list = await admin.get<Page<InterventionDto>>(`/api/interventions?planId=${plan.id}`);
    const latest = list.body.items[0];
    expect(latest.source).toBe('board');
    expect((await admin.get<MaintenancePlanDto>(`/api/maintenance-plans/${plan.id}`)).body.due).toBe(false);
    expect((await admin.delete(`/api/interventions/${latest.id}`)).status).toBe(204);
    expect((await admin.get(`/api/interventions/${latest.id}`)).status).toBe(404);
    const status = await admin.get<MaintenancePlanDto>(`/api/maintenance-plans/${plan.id}`);
    expect(status.body.due).toBe(true);
    expect(status.body.hoursSince).toBeCloseTo(2, 3);
    expect(await reply((await lab.board('012')).checkmachine())).toMatchObject({ maintenance: true });
    expect((await admin.delete(`/api/interventions/${latest.id}`)).status).toBe(404);
    const audit = await lab.dataSource.getRepository(AuditEntry).findBy({
      entityType: 'intervention',
      entityId: String(latest.id),
    });
    expect(audit.map((a) => a.action)).toEqual(['delete']);
  });

  it('exports the filtered interventions as CSV and XLSX', async () => {
    const rows = await csvExport(admin, `/api/interventions/export?format=csv&memberId=${mario}`);
    expect(rows).toEqual([
      {
        id: expect.any(String),
        performedAt: '2025-04-01T00:30:00.000Z',
        machine: 'Laser Trotec Speedy 400',
        plan: '',
        member: 'Mario Rossi',
        source: 'manual',
        replay: 'false',
      },
      expect.objectContaining({ performedAt: '2025-03-10T09:00:00.000Z', machine: 'Prusa MK4' }),
    ]);
    const xlsx = await xlsxExport(
      admin,
      lab.running.httpUrl,
      `/api/interventions/export?format=xlsx&machineId=${prusa}`,
    );
    expect(xlsx.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.rows[0]).toEqual(['id', 'performedAt', 'machine', 'plan', 'member', 'source', 'replay']);
    expect(xlsx.rows.length).toBe(3);
  });
});
