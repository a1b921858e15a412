import type { QueryResult } from '@fabomatic/board-sim';
import {
  type Page,
  SESSION_COOKIE,
  type UsageSessionDeleted,
  type UsageSessionDto,
} from '@fabomatic/contracts';
import { Workbook } from 'exceljs';
import type { ApiClient } from '../../testing/api-client';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { type TestApp, type TestDatabase, startTestApp } from '../../testing/test-app';
import { AuditEntry } from '../audit/audit-entry.entity';
import { Machine } from '../machines/machine.entity';
import { Member } from '../members/member.entity';

async function reply(result: Promise<QueryResult>): Promise<Record<string, unknown>> {
  const r = await result;
  if (r.status !== 'reply' || r.reply === null) throw new Error(`expected a reply, got ${JSON.stringify(r)}`);
  return r.reply;
}

/** RFC 4180 CSV (quoted fields, doubled quotes), the BOM dropped. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const input = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

const T = (iso: string) => `2026-01-${iso}Z`;

describe.each<TestDatabase>(['sqlite', 'postgres'])('usage sessions on %s', (database) => {
  let lab: TestApp;
  let admin: ApiClient;
  const ids = { prusa: 0, laser: 0, drill: 0, lucia: 0, mario: 0, staff: 0 };
  const meter = async (id: number) =>
    (await lab.dataSource.getRepository(Machine).findOneByOrFail({ id })).usageSeconds;
  const list = async (query: string) => {
    const response = await admin.get<Page<UsageSessionDto>>(`/api/usage${query}`);
    expect(response.status).toBe(200);
    return response.body;
  };

  beforeAll(async () => {
    lab = await startTestApp({ database, broker: 'embedded', seed: LAB_SEED });
    admin = await adminClient(lab);
    const machines = lab.dataSource.getRepository(Machine);
    const members = lab.dataSource.getRepository(Member);
    ids.prusa = (await machines.findOneByOrFail({ topicId: '1' })).id;
    ids.laser = (await machines.findOneByOrFail({ topicId: '012' })).id;
    ids.drill = (await machines.findOneByOrFail({ topicId: '3' })).id;
    ids.lucia = (await members.findOneByOrFail({ cardUid: CARDS.lucia })).id;
    ids.mario = (await members.findOneByOrFail({ cardUid: CARDS.mario })).id;
    ids.staff = (await members.findOneByOrFail({ cardUid: CARDS.staff })).id;
    // From the board: a replayed one-hour use that ended just now, then Mario's open session.
    const prusa = await lab.board('1');
    await reply(prusa.stopuse(CARDS.lucia, 3600, true));
    await reply(prusa.startuse(CARDS.mario));
  });
  afterAll(() => lab?.stop());

  it('lists the board sessions newest first, with names, durations and flags', async () => {
    const page = await list('');
    expect(page).toMatchObject({ total: 2, page: 1, pageSize: 25 });
    expect(page.items.map((s) => [s.memberName, s.machineName, s.open, s.durationSeconds, s.replay])).toEqual(
      [
        ['Mario Rossi', 'Prusa MK4', true, null, false],
        ['Lucía Martínez', 'Prusa MK4', false, 3600, true],
      ],
    );
    expect(page.items[1]).toMatchObject({ endReason: 'stopuse', memberId: ids.lucia, machineId: ids.prusa });
    expect(await meter(ids.prusa)).toBe(3600);
  });

  it('adds a session by hand, moving the hour meter, audited; refuses overlaps and bad times', async () => {
    const created = await admin.post<UsageSessionDto>('/api/usage', {
      memberId: ids.mario,
      machineId: ids.drill,
      startedAt: T('05T09:00:00'),
      endedAt: T('05T11:30:00'),
    });
    expect(created).toMatchObject({
      status: 201,
      body: {
        memberName: 'Mario Rossi',
        machineName: 'Trapano',
        startedAt: '2026-01-05T09:00:00.000Z',
        endedAt: '2026-01-05T11:30:00.000Z',
        durationSeconds: 9000,
        endReason: 'manual',
        open: false,
        replay: false,
      },
    });
    expect(await meter(ids.drill)).toBe(9000);
    // Back to back is fine; overlapping is not.
    expect(
      await admin.post('/api/usage', {
        memberId: ids.lucia,
        machineId: ids.drill,
        startedAt: T('05T11:30:00'),
        endedAt: T('05T12:00:00'),
      }),
    ).toMatchObject({ status: 201, body: { durationSeconds: 1800 } });
    expect(await meter(ids.drill)).toBe(10800);
    const overlapping = await admin.post('/api/usage', {
      memberId: ids.lucia,
      machineId: ids.drill,
      startedAt: T('05T08:00:00'),
      endedAt: T('05T09:00:01'),
    });
    expect(overlapping).toMatchObject({
      status: 409,
      body: {
        code: 'USAGE_SESSION_OVERLAP',
        params: {
          session: created.body.id,
          from: '2026-01-05T09:00:00.000Z',
          to: '2026-01-05T11:30:00.000Z',
        },
      },
    });
    expect((overlapping.body as { message: string }).message).toContain(`session ${created.body.id}`);
    // The open session on the Prusa runs until now: nothing may be added after its start.
    expect(
      await admin.post('/api/usage', {
        memberId: ids.lucia,
        machineId: ids.prusa,
        startedAt: new Date(Date.now() - 60_000).toISOString(),
        endedAt: new Date(Date.now() - 1_000).toISOString(),
      }),
    ).toMatchObject({ status: 409, body: { code: 'USAGE_SESSION_OVERLAP' } });
    // A session on another machine at the same time is fine.
    expect(
      await admin.post('/api/usage', {
        memberId: ids.lucia,
        machineId: ids.laser,
        startedAt: T('05T09:00:00'),
        endedAt: T('05T09:30:00'),
      }),
    ).toMatchObject({ status: 201 });
    expect(await meter(ids.drill)).toBe(10800);

    const invalid = async (body: object, field: string) => {
      const response = await admin.post<{ code: string; fields: Record<string, string[]> }>('/api/usage', {
        memberId: ids.mario,
        machineId: ids.drill,
        startedAt: T('10T10:00:00'),
        endedAt: T('10T11:00:00'),
        ...body,
      });
      expect([response.status, response.body.code, Object.keys(response.body.fields ?? {})]).toEqual([
        400,
        'VALIDATION_FAILED',
        [field],
      ]);
    };
    await invalid({ endedAt: T('10T10:00:00') }, 'endedAt');
    await invalid({ endedAt: '2099-01-01T00:00:00Z' }, 'endedAt');
    await invalid({ startedAt: 'yesterday' }, 'startedAt');
    await invalid({ memberId: 'x' }, 'memberId');
    await invalid({ extra: 1 }, 'extra');
    expect(
      await admin.post('/api/usage', {
        memberId: ids.mario,
        machineId: 9999,
        startedAt: T('10T10:00:00'),
        endedAt: T('10T11:00:00'),
      }),
    ).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });

    const audit = await lab.dataSource
      .getRepository(AuditEntry)
      .findOneByOrFail({ entityType: 'usage-session', entityId: String(created.body.id) });
    expect(audit).toMatchObject({ action: 'create', actorLabel: 'boss@example.org', before: null });
    expect(audit.after).toMatchObject({ endReason: 'manual', machineId: ids.drill });
  });

  it('filters by a date range the sessions overlap (the legacy filter returned nothing)', async () => {
    const names = (page: Page<UsageSessionDto>) => page.items.map((s) => `${s.machineName}@${s.startedAt}`);
    // Inside the 09:00-11:30 session (the laser's 09:00-09:30 one ended before).
    expect(names(await list(`?from=${T('05T10:00:00')}&to=${T('05T10:30:00')}`))).toEqual([
      'Trapano@2026-01-05T09:00:00.000Z',
    ]);
    // The whole day, oldest first.
    expect(names(await list(`?from=2026-01-05&to=${T('05T23:59:59')}&order=asc`))).toEqual([
      'Trapano@2026-01-05T09:00:00.000Z',
      'Laser Trotec Speedy 400@2026-01-05T09:00:00.000Z',
      'Trapano@2026-01-05T11:30:00.000Z',
    ]);
    // A date alone includes its whole day.
    expect((await list('?from=2026-01-05&to=2026-01-05')).total).toBe(3);
    expect((await list('?from=2026-01-06&to=2026-01-06')).total).toBe(0);
    // Touching the range's edges counts as overlapping.
    expect((await list(`?from=${T('05T12:00:00')}&to=${T('06T00:00:00')}`)).total).toBe(1);
    expect((await list(`?to=${T('05T08:59:59')}`)).total).toBe(0);
    // From yesterday on: the board's sessions of today, the open one included.
    const today = await list(`?from=${new Date(Date.now() - 86_400_000).toISOString()}`);
    expect(today.items.map((s) => s.memberName)).toEqual(['Mario Rossi', 'Lucía Martínez']);
    expect(await admin.get(`/api/usage?from=${T('06T00:00:00')}&to=${T('05T00:00:00')}`)).toMatchObject({
      status: 400,
      body: {
        code: 'VALIDATION_FAILED',
        fields: { to: ['must not be before from'] },
        rules: { to: [{ rule: 'notBeforeFrom' }] },
      },
    });
    expect((await admin.get('/api/usage?from=last-week')).status).toBe(400);
  });

  it('filters by member, machine, open and replay, searches, sorts and pages', async () => {
    expect((await list(`?memberId=${ids.mario}`)).items.map((s) => s.machineName)).toEqual([
      'Prusa MK4',
      'Trapano',
    ]);
    expect((await list(`?machineId=${ids.drill}&memberId=${ids.lucia}`)).items).toHaveLength(1);
    expect((await list('?open=true')).items.map((s) => s.memberName)).toEqual(['Mario Rossi']);
    expect((await list('?open=false')).total).toBe(4);
    expect((await list('?replay=true')).items.map((s) => s.durationSeconds)).toEqual([3600]);
    expect((await list('?replay=false')).total).toBe(4);
    expect((await admin.get('/api/usage?open=maybe')).status).toBe(400);
    expect((await list('?q=trapa')).total).toBe(2);
    expect((await list('?q=rossi')).total).toBe(2);
    expect((await list('?q=100%25')).total).toBe(0);

    const durations = await list('?sort=duration&order=asc&open=false');
    expect(durations.items.map((s) => s.durationSeconds)).toEqual([1800, 1800, 3600, 9000]);
    const byMachine = await list('?sort=machine');
    expect(byMachine.items.map((s) => s.machineName)).toEqual([
      'Trapano',
      'Trapano',
      'Prusa MK4',
      'Prusa MK4',
      'Laser Trotec Speedy 400',
    ]);
    const byMember = await list('?sort=member&order=asc');
    expect(byMember.items.map((s) => s.memberName)).toEqual([
      'Lucía Martínez',
      'Lucía Martínez',
      'Lucía Martínez',
      'Mario Rossi',
      'Mario Rossi',
    ]);
    // Pages of one walk the whole list without repeating a session.
    const seen = [];
    for (let page = 1; page <= 5; page++) {
      const one = await list(`?sort=machine&pageSize=1&page=${page}`);
      expect(one).toMatchObject({ total: 5, page, pageSize: 1 });
      seen.push(one.items[0]?.id);
    }
    expect(new Set(seen).size).toBe(5);
    expect(await admin.get('/api/usage?sort=password')).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED' },
    });
    expect((await admin.get(`/api/usage/${seen[0]}`)).body).toMatchObject({ id: seen[0] });
    expect((await admin.get('/api/usage/99999')).status).toBe(404);
  });

  it('corrects times, keeping the meter exact, and closes an open session by hand', async () => {
    const [drill] = (await list(`?machineId=${ids.drill}&order=asc`)).items;
    const shorter = await admin.patch<UsageSessionDto>(`/api/usage/${drill?.id}`, {
      endedAt: T('05T10:00:00'),
    });
    expect(shorter).toMatchObject({ status: 200, body: { durationSeconds: 3600, endReason: 'manual' } });
    expect(await meter(ids.drill)).toBe(3600 + 1800);
    expect(
      await admin.patch(`/api/usage/${drill?.id}`, {
        startedAt: T('05T09:30:00'),
        endedAt: T('05T11:45:00'),
      }),
    ).toMatchObject({ status: 409 });
    expect(await admin.patch(`/api/usage/${drill?.id}`, { endedAt: null })).toMatchObject({ status: 400 });
    expect(await admin.patch(`/api/usage/${drill?.id}`, { startedAt: T('05T10:00:00') })).toMatchObject({
      status: 400,
      body: {
        fields: { endedAt: ['must be after startedAt'] },
        rules: { endedAt: [{ rule: 'afterStart' }] },
      },
    });
    expect(await meter(ids.drill)).toBe(5400);

    const [open] = (await list('?open=true')).items;
    const startedAt = Date.parse(open?.startedAt ?? '');
    // The board session started moments ago: close it now.
    const endedAt = new Date();
    const closed = await admin.patch<UsageSessionDto>(`/api/usage/${open?.id}`, {
      endedAt: endedAt.toISOString(),
    });
    expect(closed).toMatchObject({ status: 200, body: { open: false, endReason: 'manual' } });
    expect(await meter(ids.prusa)).toBe(3600 + Math.round((endedAt.getTime() - startedAt) / 1000));

    const audit = await lab.dataSource
      .getRepository(AuditEntry)
      .find({ where: { entityType: 'usage-session', entityId: String(drill?.id) }, order: { id: 'ASC' } });
    expect(audit.map((a) => a.action)).toEqual(['create', 'update']);
    expect(audit[1]?.before).toMatchObject({ endedAt: '2026-01-05T11:30:00.000Z' });
    expect(audit[1]?.after).toMatchObject({ endedAt: '2026-01-05T10:00:00.000Z' });
  });

  it('deletes a session and its hours, and the board sees maintenance follow the meter', async () => {
    const laser = await lab.board('012');
    // The laser's plan is due after 1 hour of use; it has 30 minutes.
    expect(await reply(laser.checkmachine())).toMatchObject({ maintenance: false });
    const added = await admin.post<UsageSessionDto>('/api/usage', {
      memberId: ids.staff,
      machineId: ids.laser,
      startedAt: T('12T08:00:00'),
      endedAt: T('12T09:00:00'),
    });
    expect(added.status).toBe(201);
    expect(await meter(ids.laser)).toBe(5400);
    expect(await reply(laser.checkmachine())).toMatchObject({ maintenance: true });

    const removed = await admin.delete<UsageSessionDeleted>(`/api/usage/${added.body.id}`);
    expect(removed).toMatchObject({
      status: 200,
      body: { id: added.body.id, machineId: ids.laser, meterSecondsRemoved: 3600 },
    });
    expect(await meter(ids.laser)).toBe(1800);
    expect(await reply(laser.checkmachine())).toMatchObject({ maintenance: false });
    expect((await admin.get(`/api/usage/${added.body.id}`)).status).toBe(404);
    expect((await admin.delete(`/api/usage/${added.body.id}`)).status).toBe(404);
    const audit = await lab.dataSource.getRepository(AuditEntry).find({
      where: { entityType: 'usage-session', entityId: String(added.body.id) },
      order: { id: 'ASC' },
    });
    expect(audit.map((a) => a.action)).toEqual(['create', 'delete']);
  });

  it('never takes the meter below zero', async () => {
    await lab.dataSource.getRepository(Machine).update({ id: ids.drill }, { usageSeconds: 100 });
    const [first] = (await list(`?machineId=${ids.drill}&order=asc`)).items;
    expect((await admin.delete<UsageSessionDeleted>(`/api/usage/${first?.id}`)).body).toMatchObject({
      meterSecondsRemoved: 3600,
    });
    expect(await meter(ids.drill)).toBe(0);
  });

  it('exports the filtered history as CSV and XLSX', async () => {
    const csv = await admin.get<string>(`/api/usage/export?machineId=${ids.prusa}&order=asc`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toMatch(
      /attachment; filename="usage-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    const rows = parseCsv(csv.body);
    expect(rows[0]).toEqual([
      'Member',
      'Machine',
      'Start',
      'End',
      'Duration (hours)',
      'End reason',
      'Replay',
    ]);
    expect(rows.slice(1).map((r) => [r[0], r[1], r[4], r[5], r[6]])).toEqual([
      ['Lucía Martínez', 'Prusa MK4', '1', 'stopuse', 'true'],
      ['Mario Rossi', 'Prusa MK4', expect.stringMatching(/^0(\.\d+)?$/), 'manual', 'false'],
    ]);
    expect(new Date(rows[1]?.[3] ?? '').getTime() - new Date(rows[1]?.[2] ?? '').getTime()).toBe(3_600_000);

    const response = await fetch(
      `${lab.running.httpUrl}/api/usage/export?format=xlsx&memberId=${ids.lucia}`,
      {
        headers: { cookie: sessionCookie(admin) },
      },
    );
    expect(response.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const workbook = new Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const sheet = workbook.getWorksheet('usage');
    expect(sheet?.rowCount).toBe(1 + (await list(`?memberId=${ids.lucia}`)).total);
    expect(sheet?.getRow(1).getCell(1).value).toBe('Member');
    expect(sheet?.getRow(2).getCell(1).value).toBe('Lucía Martínez');
    expect((await admin.get('/api/usage/export?format=pdf')).status).toBe(400);
  });
});

/** The client's session cookie, for a raw fetch of a binary download (ApiClient reads text). */
function sessionCookie(client: ApiClient): string {
  return `${SESSION_COOKIE}=${(client as unknown as { session: string }).session}`;
}
