import {
  type AccessEventDto,
  type AuditEntryDto,
  COUNT_LIMIT,
  type Page,
  type UsageSessionDto,
} from '@fabomatic/contracts';
import type { ApiClient } from '../../testing/api-client';
import { type LabIds, labIds } from '../../testing/lab-ids';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { startTestApp, type TestApp, type TestDatabase } from '../../testing/test-app';
import { AccessEvent } from '../access-events/access-event.entity';
import { AuditEntry } from '../audit/audit-entry.entity';
import { UsageSession } from './usage-session.entity';

const BASE = Date.parse('2026-02-02T08:00:00Z');
const MINUTE = 60_000;

/** Every page of a list, walked by `nextCursor`, then back by `prevCursor` from the last one. */
async function walk<T extends { id: number }>(admin: ApiClient, path: string) {
  const join = path.includes('?') ? '&' : '?';
  const forward: number[][] = [];
  let page = (await admin.get<Page<T>>(path)).body;
  forward.push(page.items.map((i) => i.id));
  expect(page.prevCursor).toBeNull();
  while (page.nextCursor) {
    const next = await admin.get<Page<T>>(`${path}${join}cursor=${page.nextCursor}`);
    expect(next.status).toBe(200);
    page = next.body;
    forward.push(page.items.map((i) => i.id));
  }
  const backward: number[][] = [page.items.map((i) => i.id)];
  while (page.prevCursor) {
    page = (await admin.get<Page<T>>(`${path}${join}cursor=${page.prevCursor}`)).body;
    backward.unshift(page.items.map((i) => i.id));
  }
  return { forward, backward, total: page.total, totalExact: page.totalExact };
}

