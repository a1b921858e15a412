import type { QueryResult } from '@fabomatic/board-sim';
import type {
  BusiestHoursReport,
  MaintenanceReport,
  SessionsByMemberReport,
  UsageByWeekReport,
} from '@fabomatic/contracts';
import type { ApiClient } from '../../testing/api-client';
import { type LabIds, labIds } from '../../testing/lab-ids';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { type TestApp, type TestDatabase, startTestApp } from '../../testing/test-app';

async function reply(result: Promise<QueryResult>): Promise<Record<string, unknown>> {
  const r = await result;
  if (r.status !== 'reply' || r.reply === null) throw new Error(`expected a reply, got ${JSON.stringify(r)}`);
  return r.reply;
}

const MARCH = 'from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z';

/** weeks → `week: machine sessions/seconds` lines, for exact comparison. */
const weekLines = (report: UsageByWeekReport) =>
  report.weeks.map(
    (w) =>
      `${w.week} ${w.weekStart} ${w.seconds}s:` +
      report.machines
        .flatMap((m, i) => {
          const sessions = w.machineSessions[i] ?? 0;
          const seconds = w.machineSeconds[i] ?? 0;
          return sessions > 0
            ? [` ${m.machineName} ${sessions}/${seconds}/${Math.round(seconds / 36) / 100}h`]
            : [];
        })
        .join(','),
  );

/** The non-empty cells of a weekday × hour matrix as `day hour count` (0 = Monday). */
const cells = (report: BusiestHoursReport) =>
  report.sessions.flatMap((hours, day) =>
    hours.flatMap((count, hour) => (count > 0 ? [`${day} ${hour} ${count}`] : [])),
  );

