import type { QueryResult } from '@fabomatic/board-sim';
import { type AccessEventDto, type Page, SESSION_COOKIE } from '@fabomatic/contracts';
import { Workbook } from 'exceljs';
import type { ApiClient } from '../../testing/api-client';
import { type LabIds, labIds } from '../../testing/lab-ids';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { type TestApp, startTestApp } from '../../testing/test-app';
import { BoardCommandsService } from '../boards/board-commands.service';
import { Member } from '../members/member.entity';

async function answered(result: Promise<QueryResult>): Promise<void> {
  const r = await result;
  if (r.status !== 'reply') throw new Error(`expected a reply, got ${JSON.stringify(r)}`);
}

describe('access events', () => {
  let lab: TestApp;
  let admin: ApiClient;
  let ids: LabIds;
  const list = async (query = '') => {
    const response = await admin.get<Page<AccessEventDto>>(`/api/access-events${query}`);
    expect(response.status).toBe(200);
    return response.body;
  };
  const summary = (page: Page<AccessEventDto>) =>
    page.items.map(
      (e) => `${e.action}:${e.machineName ?? e.topicId}:${e.memberName ?? e.cardUid}:${e.reason}`,
    );
  let startedAt = 0;

  beforeAll(async () => {
    lab = await startTestApp({ database: 'sqlite', broker: 'embedded', seed: LAB_SEED });
    admin = await adminClient(lab);
    const members = lab.dataSource.getRepository(Member);
    ids = await labIds(lab.dataSource);
    startedAt = Date.now();
    const prusa = await lab.board('1');
    const laser = await lab.board('012');
    const unknown = await lab.board('999');
    // One decision a millisecond apart at least, so "newest first" is the order they happened in.
    const steps = [
      () => prusa.checkuser(CARDS.lucia),
      () => prusa.checkuser(CARDS.unknown),
      () => prusa.checkuser(CARDS.disabled),
      () => laser.checkuser(CARDS.mario),
      () => laser.maintenance(CARDS.lucia),
      () => unknown.checkuser(CARDS.lucia),
    ];
    for (const step of steps) {
      await answered(step());
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    const staff = await members.findOneByOrFail({ id: ids.staff });
    await lab.running.app.get(BoardCommandsService).send('start', ids.laser, staff);
  });
  afterAll(() => lab?.stop());

  it('lists every decision newest first, with reasons and names', async () => {
    const page = await list();
    expect(page.total).toBe(7);
    expect(summary(page)).toEqual([
      'remote-start:Laser Trotec Speedy 400:Stefano Staff:command-sent',
      'checkuser:999:Lucía Martínez:unknown-machine',
      'maintenance:Laser Trotec Speedy 400:Lucía Martínez:not-a-maintainer',
      'checkuser:Laser Trotec Speedy 400:Mario Rossi:authorization-expired',
      'checkuser:Prusa MK4:Dora Disabled:member-disabled',
      `checkuser:Prusa MK4:${CARDS.unknown}:unknown-card`,
      'checkuser:Prusa MK4:Lucía Martínez:granted',
    ]);
    expect(page.items[0]).toMatchObject({
      actorMemberId: ids.staff,
      actorName: 'Stefano Staff',
      granted: true,
    });
    expect(page.items[6]).toMatchObject({
      machineId: ids.prusa,
      memberId: ids.lucia,
      cardUid: CARDS.lucia,
      granted: true,
      level: 1,
      replay: false,
      actorName: null,
      topicId: '1',
    });
    expect(page.items[5]).toMatchObject({ memberId: null, memberName: null, granted: false, level: 0 });
    expect(summary(await list('?order=asc&pageSize=2&page=2'))).toEqual([
      'checkuser:Prusa MK4:Dora Disabled:member-disabled',
      'checkuser:Laser Trotec Speedy 400:Mario Rossi:authorization-expired',
    ]);
  });

  it('filters by machine, member, card (either case), reason, granted, action, time and text', async () => {
    expect((await list(`?machineId=${ids.laser}`)).total).toBe(3);
    expect((await list(`?memberId=${ids.lucia}`)).total).toBe(3);
    expect((await list(`?memberId=${ids.lucia}&machineId=${ids.prusa}`)).total).toBe(1);
    expect((await list(`?cardUid=${CARDS.unknown.toUpperCase()}`)).items.map((e) => e.reason)).toEqual([
      'unknown-card',
    ]);
    expect((await list('?reason=member-disabled')).items.map((e) => e.memberName)).toEqual(['Dora Disabled']);
    expect((await list('?granted=true')).items.map((e) => e.action)).toEqual(['remote-start', 'checkuser']);
    expect((await list('?granted=false')).total).toBe(5);
    expect((await list('?action=maintenance')).total).toBe(1);
    expect((await list('?q=mart')).total).toBe(3);
    expect((await list(`?q=${CARDS.disabled}`)).total).toBe(1);
    expect((await list(`?from=${new Date(startedAt - 60_000).toISOString()}`)).total).toBe(7);
    expect((await list(`?to=${new Date(startedAt - 1).toISOString()}`)).total).toBe(0);
    expect((await list(`?from=${new Date(Date.now() + 60_000).toISOString()}`)).total).toBe(0);
    for (const bad of [
      'cardUid=xyz',
      'reason=bored',
      'granted=yes',
      'action=dance',
      'machineId=0',
      'sort=reason',
    ]) {
      expect([bad, (await admin.get(`/api/access-events?${bad}`)).status]).toEqual([bad, 400]);
    }
  });

  it('exports the filtered events as CSV and XLSX', async () => {
    const csv = await admin.get<string>(`/api/access-events/export?machineId=${ids.prusa}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toBe(
      'Time,Machine,Board,Card,Member,Action,Reason,Granted,Level,Replay,Count,Issued by',
    );
    expect(lines.slice(1).map((l) => l.split(',').slice(1))).toEqual([
      [
        'Prusa MK4',
        '1',
        CARDS.disabled,
        'Dora Disabled',
        'checkuser',
        'member-disabled',
        'false',
        '0',
        'false',
        '1',
        '',
      ],
      ['Prusa MK4', '1', CARDS.unknown, '', 'checkuser', 'unknown-card', 'false', '0', 'false', '1', ''],
      [
        'Prusa MK4',
        '1',
        CARDS.lucia,
        'Lucía Martínez',
        'checkuser',
        'granted',
        'true',
        '1',
        'false',
        '1',
        '',
      ],
    ]);
    const response = await fetch(
      `${lab.running.httpUrl}/api/access-events/export?format=xlsx&granted=false`,
      {
        headers: { cookie: `${SESSION_COOKIE}=${(admin as unknown as { session: string }).session}` },
      },
    );
    expect(response.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const workbook = new Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const sheet = workbook.getWorksheet('access-events');
    expect(sheet?.rowCount).toBe(6);
    expect(sheet?.getRow(2).getCell(7).value).toBe('unknown-machine');
  });
});