describe.each<TestDatabase>(['sqlite', 'postgres'])('history lists on %s', (database) => {
  let lab: TestApp;
  let admin: ApiClient;
  let ids: LabIds;

  beforeAll(async () => {
    lab = await startTestApp({ database, broker: 'embedded', seed: LAB_SEED });
    admin = await adminClient(lab);
    ids = await labIds(lab.dataSource);
    // 47 events on 5 instants: most rows tie on the sort key with others.
    const events = Array.from({ length: 47 }, (_, i) => ({
      occurredAt: new Date(BASE + (i % 5) * MINUTE),
      topicId: i % 2 ? '1' : '012',
      machineId: i % 2 ? ids.prusa : ids.laser,
      cardUid: i % 3 === 0 ? CARDS.mario : i % 3 === 1 ? CARDS.lucia : `dead${String(i).padStart(4, '0')}`,
      memberId: i % 3 === 0 ? ids.mario : i % 3 === 1 ? ids.lucia : null,
      action: 'checkuser' as const,
      reason: i % 3 === 2 ? ('unknown-card' as const) : ('granted' as const),
      granted: i % 3 !== 2,
      level: null,
    }));
    await lab.dataSource.getRepository(AccessEvent).insert(events);
    // 23 sessions on 4 start times, with equal durations too.
    const sessions = Array.from({ length: 23 }, (_, i) => ({
      memberId: i % 2 ? ids.lucia : ids.mario,
      machineId: i % 3 ? ids.prusa : ids.laser,
      startedAt: new Date(BASE - (i % 4) * 60 * MINUTE),
      lastSeenAt: new Date(BASE - (i % 4) * 60 * MINUTE + (i % 3) * MINUTE + MINUTE),
      endedAt: new Date(BASE - (i % 4) * 60 * MINUTE + (i % 3) * MINUTE + MINUTE),
      endReason: 'stopuse' as const,
    }));
    for (const session of sessions) await lab.dataSource.getRepository(UsageSession).insert(session);
  });
  afterAll(() => lab?.stop());

  it('pages access events by cursor: every row exactly once, in order, both ways, ties included', async () => {
    const all = await lab.dataSource
      .getRepository(AccessEvent)
      .find({ order: { occurredAt: 'DESC', id: 'DESC' } });
    const { forward, backward, total, totalExact } = await walk<AccessEventDto>(
      admin,
      '/api/access-events?pageSize=6',
    );
    expect(forward.flat()).toEqual(all.map((e) => e.id));
    expect(forward.slice(0, -1).every((p) => p.length === 6)).toBe(true);
    expect(backward).toEqual(forward);
    expect({ total, totalExact }).toEqual({ total: all.length, totalExact: true });

    const ascending = await walk<AccessEventDto>(admin, '/api/access-events?pageSize=10&order=asc');
    expect(ascending.forward.flat()).toEqual(all.map((e) => e.id).reverse());
  });

  it('pages usage sessions by cursor on every sort, ties on the sort value included', async () => {
    const count = await lab.dataSource.getRepository(UsageSession).count();
    for (const sort of ['startedAt', 'duration', 'machine', 'member']) {
      for (const order of ['asc', 'desc']) {
        const path = `/api/usage?pageSize=4&sort=${sort}&order=${order}`;
        const { forward, backward } = await walk<UsageSessionDto>(admin, path);
        const seen = forward.flat();
        expect(new Set(seen).size).toBe(count);
        expect(seen).toHaveLength(count);
        expect(backward).toEqual(forward);
        // The same order as offset pages read it.
        const offset = await admin.get<Page<UsageSessionDto>>(
          `/api/usage?pageSize=100&sort=${sort}&order=${order}`,
        );
        expect(offset.body.items.map((s) => s.id)).toEqual(seen);
      }
    }
  });

  it('refuses a cursor it did not give or of another sort', async () => {
    const first = await admin.get<Page<AccessEventDto>>('/api/access-events?pageSize=5');
    const bad = await admin.get('/api/access-events?cursor=not-a-cursor');
    expect(bad).toMatchObject({ status: 400, body: { fields: { cursor: expect.any(Array) } } });
    const other = await admin.get(`/api/access-events?order=asc&cursor=${first.body.nextCursor}`);
    expect(other.status).toBe(400);
  });

  it('counts at most COUNT_LIMIT rows of a history, and says the total is not exact', async () => {
    const rows = Array.from({ length: COUNT_LIMIT + 5 }, (_, i) => ({
      occurredAt: new Date(BASE - i),
      actorMemberId: null,
      actorLabel: 'system',
      action: 'bulk',
      entityType: 'test',
      entityId: String(i),
      before: null,
      after: null,
    }));
    for (let i = 0; i < rows.length; i += 200)
      await lab.dataSource.getRepository(AuditEntry).insert(rows.slice(i, i + 200));
    const page = await admin.get<Page<AuditEntryDto>>('/api/audit?entityType=test&pageSize=3');
    expect(page.body).toMatchObject({ total: COUNT_LIMIT, totalExact: false, page: 1 });
    expect(page.body.nextCursor).toEqual(expect.any(String));
    const few = await admin.get<Page<AuditEntryDto>>('/api/audit?entityType=test&entityId=7');
    expect(few.body).toMatchObject({ total: 1, totalExact: true, nextCursor: null, prevCursor: null });
  });

  it('searches access events by card prefix and by member or machine name', async () => {
    const search = async (q: string) =>
      (await admin.get<Page<AccessEventDto>>(`/api/access-events?pageSize=100&q=${q}`)).body;
    const dead = await search('DEAD00');
    expect(dead.items.length).toBe(15);
    expect(dead.items.every((e) => e.cardUid?.startsWith('dead00'))).toBe(true);
    expect((await search('dead0044')).items.map((e) => e.cardUid)).toEqual(['dead0044']);
    // A prefix, not a substring: the card index answers it.
    expect((await search('ad00')).total).toBe(0);
    expect((await search('rossi')).items.every((e) => e.memberId === ids.mario)).toBe(true);
    expect((await search('rossi')).total).toBe(16);
    expect((await search('laser')).total).toBe(24);
    expect((await search('nobody')).total).toBe(0);
  });

  it('searches usage sessions by member name, member card prefix or machine name', async () => {
    const search = async (q: string) =>
      (await admin.get<Page<UsageSessionDto>>(`/api/usage?pageSize=100&q=${q}`)).body;
    expect((await search('mart%C3%ADnez')).items.every((s) => s.memberId === ids.lucia)).toBe(true);
    expect((await search('mart%C3%ADnez')).total).toBe(11);
    expect((await search(CARDS.mario.slice(0, 4))).total).toBe(12);
    expect((await search('trapano')).total).toBe(0);
    expect((await search('prusa')).total).toBe(15);
  });
});