describe.each<TestDatabase>(['sqlite', 'postgres'])('reports on %s', (database) => {
  let lab: TestApp;
  let admin: ApiClient;
  let ids: LabIds;
  const get = async <T>(path: string) => {
    const response = await admin.get<T>(path);
    expect([path, response.status]).toEqual([path, 200]);
    return response.body;
  };

  beforeAll(async () => {
    // No orphan closing during the test: the open session below stays open.
    lab = await startTestApp({
      database,
      broker: 'embedded',
      seed: LAB_SEED,
      env: { ORPHAN_CHECK_SECONDS: '86400' },
    });
    admin = await adminClient(lab);
    ids = await labIds(lab.dataSource);

    // Boards at 2026-03-10 10:00Z (a Tuesday, 11:00 in Rome): Stefano used the Prusa for the half
    // hour before; Lucía is still on the CNC.
    const back = Date.parse('2026-03-10T10:00:00Z') - Date.now();
    lab.clock.advance(back);
    await reply((await lab.board('1')).stopuse(CARDS.staff, 1800));
    await reply((await lab.board('4')).startuse(CARDS.lucia));
    lab.clock.advance(-back);

    const sessions: [number, number, string, string][] = [
      [ids.lucia, ids.prusa, '2026-03-02T08:00:00Z', '2026-03-02T10:00:00Z'], // Mon 09:00 Rome, W10
      [ids.mario, ids.prusa, '2026-03-04T17:30:00Z', '2026-03-04T18:00:00Z'], // Wed 18:30, W10
      [ids.mario, ids.laser, '2026-03-08T23:30:00Z', '2026-03-09T00:30:00Z'], // Sun in UTC, Mon 00:30 in Rome
      [ids.mario, ids.drill, '2026-03-16T08:15:00Z', '2026-03-16T08:45:00Z'], // Mon 09:15, W12
      [ids.lucia, ids.drill, '2026-03-29T00:30:00Z', '2026-03-29T01:30:00Z'], // Sun 01:30 CET
      [ids.lucia, ids.drill, '2026-03-29T01:30:00Z', '2026-03-29T02:00:00Z'], // Sun 03:30 CEST
      [ids.staff, ids.laser, '2026-03-30T06:00:00Z', '2026-03-30T08:00:00Z'], // Mon 08:00, W14
      [ids.lucia, ids.prusa, '2026-04-01T00:00:00Z', '2026-04-01T01:00:00Z'], // after the range
    ];
    for (const [memberId, machineId, startedAt, endedAt] of sessions) {
      const created = await admin.post('/api/usage', { memberId, machineId, startedAt, endedAt });
      expect(created.status).toBe(201);
    }
  });
  afterAll(() => lab?.stop());

  it('sums hours per machine per ISO week in the lab time zone, every week listed', async () => {
    const rome = await get<UsageByWeekReport>(`/api/reports/usage-by-week?${MARCH}&tz=Europe/Rome`);
    expect(rome).toMatchObject({
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-04-01T00:00:00.000Z',
      timeZone: 'Europe/Rome',
    });
    expect(weekLines(rome)).toEqual([
      '2026-W09 2026-02-23 0s:',
      '2026-W10 2026-03-02 9000s: Prusa MK4 2/9000/2.5h',
      '2026-W11 2026-03-09 5400s: Laser Trotec Speedy 400 1/3600/1h, Prusa MK4 1/1800/0.5h',
      '2026-W12 2026-03-16 1800s: Trapano 1/1800/0.5h',
      '2026-W13 2026-03-23 5400s: Trapano 2/5400/1.5h',
      '2026-W14 2026-03-30 7200s: Laser Trotec Speedy 400 1/7200/2h',
    ]);
    expect(rome.weeks[1]?.hours).toBe(2.5);
    // A date alone as the end includes its day: the same range.
    const days = await get<UsageByWeekReport>(
      '/api/reports/usage-by-week?from=2026-03-01&to=2026-03-31&tz=Europe/Rome',
    );
    expect(days).toMatchObject({ to: '2026-04-01T00:00:00.000Z' });
    expect(weekLines(days)).toEqual(weekLines(rome));
    // In UTC the late Sunday session belongs to week 10.
    const utc = await get<UsageByWeekReport>(`/api/reports/usage-by-week?${MARCH}`);
    expect(utc.timeZone).toBe('UTC');
    expect(weekLines(utc).slice(1, 3)).toEqual([
      '2026-W10 2026-03-02 12600s: Laser Trotec Speedy 400 1/3600/1h, Prusa MK4 2/9000/2.5h',
      '2026-W11 2026-03-09 1800s: Prusa MK4 1/1800/0.5h',
    ]);
    const laser = await get<UsageByWeekReport>(
      `/api/reports/usage-by-week?${MARCH}&tz=Europe/Rome&machineId=${ids.laser}`,
    );
    expect(laser.weeks.map((w) => w.seconds)).toEqual([0, 0, 3600, 0, 0, 7200]);
  });

  it('ranks members by hours of use', async () => {
    const report = await get<SessionsByMemberReport>(`/api/reports/sessions-by-member?${MARCH}`);
    expect(report.memberCount).toBe(3);
    expect(report.members).toEqual([
      { memberId: ids.lucia, memberName: 'Lucía Martínez', sessions: 3, seconds: 12600, hours: 3.5 },
      { memberId: ids.staff, memberName: 'Stefano Staff', sessions: 2, seconds: 9000, hours: 2.5 },
      { memberId: ids.mario, memberName: 'Mario Rossi', sessions: 3, seconds: 7200, hours: 2 },
    ]);
    const top = await get<SessionsByMemberReport>(
      `/api/reports/sessions-by-member?${MARCH}&limit=1&machineId=${ids.drill}`,
    );
    expect(top.memberCount).toBe(2);
    expect(top.members.map((m) => [m.memberName, m.sessions, m.hours])).toEqual([['Lucía Martínez', 2, 1.5]]);
  });

  it('counts sessions started per weekday and hour, open ones included', async () => {
    const rome = await get<BusiestHoursReport>(`/api/reports/busiest-hours?${MARCH}&tz=Europe/Rome`);
    expect(rome.total).toBe(9);
    expect(rome.sessions).toHaveLength(7);
    expect(rome.sessions.every((day) => day.length === 24)).toBe(true);
    expect(cells(rome)).toEqual(['0 0 1', '0 8 1', '0 9 2', '1 10 1', '1 11 1', '2 18 1', '6 1 1', '6 3 1']);
    const utc = await get<BusiestHoursReport>(`/api/reports/busiest-hours?${MARCH}&tz=UTC`);
    expect(cells(utc)).toEqual(['0 6 1', '0 8 2', '1 9 1', '1 10 1', '2 17 1', '6 0 1', '6 1 1', '6 23 1']);
    const prusa = await get<BusiestHoursReport>(`/api/reports/busiest-hours?${MARCH}&machineId=${ids.prusa}`);
    expect(prusa.total).toBe(3);
  });

  it('defaults to the last 365 days', async () => {
    const report = await get<UsageByWeekReport>('/api/reports/usage-by-week');
    expect(report.weeks.length).toBeGreaterThanOrEqual(53);
    expect(report.weeks.length).toBeLessThanOrEqual(54);
    expect(report.weeks.reduce((sum, w) => sum + w.seconds, 0)).toBe(9000 + 5400 + 1800 + 5400 + 7200 + 3600);
    expect(Date.parse(report.to) - Date.parse(report.from)).toBe(365 * 86_400_000);
  });

  it('refuses bad ranges, zones and limits', async () => {
    for (const bad of [
      'usage-by-week?tz=Mars/Olympus',
      'usage-by-week?from=2026-03-02&to=2026-03-01',
      'usage-by-week?from=2000-01-01&to=2026-01-01',
      'busiest-hours?from=yesterday',
      'sessions-by-member?limit=0',
      'sessions-by-member?limit=101',
      'busiest-hours?machineId=x',
      'usage-by-week?extra=1',
    ]) {
      const response = await admin.get<{ code: string }>(`/api/reports/${bad}`);
      expect([bad, response.status, response.body.code]).toEqual([bad, 400, 'VALIDATION_FAILED']);
    }
    // The rules broken, for the portal to state them.
    expect((await admin.get('/api/reports/usage-by-week?from=2026-03-02&to=2026-03-01')).body).toMatchObject({
      rules: { to: [{ rule: 'afterFrom' }] },
    });
    expect((await admin.get('/api/reports/usage-by-week?from=2000-01-01&to=2026-01-01')).body).toMatchObject({
      rules: { from: [{ rule: 'maxYears', max: 10 }] },
    });
    expect((await admin.get('/api/reports/sessions-by-member?limit=101')).body).toMatchObject({
      rules: { limit: [{ rule: 'max', max: 100 }] },
    });
    expect((await admin.get('/api/reports/usage-by-week?extra=1')).body).toMatchObject({
      rules: { extra: [{ rule: 'whitelistValidation' }] },
    });
  });

  it('reports maintenance per machine and plan, following interventions', async () => {
    const before = await get<MaintenanceReport>('/api/reports/maintenance');
    expect(before.machines.map((m) => [m.machineName, m.usageHours, m.plans.length])).toEqual([
      ['Fresa CNC', 0, 0],
      ['Laser Trotec Speedy 400', 3, 1],
      ['Prusa MK4', 4, 0],
      ['Trapano', 2, 0],
    ]);
    const [plan] = before.machines[1]?.plans ?? [];
    expect(plan).toMatchObject({
      description: 'Clean the lens and mirrors',
      hoursBetween: 1,
      hoursSince: 3,
      hoursRemaining: 0,
      due: true,
      lastInterventionAt: null,
    });
    expect(await reply((await lab.board('012')).maintenance(CARDS.admin))).toMatchObject({
      request_ok: true,
    });
    const after = await get<MaintenanceReport>('/api/reports/maintenance');
    expect(after.machines[1]?.plans[0]).toMatchObject({ hoursSince: 0, hoursRemaining: 1, due: false });
    const performed = Date.parse(after.machines[1]?.plans[0]?.lastInterventionAt ?? '');
    expect(Date.now() - performed).toBeLessThan(60_000);
  });
});
