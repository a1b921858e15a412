import { COUNT_LIMIT, type MemberDto, type Page, type UnknownCardDto } from '@fabomatic/contracts';
import type { QueryResult } from '@fabomatic/board-sim';
import { ApiClient, type ApiResponse } from '../../testing/api-client';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { startTestApp, type TestApp, type TestDatabase, TEST_ADMIN } from '../../testing/test-app';
import { AuditEntry } from '../audit/audit-entry.entity';
import { hashPassword } from '../auth/password-hashing';
import { Machine } from '../machines/machine.entity';
import { Member } from '../members/member.entity';
import { Role } from '../roles/role.entity';
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

type CardPage = Page<UnknownCardDto>;
const SORTS = ['lastSeenAt', 'taps', 'cardUid'] as const;

/** Unknown cards written straight into their table: `n` cards `prefix` + a 3-digit number. */
const cards = (prefix: string, n: number, row: (i: number) => { lastSeenAt: Date; taps: number }) =>
  Array.from({ length: n }, (_, i) => ({
    cardUid: `${prefix}${String(i).padStart(3, '0')}`,
    firstSeenAt: new Date(Date.parse('2026-01-01T00:00:00Z')),
    lastTopicId: '1',
    lastMachineId: null,
    ...row(i),
  }));

