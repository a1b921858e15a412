import type { MemberDto, Page, UnknownCardDto } from '@fabomatic/contracts';
import type { QueryResult } from '@fabomatic/board-sim';
import type { ApiClient } from '../../testing/api-client';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { startTestApp, type TestApp, type TestDatabase, TEST_ADMIN } from '../../testing/test-app';
import { AuditEntry } from '../audit/audit-entry.entity';
import { Machine } from '../machines/machine.entity';
import { csvRows, download, xlsxRows } from '../../testing/exports';
import { AccessEvent } from './access-event.entity';
import { UnknownCard } from './unknown-card.entity';
import { rebuildUnknownCards, statementsOf } from './unknown-cards-table';

async function reply(result: Promise<QueryResult>): Promise<Record<string, unknown>> {
  const r = await result;
  if (r.status !== 'reply' || r.reply === null) throw new Error(`expected a reply, got ${JSON.stringify(r)}`);
  return r.reply;
}

const CARD_A = 'deadbeef';
const CARD_B = '0102030405060708090a';
const CARD_C = 'feedface';

/** On both databases: grouping, MAX of bigint times, a correlated sub-query. */
describe.each<TestDatabase>(['sqlite', 'postgres'])('unknown cards API on %s', (database) => {
  let lab: TestApp;
  let admin: ApiClient;

  beforeAll(async () => {
    lab = await startTestApp({ database, broker: 'embedded', seed: LAB_SEED });
    admin = await adminClient(lab);
    const machine = (topicId: string) =>
      lab.dataSource
        .getRepository(Machine)
        .findOneByOrFail({ topicId })
        .then((m) => m.id);
    const base = Date.parse('2026-03-01T10:00:00Z');
    const tap = (cardUid: string, minutes: number, topicId: string, machineId: number | null) => ({
      occurredAt: new Date(base + minutes * 60_000),
      topicId,
      machineId,
      cardUid,
      memberId: null,
      action: 'checkuser' as const,
      reason: 'unknown-card' as const,
      granted: false,
      level: 0,
    });
    await lab.dataSource.getRepository(AccessEvent).insert([
      tap(CARD_A, 0, '1', await machine('1')),
      tap(CARD_A, 5, '012', await machine('012')),
      tap(CARD_A, 1, '3', await machine('3')),
      tap(CARD_B, 10, '77', null),
      tap(CARD_C, -60, '3', await machine('3')),
      // A card that is a member's now (enrolled after the tap) is not unknown any more.
      tap(CARDS.mario, 30, '1', await machine('1')),
      // Other reasons are not unknown cards.
      { ...tap('abababab', 40, '1', await machine('1')), reason: 'no-authorization' as const },
    ]);
    // History written behind the board path's back (as an import or the migration's backfill does).
    await rebuildUnknownCards(statementsOf(lab.dataSource.manager));
  });

  /** The per-card table as rows, in card order. */
  const table = () =>
    lab.dataSource
      .getRepository(UnknownCard)
      .find({ order: { cardUid: 'ASC' } })
      .then((rows) => rows.map((r) => ({ ...r })));
  afterAll(() => lab?.stop());

  it('lists cards no member has, newest first, with their last machine and taps', async () => {
    const response = await admin.get<Page<UnknownCardDto>>('/api/unknown-cards');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ total: 3, page: 1 });
    expect(response.body.items).toEqual([
      {
        cardUid: CARD_B,
        lastSeenAt: '2026-03-01T10:10:00.000Z',
        lastTopicId: '77',
        lastMachineId: null,
        lastMachineName: null,
        taps: 1,
      },
      {
        cardUid: CARD_A,
        lastSeenAt: '2026-03-01T10:05:00.000Z',
        lastTopicId: '012',
        lastMachineId: expect.any(Number),
        lastMachineName: 'Laser Trotec Speedy 400',
        taps: 3,
      },
      expect.objectContaining({ cardUid: CARD_C, lastMachineName: 'Trapano', taps: 1 }),
    ]);
    const second = await admin.get<Page<UnknownCardDto>>('/api/unknown-cards?pageSize=1&page=2');
    expect(second.body).toMatchObject({ total: 3, pageSize: 1, items: [{ cardUid: CARD_A }] });
    const byTaps = await admin.get<Page<UnknownCardDto>>(
      '/api/unknown-cards?sort=taps&order=desc&pageSize=1',
    );
    expect(byTaps.body.items[0]?.cardUid).toBe(CARD_A);
    const search = await admin.get<Page<UnknownCardDto>>('/api/unknown-cards?q=BEEF');
    expect(search.body.items.map((c) => c.cardUid)).toEqual([CARD_A]);
    expect((await admin.get('/api/unknown-cards?sort=memberId')).status).toBe(400);
  });

  it('records a real unknown tap from a board', async () => {
    const board = await lab.board('1');
    expect(await reply(board.checkuser('C0FFEE00'))).toMatchObject({ is_valid: false, level: 0 });
    const listed = await admin.get<Page<UnknownCardDto>>('/api/unknown-cards?q=c0ffee00');
    expect(listed.body.items).toEqual([
      expect.objectContaining({ cardUid: 'c0ffee00', lastMachineName: 'Prusa MK4' }),
    ]);
  });

  it('counts board taps per card in its table, as a rebuild from the history would', async () => {
    const board = await lab.board('012');
    for (const uid of ['C0FFEE00', 'abcdef01', 'C0FFEE00']) {
      expect(await reply(board.checkuser(uid))).toMatchObject({ is_valid: false });
    }
    lab.clock.advance(60_000);
    expect(await reply(board.checkuser('ABCDEF01'))).toMatchObject({ is_valid: false });
    const kept = await table();
    expect(kept.find((c) => c.cardUid === 'c0ffee00')).toMatchObject({ taps: 3, lastTopicId: '012' });
    expect(kept.find((c) => c.cardUid === 'abcdef01')).toMatchObject({ taps: 2, lastTopicId: '012' });
    await rebuildUnknownCards(statementsOf(lab.dataSource.manager));
    expect(await table()).toEqual(kept);
    const listed = await admin.get<Page<UnknownCardDto>>('/api/unknown-cards?q=abcdef01');
    expect(listed.body.items).toEqual([
      expect.objectContaining({ taps: 2, lastTopicId: '012', lastMachineName: 'Laser Trotec Speedy 400' }),
    ]);
  });

  it('enrols an unknown card as a new member, which leaves the list and is recognised by the boards', async () => {
    const roles = await admin.get<Page<{ id: number; name: string }>>('/api/roles?q=fab%20users');
    const roleId = roles.body.items[0]?.id;
    const created = await admin.post<MemberDto>(`/api/unknown-cards/${CARD_A.toUpperCase()}/member`, {
      name: 'Nuovo',
      surname: 'Socio',
      roleId,
      email: 'Nuovo@Example.org',
    });
    expect(created).toMatchObject({
      status: 201,
      body: { name: 'Nuovo', cardUid: CARD_A, email: 'nuovo@example.org', roleName: 'Fab Users' },
    });
    const list = await admin.get<Page<UnknownCardDto>>('/api/unknown-cards');
    expect(list.body.items.map((c) => c.cardUid)).not.toContain(CARD_A);
    const board = await lab.board('3');
    expect(await reply(board.checkuser(CARD_A))).toMatchObject({ is_valid: true, name: 'Nuovo' });

    expect(await admin.post(`/api/unknown-cards/${CARD_A}/member`, { name: 'Again', roleId })).toMatchObject({
      status: 409,
      body: { code: 'CARD_TAKEN', params: { member: 'Nuovo Socio' } },
    });
    expect(await admin.post('/api/unknown-cards/xyz/member', { name: 'Bad', roleId })).toMatchObject({
      status: 400,
      body: { fields: { uid: expect.any(Array) } },
    });
    expect(await admin.post(`/api/unknown-cards/${CARD_C}/member`, { roleId })).toMatchObject({
      status: 400,
    });
    const audit = await lab.dataSource
      .getRepository(AuditEntry)
      .findBy({ entityType: 'member', entityId: String(created.body.id) });
    expect(audit.map((a) => a.action)).toEqual(['create']);
  });

  it('exports the unknown cards as CSV and XLSX', async () => {
    const csv = await admin.get<string>('/api/unknown-cards/export?format=csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const rows = csvRows(csv.body);
    expect(rows.map((r) => r['card'])).toEqual(['abcdef01', 'c0ffee00', CARD_B, CARD_C]);
    expect(rows[2]).toMatchObject({ taps: '1', 'last board id': '77', 'last machine': '' });
    const sheet = await xlsxRows(
      await download(lab.running.httpUrl, TEST_ADMIN, '/api/unknown-cards/export?format=xlsx&q=feed'),
    );
    expect(sheet).toEqual([
      ['card', 'last seen at', 'last machine', 'last board id', 'taps'],
      [CARD_C, '2026-03-01T09:00:00.000Z', 'Trapano', '3', 1],
    ]);
  });

  it('counts a card again, with all its taps, once its member is deleted', async () => {
    const members = await admin.get<Page<MemberDto>>(`/api/members?q=${CARD_A}`);
    const member = members.body.items.find((m) => m.cardUid === CARD_A);
    expect(member).toBeDefined();
    expect((await admin.delete(`/api/members/${member?.id}`)).status).toBeLessThan(300);
    const list = await admin.get<Page<UnknownCardDto>>(`/api/unknown-cards?q=${CARD_A}`);
    expect(list.body).toMatchObject({ total: 1, items: [{ cardUid: CARD_A, taps: 3, lastTopicId: '012' }] });
  });
});
