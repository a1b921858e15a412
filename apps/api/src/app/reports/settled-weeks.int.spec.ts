import type { UsageByWeekReport } from '@fabomatic/contracts';
import { rebuildAggregates } from '../../cli/rebuild-aggregates-command';
import type { ApiClient } from '../../testing/api-client';
import { type LabIds, labIds } from '../../testing/lab-ids';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { type TestApp, type TestDatabase, startTestApp } from '../../testing/test-app';
import { SettledWeeks } from './settled-weeks';

const DAY = 86_400_000;
/** Europe/Rome under another name: the report then reads the raw history, not the totals. */
const ROME_ALIAS = 'Europe/San_Marino';

/** weeks → `week: machine sessions/seconds` lines, only weeks with use. */
const weekLines = (report: UsageByWeekReport) =>
  report.weeks.flatMap((w) => {
    const cells = report.machines.flatMap((m, i) =>
      (w.machineSessions[i] ?? 0) > 0
        ? [`${m.machineName} ${w.machineSessions[i]}/${w.machineSeconds[i]}`]
        : [],
    );
    return cells.length > 0 ? [`${w.week} ${cells.join(', ')}`] : [];
  });

describe.each<TestDatabase>(['sqlite', 'postgres'])(
  'the weekly report’s kept settled weeks on %s',
  (database) => {
    let lab: TestApp;
    let admin: ApiClient;
    let ids: LabIds;
    // Ten years to tomorrow: the portal's longest range, whose settled weeks are kept in memory.
    const tenYears = () => {
      const to = Date.now() + DAY;
      return `from=${new Date(to - 3650 * DAY).toISOString()}&to=${new Date(to).toISOString()}`;
    };
    const report = async (tz: string) => {
      const response = await admin.get<UsageByWeekReport>(
        `/api/reports/usage-by-week?${tenYears()}&tz=${tz}`,
      );
      expect(response.status).toBe(200);
      return weekLines(response.body);
    };
    /** The report from the totals (kept weeks and live ones), and from the raw history. */
    const both = async () => ({ totals: await report('Europe/Rome'), history: await report(ROME_ALIAS) });
    const addSession = async (machineId: number, memberId: number, startedAt: number, minutes: number) => {
      const created = await admin.post<{ id: number }>('/api/usage', {
        machineId,
        memberId,
        startedAt: new Date(startedAt).toISOString(),
        endedAt: new Date(startedAt + minutes * 60_000).toISOString(),
      });
      expect(created.status).toBe(201);
      return created.body.id;
    };
    /** Noon, `days` ago. */
    const daysAgo = (days: number) => Math.floor((Date.now() - days * DAY) / DAY) * DAY + DAY / 2;

    beforeAll(async () => {
      lab = await startTestApp({
        database,
        broker: 'embedded',
        seed: LAB_SEED,
        env: { JOBS_ENABLED: 'false' },
      });
      admin = await adminClient(lab);
      ids = await labIds(lab.dataSource);
      await addSession(ids.prusa, ids.lucia, daysAgo(400), 90);
      await addSession(ids.laser, ids.mario, daysAgo(60), 30);
      await addSession(ids.prusa, ids.mario, daysAgo(3000), 45);
    }, 60_000);
    afterAll(() => lab?.stop());

    it('serves the settled weeks from memory while nothing changes them', async () => {
      const first = await both();
      expect(first.totals).toEqual(first.history);
      expect(first.totals).toHaveLength(3);
      expect(lab.running.app.get(SettledWeeks).holding).toBe(true);
      // A write behind the totals' back (never done by the app) is not seen: the weeks come from memory.
      await lab.dataSource.query(
        `UPDATE "usage_machine_totals" SET "sessions" = "sessions" + 5 WHERE "period" = 'w' AND "machineId" = ${ids.laser}`,
      );
      expect(await report('Europe/Rome')).toEqual(first.totals);
      await lab.dataSource.query(
        `UPDATE "usage_machine_totals" SET "sessions" = "sessions" - 5 WHERE "period" = 'w' AND "machineId" = ${ids.laser}`,
      );
    });

    it('shows at once what staff change in a settled week: created, corrected, deleted', async () => {
      const created = await addSession(ids.laser, ids.lucia, daysAgo(200), 75);
      let now = await both();
      expect(now.totals).toEqual(now.history);
      expect(now.totals.join('\n')).toContain('Laser Trotec Speedy 400 1/4500');

      const patched = await admin.patch(`/api/usage/${created}`, {
        endedAt: new Date(daysAgo(200) + 20 * 60_000).toISOString(),
      });
      expect(patched.status).toBe(200);
      now = await both();
      expect(now.totals).toEqual(now.history);
      expect(now.totals.join('\n')).toContain('Laser Trotec Speedy 400 1/1200');

      expect((await admin.delete(`/api/usage/${created}`)).status).toBe(200);
      now = await both();
      expect(now.totals).toEqual(now.history);
      expect(now.totals).toHaveLength(3);
    });

    it('reads the kept weeks again right after staff change one, not at the next report', async () => {
      const weeks = lab.running.app.get(SettledWeeks);
      expect((await both()).totals).toHaveLength(3);
      const created = await addSession(ids.laser, ids.lucia, daysAgo(150), 40);
      await weeks.reading();
      // Behind the totals' back after that read: the report does not see it, so it came from the
      // weeks read after the change, not from a read at report time.
      const laser = `"period" = 'w' AND "machineId" = ${ids.laser}`;
      await lab.dataSource.query(
        `UPDATE "usage_machine_totals" SET "sessions" = "sessions" + 5 WHERE ${laser}`,
      );
      const totals = await report('Europe/Rome');
      await lab.dataSource.query(
        `UPDATE "usage_machine_totals" SET "sessions" = "sessions" - 5 WHERE ${laser}`,
      );
      expect(totals).toEqual(await report(ROME_ALIAS));
      expect(totals.join('\n')).toContain('Laser Trotec Speedy 400 1/2400');
      expect((await admin.delete(`/api/usage/${created}`)).status).toBe(200);
    });

    it('shows a board’s buffered session of two weeks ago, and a session of this week', async () => {
      const board = await lab.board('1');
      // Replayed from the board's buffer: a stop alone, 15 days long, so it began in a settled week.
      const replayed = await board.stopuse(CARDS.lucia, 15 * 86_400, true);
      expect(replayed.status).toBe('reply');
      const live = await board.startuse(CARDS.mario);
      expect(live.status).toBe('reply');
      expect((await board.stopuse(CARDS.mario, 120)).status).toBe('reply');
      await lab.settled();
      const now = await both();
      expect(now.totals).toEqual(now.history);
      expect(now.totals).toHaveLength(5);
    });

    it('shows what a command beside the app wrote: a rebuild after history added behind its back', async () => {
      // A legacy import writes sessions, then rebuilds the totals (rebuild-aggregates).
      const startedAt = daysAgo(1000);
      await lab.dataSource.query(
        `INSERT INTO "usage_sessions" ("machineId", "memberId", "startedAt", "lastSeenAt", "endedAt") VALUES (${ids.laser}, ${ids.mario}, ${startedAt}, ${startedAt + 3_600_000}, ${startedAt + 3_600_000})`,
      );
      const before = await both();
      expect(before.totals).not.toEqual(before.history);
      await rebuildAggregates(lab.config);
      const after = await both();
      expect(after.totals).toEqual(after.history);
      expect(after.totals).toHaveLength(6);
    });
  },
);