/** What a cursor holds (they are base64url JSON). */
const decoded = (cursor: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;

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

  describe('paging', () => {
    let viewer: ApiClient;
    const path = (sort: string, order: string, extra = '') =>
      `/api/unknown-cards?sort=${sort}&order=${order}${extra}`;
    /** The list's order: the sort value, then the card UID, both in the direction asked. */
    const ordered = (items: readonly UnknownCardDto[], sort: (typeof SORTS)[number], order: string) => {
      const sign = order === 'desc' ? -1 : 1;
      const compare = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
      return [...items].sort((a, b) => sign * (compare(a[sort], b[sort]) || compare(a.cardUid, b.cardUid)));
    };
    /** Every page from the first by `nextCursor`, then back from the last by `prevCursor`. */
    async function walk(client: ApiClient, base: string) {
      const forward: CardPage[] = [];
      let next: string | null | undefined = null;
      do {
        const response: ApiResponse<CardPage> = await client.get<CardPage>(
          next ? `${base}&cursor=${encodeURIComponent(next)}` : base,
        );
        expect(response.status).toBe(200);
        forward.push(response.body);
        next = response.body.nextCursor;
      } while (next);
      const backward: CardPage[] = [forward.at(-1) as CardPage];
      let prev = forward.at(-1)?.prevCursor;
      while (prev) {
        const response = await client.get<CardPage>(`${base}&cursor=${encodeURIComponent(prev)}`);
        expect(response.status).toBe(200);
        backward.unshift(response.body);
        prev = response.body.prevCursor;
      }
      return { forward, backward };
    }

    beforeAll(async () => {
      // Ties: 3 tap counts and 4 times over 22 cards, both keys shared by many cards.
      const at = (i: number) => new Date(Date.parse('2026-02-01T08:00:00Z') + (i % 4) * 3_600_000);
      await lab.dataSource
        .getRepository(UnknownCard)
        .insert(cards('a1b2c', 22, (i) => ({ lastSeenAt: at(i), taps: 1 + (i % 3) })));
      const roles = lab.dataSource.getRepository(Role);
      const viewers = await roles.save(
        roles.create({ name: 'Viewers', portalAccess: 'read-only', reserved: false }),
      );
      await lab.dataSource.getRepository(Member).update(
        { name: 'Mario' },
        {
          roleId: viewers.id,
          email: 'mario@example.org',
          passwordHash: await hashPassword('Tessera-Verde-2026'),
        },
      );
      viewer = new ApiClient(lab.running.httpUrl);
      expect((await viewer.login('mario@example.org', 'Tessera-Verde-2026')).status).toBe(200);
    });

    it('walks every sort and order by cursor, forward and back, ties neither skipped nor repeated', async () => {
      for (const sort of SORTS) {
        for (const order of ['asc', 'desc']) {
          const all = await admin.get<CardPage>(path(sort, order, '&pageSize=100'));
          expect(all.body).toMatchObject({ total: 27, totalExact: true, nextCursor: null, prevCursor: null });
          const items = all.body.items;
          expect(items).toHaveLength(27);
          expect(items).toEqual(ordered(items, sort, order));
          const { forward, backward } = await walk(admin, path(sort, order, '&pageSize=4'));
          expect(forward).toHaveLength(7);
          expect(forward.flatMap((p) => p.items)).toEqual(items);
          expect(backward.flatMap((p) => p.items)).toEqual(items);
          expect(backward.map((p) => p.items.length)).toEqual([4, 4, 4, 4, 4, 4, 3]);
          expect(forward[0]?.prevCursor).toBeNull();
          expect(backward[0]?.prevCursor).toBeNull();
          expect(forward.at(-1)?.nextCursor).toBeNull();
          // Offset pages (old links) read the same rows.
          const third = await admin.get<CardPage>(path(sort, order, '&pageSize=4&page=3'));
          expect(third.body.items).toEqual(items.slice(8, 12));
          expect(third.body.prevCursor).toEqual(expect.any(String));
          // The export reads in the list's order.
          const csv = await admin.get<string>(
            `/api/unknown-cards/export?format=csv&sort=${sort}&order=${order}`,
          );
          expect(csvRows(csv.body).map((r) => r['card'])).toEqual(items.map((c) => c.cardUid));
        }
      }
    });

    it('refuses a cursor given for another sort or order, or not given at all', async () => {
      const first = await admin.get<CardPage>(path('taps', 'desc', '&pageSize=4'));
      const cursor = encodeURIComponent(first.body.nextCursor ?? '');
      for (const other of [path('lastSeenAt', 'desc'), path('taps', 'asc'), path('cardUid', 'desc')]) {
        expect(await admin.get(`${other}&cursor=${cursor}`)).toMatchObject({
          status: 400,
          body: { code: 'VALIDATION_FAILED', fields: { cursor: expect.any(Array) } },
        });
      }
      const forged = Buffer.from(JSON.stringify({ s: 'taps', o: 'desc', v: 'x', i: 'a1b2c000' })).toString(
        'base64url',
      );
      for (const bad of ['not-a-cursor', forged]) {
        expect((await admin.get(`${path('taps', 'desc')}&cursor=${bad}`)).status).toBe(400);
      }
    });

    it('attack: a read-only user pages by position, and no cursor of theirs holds a card UID', async () => {
      const full = (await admin.get<CardPage>(path('cardUid', 'asc', '&pageSize=100'))).body.items;
      const uids = full.map((c) => c.cardUid);
      const { forward, backward } = await walk(viewer, path('cardUid', 'asc', '&pageSize=5'));
      const masked = full.map((c) => ({ ...c, cardUid: `••••••${c.cardUid.slice(-4)}` }));
      expect(forward.flatMap((p) => p.items)).toEqual(masked);
      expect(backward.flatMap((p) => p.items)).toEqual(masked);
      const cursors = [...forward, ...backward]
        .flatMap((p) => [p.nextCursor, p.prevCursor])
        .filter((c): c is string => typeof c === 'string');
      expect(cursors.length).toBeGreaterThan(5);
      for (const cursor of cursors) {
        expect(Object.keys(decoded(cursor)).sort()).toEqual(['o', 'p', 's']);
        for (const uid of uids) expect(cursor).not.toContain(uid);
        expect(Buffer.from(cursor, 'base64url').toString('utf8')).not.toMatch(/[0-9a-f]{8}/);
      }
      // A manager's keyset cursor, or one forged, would let them probe cards by where a page starts.
      const managers =
        (await admin.get<CardPage>(path('cardUid', 'asc', '&pageSize=5'))).body.nextCursor ?? '';
      const forged = Buffer.from(
        JSON.stringify({ s: 'cardUid', o: 'asc', v: 'a1b2c0', i: 'a1b2c0' }),
      ).toString('base64url');
      for (const cursor of [managers, forged]) {
        expect(await viewer.get(`${path('cardUid', 'asc', '&pageSize=5')}&cursor=${cursor}`)).toMatchObject({
          status: 400,
          body: { code: 'VALIDATION_FAILED', fields: { cursor: expect.any(Array) } },
        });
      }
    });

    it('counts at most COUNT_LIMIT cards, and pages beyond by cursor and by offset', async () => {
      const many = cards('b0b0b', 1100, (i) => ({
        lastSeenAt: new Date(Date.parse('2026-02-02T00:00:00Z') + Math.floor(i / 7) * 1000),
        taps: 5,
      }));
      for (let i = 0; i < many.length; i += 200) {
        await lab.dataSource.getRepository(UnknownCard).insert(many.slice(i, i + 200));
      }
      const first = await admin.get<CardPage>('/api/unknown-cards?pageSize=100');
      expect(first.body).toMatchObject({ total: COUNT_LIMIT, totalExact: false, prevCursor: null });
      const { forward, backward } = await walk(admin, '/api/unknown-cards?order=desc&pageSize=100');
      const items = forward.flatMap((p) => p.items);
      expect(items).toHaveLength(1127);
      expect(new Set(items.map((c) => c.cardUid)).size).toBe(1127);
      expect(items).toEqual(ordered(items, 'lastSeenAt', 'desc'));
      expect(backward.flatMap((p) => p.items)).toEqual(items);
      for (const p of forward) expect(p).toMatchObject({ total: COUNT_LIMIT, totalExact: false });
      const deep = await admin.get<CardPage>('/api/unknown-cards?pageSize=100&page=11');
      expect(deep.body.items).toEqual(items.slice(1000, 1100));
      // A read-only user's position cursors go past the counted rows too.
      const viewed = await walk(viewer, '/api/unknown-cards?order=desc&pageSize=100');
      expect(viewed.forward.flatMap((p) => p.items).map((c) => c.lastSeenAt)).toEqual(
        items.map((c) => c.lastSeenAt),
      );
      expect(viewed.forward.at(-1)).toMatchObject({ page: 1, nextCursor: null, totalExact: false });
    });
  });
});
