import type { SimulatedBoard } from '@fabomatic/board-sim';
import type { BusiestHoursReport, SessionsByMemberReport, UsageByWeekReport } from '@fabomatic/contracts';
import { rebuildAggregates } from '../../cli/rebuild-aggregates-command';
import type { ApiClient } from '../../testing/api-client';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { type TestApp, type TestDatabase, startTestApp } from '../../testing/test-app';
import { GdprPurge } from '../jobs/gdpr-purge';
import { Machine } from '../machines/machine.entity';
import { Member } from '../members/member.entity';
import { OrphanSessionsService } from './orphan-sessions.service';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Europe/Rome under another name: the reports read the raw history for it (it is not LAB_TIME_ZONE). */
const ROME_ALIAS = 'Europe/San_Marino';

/** mulberry32: a small seeded PRNG, so that a failing history can be replayed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new Error('nothing to pick');
      return item;
    },
  };
}

interface RawSession {
  memberId: number;
  machineId: number;
  startedAt: number;
  endedAt: number | null;
}

describe.each<TestDatabase>(['sqlite', 'postgres'])('report totals and plan counters on %s', (database) => {
  let lab: TestApp;
  let admin: ApiClient;
  const boards = new Map<string, SimulatedBoard>();
  const machineIds: number[] = [];
  const memberIds: number[] = [];
  let historyStart = 0;
  const cards = [CARDS.admin, CARDS.staff, CARDS.lucia, CARDS.mario];
  const topics = ['1', '012', '3', '4'];

  const rows = (sql: string) => lab.dataSource.query<Record<string, unknown>[]>(sql);
  const numbers = (list: Record<string, unknown>[]) =>
    list.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)])));

  /** Totals rows with their period code kept as text, the rest as numbers. */
  const periods = (list: Record<string, unknown>[]) =>
    list.map((row) => ({ ...numbers([row])[0], period: row['period'] }));

  /** Every total and counter, as stored. */
  const snapshot = async () => ({
    machines: await rows(
      'SELECT "period", "bucket", "machineId", "sessions", "ms" FROM "usage_machine_totals" WHERE "sessions" <> 0 OR "ms" <> 0 ORDER BY 1, 2, 3',
    ).then(periods),
    members: await rows(
      'SELECT "period", "bucket", "memberId", "sessions", "ms" FROM "usage_member_totals" WHERE "sessions" <> 0 OR "ms" <> 0 ORDER BY 1, 2, 3',
    ).then(periods),
    hours: numbers(
      await rows('SELECT "hour", "sessions" FROM "usage_hours" WHERE "sessions" <> 0 ORDER BY 1'),
    ),
    plans: numbers(await rows('SELECT "id", "countedSince", "usedMs" FROM "maintenance_plans" ORDER BY 1')),
  });

  /** What maintenance summed before the counters: closed use since the plan's last intervention. */
  const oldPlanSums = async () =>
    numbers(
      await rows(
        `SELECT p."id", COALESCE((SELECT SUM(s."endedAt" - s."startedAt") FROM "usage_sessions" s
           WHERE s."machineId" = p."machineId" AND s."endedAt" IS NOT NULL AND s."startedAt" >= COALESCE(
             (SELECT MAX(i."performedAt") FROM "interventions" i WHERE i."planId" = p."id"), 0)), 0) AS "usedMs"
         FROM "maintenance_plans" p ORDER BY p."id"`,
      ),
    );

  const sessions = async (): Promise<RawSession[]> =>
    (await rows('SELECT "memberId", "machineId", "startedAt", "endedAt" FROM "usage_sessions"')).map((r) => ({
      memberId: Number(r['memberId']),
      machineId: Number(r['machineId']),
      startedAt: Number(r['startedAt']),
      endedAt: r['endedAt'] === null ? null : Number(r['endedAt']),
    }));

  const ids = async (table: string) =>
    (await rows(`SELECT "id" FROM "${table}"`)).map((r) => Number(r['id']));

  beforeAll(async () => {
    lab = await startTestApp({
      database,
      broker: 'embedded',
      seed: LAB_SEED,
      // Orphans are closed by the test's own calls, at the times it chooses.
      // The GDPR purge runs when the test says, and gives history over 60 days old to Anonymous.
      env: {
        ORPHAN_CHECK_SECONDS: '86400',
        SESSION_ORPHAN_MINUTES: '60',
        JOBS_ENABLED: 'false',
        RETENTION_DAYS: '60',
      },
    });
    admin = await adminClient(lab);
    for (const topic of topics) boards.set(topic, await lab.board(topic));
    machineIds.push(...(await lab.dataSource.getRepository(Machine).find()).map((m) => m.id));
    memberIds.push(
      ...(await lab.dataSource.getRepository(Member).find())
        .filter((m) => (cards as string[]).includes(m.cardUid ?? ''))
        .map((m) => m.id),
    );
    // The history starts before the spring change to summer time (2026-03-29).
    historyStart = Date.parse('2026-02-20T06:00:00Z');
    lab.clock.advance(historyStart - lab.clock.now().getTime());
    for (const machineId of machineIds.slice(0, 2)) {
      const plan = await admin.post('/api/maintenance-plans', {
        machineId,
        hoursBetween: 5,
        description: 'Check belts',
      });
      expect(plan.status).toBe(201);
    }
  }, 60_000);
  afterAll(() => lab?.stop());

  it('keeps the running totals equal to a rebuild after a random history of board and staff writes', async () => {
    const random = prng(20261205);
    const board = (topic: string) => {
      const b = boards.get(topic);
      if (!b) throw new Error(`no board ${topic}`);
      return b;
    };
    const kinds: Record<string, number> = {};
    for (let op = 0; op < 320; op++) {
      // About 100 days in all: whole blocks of weeks, the spring change to summer time.
      lab.clock.advance(random.int(1, 900) * MINUTE);
      const now = lab.clock.now().getTime();
      const roll = random.next();
      const topic = random.pick(topics);
      const card = random.pick(cards);
      let kind: string;
      if (roll < 0.25) {
        kind = 'startuse';
        await board(topic).startuse(card, random.next() < 0.1);
      } else if (roll < 0.35) {
        kind = 'inuse';
        await board(topic).inuse(card, random.int(0, 3 * 3600));
      } else if (roll < 0.55) {
        kind = 'stopuse';
        await board(topic).stopuse(card, random.int(0, 4 * 3600), random.next() < 0.1);
      } else if (roll < 0.6) {
        kind = 'orphans';
        await lab.running.app.get(OrphanSessionsService).closeOrphans();
      } else if (roll < 0.7) {
        kind = 'create';
        const startedAt = random.int(historyStart, now - HOUR);
        const endedAt = startedAt + random.int(1, 300) * MINUTE;
        await admin.post('/api/usage', {
          memberId: random.pick(memberIds),
          machineId: random.pick(machineIds),
          startedAt: new Date(startedAt).toISOString(),
          endedAt: new Date(Math.min(endedAt, now)).toISOString(),
        });
      } else if (roll < 0.8) {
        kind = 'update';
        const all = await ids('usage_sessions');
        if (all.length === 0) continue;
        const id = random.pick(all);
        const [current] = await rows(
          `SELECT "startedAt", "endedAt" FROM "usage_sessions" WHERE "id" = ${id}`,
        );
        const start = Number(current?.['startedAt']) + random.int(-3 * 24 * 60, 60) * MINUTE;
        const end = start + random.int(1, 600) * MINUTE;
        await admin.patch(`/api/usage/${id}`, {
          startedAt: new Date(start).toISOString(),
          ...(random.next() < 0.8 ? { endedAt: new Date(Math.min(end, now)).toISOString() } : {}),
        });
      } else if (roll < 0.86) {
        kind = 'delete';
        const all = await ids('usage_sessions');
        if (all.length > 0) await admin.delete(`/api/usage/${random.pick(all)}`);
      } else if (roll < 0.92) {
        kind = 'intervention';
        const plans = numbers(await rows('SELECT "id", "machineId" FROM "maintenance_plans"'));
        const plan = random.pick(plans);
        await admin.post('/api/interventions', {
          machineId: plan['machineId'],
          planId: plan['id'],
          performedAt: new Date(random.int(historyStart, now)).toISOString(),
        });
      } else if (roll < 0.96) {
        kind = 'delete-intervention';
        const all = await ids('interventions');
        if (all.length > 0) await admin.delete(`/api/interventions/${random.pick(all)}`);
      } else {
        // A maintainer's long tap: records an intervention on every due plan of the machine.
        kind = 'maintenance';
        await board(topic).maintenance(CARDS.admin);
      }
      kinds[kind] = (kinds[kind] ?? 0) + 1;
    }
    // The purge moves old sessions' member totals to Anonymous; a machine goes with its history.
    expect((await lab.running.app.get(GdprPurge).run()).sessionsAnonymised).toBeGreaterThan(10);
    const gone = machineIds.pop();
    expect((await admin.delete(`/api/machines/${gone}?confirm=true`)).status).toBe(200);

    const history = await sessions();
    // The history is rich enough to mean something: every kind of write, closed and open sessions.
    expect(Object.keys(kinds).sort()).toEqual(
      [
        'create',
        'delete',
        'delete-intervention',
        'intervention',
        'inuse',
        'maintenance',
        'orphans',
        'startuse',
        'stopuse',
        'update',
      ].sort(),
    );
    expect(history.filter((s) => s.endedAt !== null).length).toBeGreaterThan(60);
    expect(Number((await rows('SELECT COUNT(*) AS "n" FROM "interventions"'))[0]?.['n'])).toBeGreaterThan(5);

    const running = await snapshot();
    expect(running.machines.filter((t) => t['period'] === 'w').length).toBeGreaterThan(5);
    expect(running.members.filter((t) => t['period'] === 'd').length).toBeGreaterThan(20);
    expect(running.members.filter((t) => t['period'] === 'b').length).toBeGreaterThan(4);
    // The plans count exactly what the old history sums gave.
    expect(running.plans.map(({ id, usedMs }) => ({ id, usedMs }))).toEqual(await oldPlanSums());
    expect(running.plans.some((p) => (p['usedMs'] ?? 0) > 0)).toBe(true);

    const counts = await rebuildAggregates(lab.config);
    expect(counts.sessions).toBe(history.length);
    expect(await snapshot()).toEqual(running);
  }, 240_000);

  it('gives the same reports from the totals as from the raw history, for random ranges', async () => {
    const random = prng(7);
    const history = await sessions();
    const end = lab.clock.now().getTime();
    // Random ranges, and the whole history (several whole blocks of weeks) from odd instants.
    const whole = Array.from({ length: 3 }, (_, i) => [
      historyStart - i * 5 * DAY - 17 * MINUTE,
      end + i * 3 * DAY + 23 * MINUTE,
    ]);
    for (let i = 0; i < 28; i++) {
      const from =
        whole[i - 25]?.[0] ??
        random.int(historyStart - 3 * DAY, end) - (random.next() < 0.2 ? 0 : random.int(0, 59) * MINUTE);
      const to =
        whole[i - 25]?.[1] ??
        from + random.pick([random.int(1, 120) * MINUTE, random.int(1, 30) * DAY, random.int(30, 120) * DAY]);
      const machineId = random.next() < 0.3 && i < 25 ? random.pick(machineIds) : undefined;
      const range = `from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}${
        machineId === undefined ? '' : `&machineId=${machineId}`
      }`;
      const get = async <T>(path: string) => {
        const response = await admin.get<T>(path);
        expect([path, response.status]).toEqual([path, 200]);
        return response.body;
      };

      const weeks = await get<UsageByWeekReport>(`/api/reports/usage-by-week?${range}&tz=Europe/Rome`);
      const weeksRaw = await get<UsageByWeekReport>(`/api/reports/usage-by-week?${range}&tz=${ROME_ALIAS}`);
      expect([range, weeks.machines, weeks.weeks]).toEqual([range, weeksRaw.machines, weeksRaw.weeks]);

      const hours = await get<BusiestHoursReport>(`/api/reports/busiest-hours?${range}&tz=Europe/Rome`);
      const hoursRaw = await get<BusiestHoursReport>(`/api/reports/busiest-hours?${range}&tz=${ROME_ALIAS}`);
      expect([range, hours.sessions, hours.total]).toEqual([range, hoursRaw.sessions, hoursRaw.total]);
      const started = history.filter(
        (s) =>
          s.startedAt >= from && s.startedAt < to && (machineId === undefined || s.machineId === machineId),
      );
      expect([range, hours.total]).toEqual([range, started.length]);

      // Members: against the history summed here.
      const members = await get<SessionsByMemberReport>(`/api/reports/sessions-by-member?${range}&limit=100`);
      const expected = new Map<number, { sessions: number; ms: number }>();
      for (const s of started) {
        if (s.endedAt === null) continue;
        const total = expected.get(s.memberId) ?? { sessions: 0, ms: 0 };
        total.sessions++;
        total.ms += s.endedAt - s.startedAt;
        expected.set(s.memberId, total);
      }
      const ranked = [...expected.entries()]
        .sort(([ia, a], [ib, b]) => b.ms - a.ms || b.sessions - a.sessions || ia - ib)
        .map(([memberId, t]) => ({ memberId, sessions: t.sessions, seconds: Math.round(t.ms / 1000) }));
      expect([range, members.memberCount]).toEqual([range, expected.size]);
      expect([
        range,
        members.members.map((m) => ({ memberId: m.memberId, sessions: m.sessions, seconds: m.seconds })),
      ]).toEqual([range, ranked]);
    }
  }, 240_000);
});
