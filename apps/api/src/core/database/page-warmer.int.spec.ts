import { LAB_SEED } from '../../testing/lab-seed';
import { startTestApp, type TestApp } from '../../testing/test-app';
import { AccessEvent } from '../../app/access-events/access-event.entity';
import { Machine } from '../../app/machines/machine.entity';
import { Member } from '../../app/members/member.entity';
import { UsageAggregates, warmTotals } from '../../app/usage/usage-aggregates';
import { UsageSession } from '../../app/usage/usage-session.entity';
import type { PageWarmer } from './page-warmer';
import { sqlRunnerOf } from './sql';
import { UnitOfWork } from './unit-of-work';

/**
 * Bulk jobs read their next transaction's pages ahead in the portal's reader thread (SQLite files
 * only): every index entry of the rows they will change, and the report totals those rows count in.
 * Nothing can check a page cache from here; what is checked is that each read-ahead finds exactly
 * the entries and rows the transaction will touch, on the app's real schema.
 */
describe('PageWarmer on SQLite', () => {
  let lab: TestApp;
  let warmer: PageWarmer;
  let machineId: number;
  let memberId: number;
  let otherId: number;

  /** Indexes of `table` in the schema, the partial ones apart. */
  const indexes = async (table: string) => {
    const rows = await lab.dataSource.query<{ sql: string }[]>(
      `SELECT "sql" FROM "sqlite_master" WHERE "type" = 'index' AND "tbl_name" = ? AND "sql" IS NOT NULL`,
      [table],
    );
    const partial = rows.filter((r) => / WHERE /i.test(r.sql)).length;
    return { full: rows.length - partial, partial };
  };

  beforeAll(async () => {
    lab = await startTestApp({
      database: 'sqlite',
      broker: 'embedded',
      seed: LAB_SEED,
      env: { JOBS_ENABLED: 'false' },
    });
    const pageWarmer = lab.running.app.get(UnitOfWork).pageWarmer;
    if (!pageWarmer) throw new Error('a SQLite file app reads pages ahead');
    warmer = pageWarmer;
    machineId = (await lab.dataSource.getRepository(Machine).findOneByOrFail({ topicId: '1' })).id;
    const members = await lab.dataSource.getRepository(Member).find({ order: { id: 'ASC' } });
    memberId = members[0].id;
    otherId = members[1].id;
  });
  afterAll(() => lab?.stop());

  it("finds every index entry of a sweep's rows, expression and partial indexes included", async () => {
    const sessions = lab.dataSource.getRepository(UsageSession);
    const start = Date.parse('2026-03-02T08:00:00Z');
    const session = (i: number, open: boolean) => ({
      memberId,
      machineId,
      startedAt: new Date(start + i * 3_600_000),
      lastSeenAt: new Date(start + i * 3_600_000 + 600_000),
      endedAt: open ? null : new Date(start + i * 3_600_000 + 1_800_000),
      endReason: open ? null : ('stopuse' as const),
    });
    const closed = await sessions.save(Array.from({ length: 9 }, (_, i) => session(i, false)));
    const open = await sessions.save(session(20, true));
    const ids = [...closed, open].map((s) => s.id);
    const { full, partial } = await indexes('usage_sessions');
    expect(partial).toBeGreaterThan(0);
    // Each row is in every full index; only the open session in the partial one (one open per machine).
    expect(await warmer.rows('usage_sessions', ids)).toBe(ids.length * full + partial);

    const events = lab.dataSource.getRepository(AccessEvent);
    const tap = (i: number, action: 'checkuser' | 'remote-start') => ({
      occurredAt: new Date(start + i * 1000),
      topicId: '1',
      machineId,
      cardUid: i % 2 ? null : 'abcd1234',
      memberId: i % 3 ? memberId : null,
      action,
      reason: 'granted' as const,
      granted: true,
      level: 1,
    });
    const taps = await events.save([
      ...Array.from({ length: 12 }, (_, i) => tap(i, 'checkuser')),
      tap(99, 'remote-start'),
    ]);
    const tapIndexes = await indexes('access_events');
    expect(
      await warmer.rows(
        'access_events',
        taps.map((t) => t.id),
      ),
    ).toBe(taps.length * tapIndexes.full + tapIndexes.partial);
    // Rows that are not there are not found; nothing fails.
    expect(await warmer.rows('access_events', [2_000_000_000])).toBe(0);
  });

  it('finds the report totals a bulk change of sessions moves, and those of the member they move to', async () => {
    const uow = lab.running.app.get(UnitOfWork);
    const zone = lab.config.LAB_TIME_ZONE;
    const sessions = lab.dataSource.getRepository(UsageSession);
    // Two sessions on one day, one a week later: 2 days, 2 weeks, one 8-week block, 2 hours.
    const at = [
      Date.parse('2026-05-04T09:00:00Z'),
      Date.parse('2026-05-04T10:00:00Z'),
      Date.parse('2026-05-11T09:00:00Z'),
    ];
    const saved = await sessions.save(
      at.map((t) => ({
        memberId,
        machineId,
        startedAt: new Date(t),
        lastSeenAt: new Date(t + 600_000),
        endedAt: new Date(t + 1_200_000),
        endReason: 'stopuse' as const,
      })),
    );
    const ids = saved.map((s) => s.id);
    const list = ids.map(() => '?').join(', ');
    await uow.run((em) =>
      new UsageAggregates(sqlRunnerOf(em), zone).addSessions(1, `s."id" IN (${list})`, ids),
    );
    // Machine: 2 weeks + 2 days; member: 1 block + 2 weeks + 2 days; hours: 09:00 twice a week apart, 10:00.
    expect(await warmTotals(warmer, zone, ids)).toBe(4 + 5 + 3);
    // The other member has no totals there yet: nothing more is found, and nothing fails.
    expect(await warmTotals(warmer, zone, ids, otherId)).toBe(12);
    await uow.run((em) =>
      new UsageAggregates(sqlRunnerOf(em), zone).reassign(`s."id" IN (${list})`, ids, otherId),
    );
    await sessions.update(ids, { memberId: otherId });
    expect(await warmTotals(warmer, zone, ids, otherId)).toBe(4 + 5 + 3);
  });
});
