import type { QueryResult } from '@fabomatic/board-sim';
import type { BoardBindConflictBody, FleetBoardDto, MachineDto, Page } from '@fabomatic/contracts';
import type { ApiClient } from '../../testing/api-client';
import { LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { startTestApp, type TestApp } from '../../testing/test-app';
import { AuditEntry } from '../audit/audit-entry.entity';
import { csvExport, xlsxExport } from '../../testing/exports';
import { Machine } from '../machines/machine.entity';
import { Board } from './board.entity';

async function reply(result: Promise<QueryResult>): Promise<Record<string, unknown>> {
  const r = await result;
  if (r.status !== 'reply' || r.reply === null)
    throw new Error(`expected a JSON reply, got ${JSON.stringify(r)}`);
  return r.reply;
}

describe('boards fleet API', () => {
  let lab: TestApp;
  let admin: ApiClient;
  const boardId = async (serial: string) =>
    (await lab.dataSource.getRepository(Board).findOneByOrFail({ serial })).id;
  const machineId = async (topicId: string) =>
    (await lab.dataSource.getRepository(Machine).findOneByOrFail({ topicId })).id;

  beforeAll(async () => {
    lab = await startTestApp({ database: 'sqlite', broker: 'embedded', seed: LAB_SEED });
    admin = await adminClient(lab);
    // Two boards of known machines, one the lab just plugged in (topic 555: no machine has it).
    await (await lab.board('1')).alive('aaaaaaaaaa01');
    await (await lab.board('3')).alive('aaaaaaaaaa03');
    await (await lab.board('555')).alive('aaaaaaaaa555');
    const boards = lab.dataSource.getRepository(Board);
    for (let i = 0; i < 100 && (await boards.count()) < 3; i++) await new Promise((r) => setTimeout(r, 20));
  });
  afterAll(() => lab?.stop());

  it('lists the fleet with machines, health and presence, filtered and paginated', async () => {
    const all = await admin.get<Page<FleetBoardDto>>('/api/boards');
    expect(all.status).toBe(200);
    expect(all.body.items.map((b) => [b.topicId, b.machine?.name ?? null])).toEqual([
      ['1', 'Prusa MK4'],
      ['3', 'Trapano'],
      ['555', null],
    ]);
    expect(all.body.items[2]).toEqual({
      id: expect.any(Number),
      serial: 'aaaaaaaaa555',
      topicId: '555',
      machine: null,
      ip: '192.168.1.50',
      firmware: 'hardware-rev0-it_IT,1.0.1-3-g0ab6099',
      freeHeap: 123456,
      lastSeenAt: expect.any(String),
      online: true,
    });
    const unassigned = await admin.get<Page<FleetBoardDto>>('/api/boards?assigned=false');
    expect(unassigned.body.items.map((b) => b.serial)).toEqual(['aaaaaaaaa555']);
    const assigned = await admin.get<Page<FleetBoardDto>>('/api/boards?assigned=true&order=desc&pageSize=1');
    expect(assigned.body).toMatchObject({ total: 2, pageSize: 1, items: [{ topicId: '3' }] });
    const found = await admin.get<Page<FleetBoardDto>>('/api/boards?q=A03');
    expect(found.body.items.map((b) => b.serial)).toEqual(['aaaaaaaaaa03']);
    // The serial as printed on the board (MAC form), or part of it, finds the board too.
    const printed = await admin.get<Page<FleetBoardDto>>(
      `/api/boards?q=${encodeURIComponent('AA:AA:AA:AA:AA:03')}`,
    );
    expect(printed.body.items.map((b) => b.serial)).toEqual(['aaaaaaaaaa03']);
    const dashed = await admin.get<Page<FleetBoardDto>>('/api/boards?q=A-5-5-5');
    expect(dashed.body.items.map((b) => b.serial)).toEqual(['aaaaaaaaa555']);
    // A topic or IP search still matches the text as typed.
    const byIp = await admin.get<Page<FleetBoardDto>>('/api/boards?q=192.168.1.50');
    expect(byIp.body.items.length).toBeGreaterThan(0);
    expect((await admin.get(`/api/boards/${await boardId('aaaaaaaaaa01')}`)).body).toMatchObject({
      machine: { id: await machineId('1'), name: 'Prusa MK4' },
    });
    expect((await admin.get('/api/boards/9999')).status).toBe(404);
    expect((await admin.get('/api/boards?assigned=1')).status).toBe(400);
  });

  it('reports a board silent for BOARD_OFFLINE_SECONDS offline', async () => {
    lab.clock.advance((lab.config.BOARD_OFFLINE_SECONDS + 1) * 1000);
    await reply((await lab.board('1')).checkmachine());
    const all = await admin.get<Page<FleetBoardDto>>('/api/boards');
    expect(all.body.items.map((b) => [b.topicId, b.online])).toEqual([
      ['1', true],
      ['3', false],
      ['555', false],
    ]);
  });

  it('refuses to bind a board whose topic id another machine has', async () => {
    const prusaBoard = await boardId('aaaaaaaaaa01');
    expect(
      await admin.post(`/api/boards/${prusaBoard}/bind`, { machineId: await machineId('3') }),
    ).toMatchObject({
      status: 409,
      body: { code: 'TOPIC_ID_TAKEN', params: { field: 'topicId', topicId: '1', machine: 'Prusa MK4' } },
    });
    expect((await admin.post(`/api/boards/${prusaBoard}/bind`, { machineId: 4242 })).status).toBe(404);
    expect((await admin.post('/api/boards/4242/bind', { machineId: await machineId('3') })).status).toBe(404);
    expect((await admin.post(`/api/boards/${prusaBoard}/bind`, { machineId: 'x' })).status).toBe(400);
    // Binding a board to the machine it already serves changes nothing.
    expect(
      await admin.post(`/api/boards/${prusaBoard}/bind`, { machineId: await machineId('1') }),
    ).toMatchObject({ status: 200, body: { machine: { name: 'Prusa MK4' } } });
  });

  it('binds an unassigned board: the machine takes its topic id, the board is answered at once', async () => {
    const board = await lab.board('555');
    expect(await reply(board.checkmachine())).toMatchObject({ is_valid: false });
    const trapano = await machineId('3');
    const newBoard = await boardId('aaaaaaaaa555');
    // Trapano has a board (offline now): binding over it is confirmed first, naming that board.
    expect(
      await admin.post<BoardBindConflictBody>(`/api/boards/${newBoard}/bind`, { machineId: trapano }),
    ).toMatchObject({
      status: 409,
      body: { code: 'MACHINE_HAS_BOARD', board: { serial: 'aaaaaaaaaa03', online: false } },
    });
    const bound = await admin.post<FleetBoardDto>(`/api/boards/${newBoard}/bind`, {
      machineId: trapano,
      replace: true,
    });
    expect(bound).toMatchObject({
      status: 200,
      body: { topicId: '555', machine: { id: trapano, name: 'Trapano' } },
    });
    expect((await admin.get<MachineDto>(`/api/machines/${trapano}`)).body.topicId).toBe('555');
    expect(await reply(board.checkmachine())).toMatchObject({ is_valid: true, name: 'Trapano' });
    // The replaced board (still on topic 3) is now unassigned.
    const unassigned = await admin.get<Page<FleetBoardDto>>('/api/boards?assigned=false');
    expect(unassigned.body.items.map((b) => b.serial)).toEqual(['aaaaaaaaaa03']);
    const stored = await lab.dataSource.getRepository(Board).findOneByOrFail({ id: newBoard });
    expect(stored.machineId).toBe(trapano);

    const audit = await lab.dataSource.getRepository(AuditEntry).find({ order: { id: 'ASC' } });
    expect(
      audit.filter((a) => a.action !== 'login').map((a) => [a.action, a.entityType, a.actorLabel]),
    ).toEqual(
      expect.arrayContaining([
        ['update', 'machine', 'boss@example.org'],
        ['bind', 'board', 'boss@example.org'],
        ['unbind', 'board', 'boss@example.org'],
      ]),
    );
    const machineAudit = audit.find((a) => a.entityType === 'machine' && a.entityId === String(trapano));
    expect(machineAudit?.before).toMatchObject({ topicId: '3' });
    expect(machineAudit?.after).toMatchObject({ topicId: '555' });
  });

  it('exports the filtered fleet as CSV and XLSX', async () => {
    const rows = await csvExport(admin, '/api/boards/export?format=csv&assigned=true');
    expect(rows.map((r) => [r['serial'], r['topicId'], r['machine']])).toEqual([
      ['aaaaaaaaaa01', '1', 'Prusa MK4'],
      ['aaaaaaaaa555', '555', 'Trapano'],
    ]);
    const xlsx = await xlsxExport(
      admin,
      lab.running.httpUrl,
      '/api/boards/export?format=xlsx&assigned=false',
    );
    expect(xlsx.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.rows[0]).toEqual([
      'id',
      'serial',
      'topicId',
      'machine',
      'ip',
      'firmware',
      'freeHeap',
      'lastSeenAt',
      'online',
    ]);
    expect(xlsx.rows.slice(1).map((r) => r[1])).toEqual(['aaaaaaaaaa03']);
  });

  it("keeps a formula in a board's version string from ever running in a spreadsheet", async () => {
    const rogue = await lab.board('777');
    await rogue.query(
      JSON.stringify({
        action: 'alive',
        serial: 'bbbbbbbbbb77',
        version: '=HYPERLINK("http://evil.example","update")',
        ip: '+10.0.0.7',
      }),
      { expectReply: false },
    );
    const boards = lab.dataSource.getRepository(Board);
    for (let i = 0; i < 100 && !(await boards.findOneBy({ serial: 'bbbbbbbbbb77' })); i++)
      await new Promise((r) => setTimeout(r, 20));
    const listed = await admin.get<Page<FleetBoardDto>>('/api/boards?q=777');
    expect(listed.body.items.map((b) => [b.firmware, b.ip])).toEqual([
      ['HYPERLINK(http://evil.example,update)', '10.0.0.7'],
    ]);
    const csv = await admin.get<string>('/api/boards/export?format=csv');
    expect(csv.status).toBe(200);
    // No cell of the file starts with a formula character.
    for (const line of csv.body
      .replace(/^\uFEFF/, '')
      .split('\n')
      .filter(Boolean)) {
      for (const cell of line.split(',')) expect([line, /^"?[=+@]/.test(cell)]).toEqual([line, false]);
    }
  });
});
