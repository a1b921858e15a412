import type { MyAuthorizationsDto, MyRefusedTapDto, MySessionPage, Page } from '@fabomatic/contracts';
import { EXPORT_CHUNK_ROWS } from '../../core/http/export';
import { ApiClient } from '../../testing/api-client';
import { csvExport, xlsxExport } from '../../testing/exports';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { startTestApp, type TestApp, type TestDatabase } from '../../testing/test-app';
import { AccessEvent } from '../access-events/access-event.entity';
import { AuditEntry } from '../audit/audit-entry.entity';
import { Authorization } from '../authorizations/authorization.entity';
import { MachineType } from '../machine-types/machine-type.entity';
import { Machine } from '../machines/machine.entity';
import { Member } from '../members/member.entity';
import { UsageSession } from '../usage/usage-session.entity';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PASSWORD = 'Tessera-Membro-2027';
const ANNA = { email: 'anna@example.org', card: 'a0a0a0a0' } as const;
const BRUNO = { email: 'bruno@example.org', card: 'b0b0b0b0' } as const;
/** Anna's laser authorization expired here (the past: the seed cannot make one otherwise). */
const ANNA_LASER_EXPIRY = '2026-03-12T17:00:00.000Z';

/**
 * Issue 14: a member sees only their own data. Two members with sessions, authorizations and refused
 * taps each: every /api/me route answers with the caller's rows only, exports and data.json included.
 */
describe.each<TestDatabase>(['sqlite', 'postgres'])('a member’s own data on %s', (database) => {
  let lab: TestApp;
  let anna: ApiClient;
  let bruno: ApiClient;
  let ids: { anna: number; bruno: number; machines: Record<string, number> };
  const now = Date.now();

  beforeAll(async () => {
    lab = await startTestApp({
      database,
      broker: 'embedded',
      // Chunks of 2 rows: the exports and data.json read the 3 sessions of a member in two chunks.
      providers: [{ provide: EXPORT_CHUNK_ROWS, useValue: 2 }],
      seed: {
        ...LAB_SEED,
        roles: [...(LAB_SEED.roles ?? []), { name: 'Members', portalAccess: 'member' }],
        machines: [
          ...(LAB_SEED.machines ?? []),
          { topicId: '5', name: 'Plotter', type: 'Printer' },
          { topicId: '6', name: 'Old lathe', type: 'Printer' },
        ],
        members: [
          ...(LAB_SEED.members ?? []),
          {
            name: 'Anna',
            surname: 'Bianchi',
            email: ANNA.email,
            role: 'Members',
            card: ANNA.card,
            password: PASSWORD,
          },
          {
            name: 'Bruno',
            surname: 'Verdi',
            email: BRUNO.email,
            role: 'Members',
            card: BRUNO.card,
            password: PASSWORD,
          },
        ],
        authorizations: [
          ...(LAB_SEED.authorizations ?? []),
          { member: ANNA.card, machine: '1' },
          { member: ANNA.card, machine: '012', expiresAt: ANNA_LASER_EXPIRY },
          { member: ANNA.card, machine: '4' },
          { member: ANNA.card, machine: '6' },
          { member: BRUNO.card, machine: '012', expiresAt: new Date(now + 30 * DAY).toISOString() },
        ],
      },
    });
    const machines = await lab.dataSource.getRepository(Machine).find();
    const byTopic = Object.fromEntries(machines.map((m) => [m.topicId, m.id]));
    await lab.dataSource.getRepository(Machine).update({ topicId: '6' }, { retiredAt: new Date(now - DAY) });
    const members = lab.dataSource.getRepository(Member);
    ids = {
      anna: (await members.findOneByOrFail({ email: ANNA.email })).id,
      bruno: (await members.findOneByOrFail({ email: BRUNO.email })).id,
      machines: byTopic,
    };
    // Anna joined 60 days ago: her card's unknown-card taps before then were not hers.
    await members.update({ id: ids.anna }, { createdAt: new Date(now - 60 * DAY) });
    const session = (memberId: number, topic: string, startedAt: number, hours: number) => ({
      memberId,
      machineId: byTopic[topic],
      startedAt: new Date(startedAt),
      lastSeenAt: new Date(startedAt + hours * HOUR),
      endedAt: new Date(startedAt + hours * HOUR),
      endReason: 'stopuse' as const,
      replay: false,
    });
    await lab.dataSource
      .getRepository(UsageSession)
      .save([
        session(ids.anna, '1', now - 10 * DAY, 1),
        session(ids.anna, '1', now - 5 * DAY, 2),
        session(ids.anna, '012', now - 3 * DAY, 0.5),
        session(ids.bruno, '012', now - 4 * DAY, 3),
        session(ids.bruno, '1', now - 2 * DAY, 4),
      ]);
    const event = (
      memberId: number | null,
      topic: string,
      at: number,
      reason: AccessEvent['reason'],
      card: string,
    ) => ({
      occurredAt: new Date(at),
      topicId: topic,
      machineId: byTopic[topic] ?? null,
      cardUid: card,
      memberId,
      action: 'checkuser' as const,
      reason,
      granted: reason === 'granted',
      level: reason === 'granted' ? 1 : 0,
      replay: false,
      count: 1,
      actorMemberId: null,
    });
    await lab.dataSource
      .getRepository(AccessEvent)
      .save([
        event(ids.anna, '012', now - 2 * HOUR, 'authorization-expired', ANNA.card),
        event(ids.anna, '4', now - 3 * HOUR, 'machine-blocked', ANNA.card),
        event(ids.anna, '1', now - 4 * HOUR, 'granted', ANNA.card),
        event(null, '1', now - 1 * HOUR, 'unknown-card', ANNA.card),
        event(null, '1', now - 70 * DAY, 'unknown-card', ANNA.card),
        event(ids.bruno, '1', now - 90 * 60_000, 'no-authorization', BRUNO.card),
        event(ids.bruno, '5', now - 5 * HOUR, 'machine-out-of-order', BRUNO.card),
        event(null, '1', now - 30 * 60_000, 'unknown-card', CARDS.unknown),
      ]);
    await lab.dataSource.getRepository(AuditEntry).save([
      {
        occurredAt: new Date(now - DAY),
        actorMemberId: null,
        actorLabel: 'staff@example.org',
        action: 'update',
        entityType: 'member',
        entityId: String(ids.anna),
        before: { language: 'en' },
        after: { language: 'it' },
      },
      {
        occurredAt: new Date(now - DAY),
        actorMemberId: null,
        actorLabel: 'staff@example.org',
        action: 'update',
        entityType: 'member',
        entityId: String(ids.bruno),
        before: { surname: 'Verde' },
        after: { surname: 'Verdi' },
      },
    ]);
    anna = new ApiClient(lab.running.httpUrl);
    bruno = new ApiClient(lab.running.httpUrl);
    expect((await anna.login(ANNA.email, PASSWORD)).status).toBe(200);
    expect((await bruno.login(BRUNO.email, PASSWORD)).status).toBe(200);
  });
  afterAll(() => lab?.stop());

  it('tells each member their authorizations with the state the board decides, and what they lack', async () => {
    const a = await anna.get<MyAuthorizationsDto>('/api/me/authorizations');
    expect(a.status).toBe(200);
    expect(a.body.authorizeAll).toBe(false);
    expect(a.body.authorizations.map((x) => [x.machineName, x.state, x.expiresAt])).toEqual([
      ['Fresa CNC', 'machine-blocked', null],
      ['Laser Trotec Speedy 400', 'expired', ANNA_LASER_EXPIRY],
      ['Old lathe', 'machine-retired', null],
      ['Prusa MK4', 'active', null],
    ]);
    expect(a.body.authorizations.every((x) => x.machineType === 'Printer' && x.since)).toBe(true);
    expect(a.body.notAuthorized.map((m) => m.machineName)).toEqual(['Plotter']);
    expect(a.body.open.map((m) => [m.machineName, m.accessManagement])).toEqual([['Trapano', 'open']]);

    const b = await bruno.get<MyAuthorizationsDto>('/api/me/authorizations');
    expect(b.body.authorizations.map((x) => [x.machineName, x.state])).toEqual([
      ['Laser Trotec Speedy 400', 'active'],
    ]);
    expect(b.body.notAuthorized.map((m) => [m.machineName, m.blocked])).toEqual([
      ['Fresa CNC', true],
      ['Plotter', false],
      ['Prusa MK4', false],
    ]);
  });

  it('lists only the caller’s sessions, filtered and keyset paged, with their total hours', async () => {
    const all = await anna.get<MySessionPage>('/api/me/sessions');
    expect(all.status).toBe(200);
    expect(all.body.items.map((s) => s.machineName)).toEqual([
      'Laser Trotec Speedy 400',
      'Prusa MK4',
      'Prusa MK4',
    ]);
    expect(all.body).toMatchObject({ total: 3, totalSeconds: 3.5 * 3600, totalSessions: 3 });

    const prusa = await anna.get<MySessionPage>(`/api/me/sessions?machineId=${ids.machines['1']}`);
    expect(prusa.body).toMatchObject({ total: 2, totalSeconds: 3 * 3600 });
    const recent = await anna.get<MySessionPage>(
      `/api/me/sessions?from=${new Date(now - 6 * DAY).toISOString()}`,
    );
    expect(recent.body).toMatchObject({ total: 2, totalSeconds: 2.5 * 3600 });

    const first = await anna.get<MySessionPage>('/api/me/sessions?pageSize=2');
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toBeTruthy();
    const second = await anna.get<MySessionPage>(
      `/api/me/sessions?pageSize=2&cursor=${first.body.nextCursor ?? ''}`,
    );
    expect(second.body.items.map((s) => s.durationSeconds)).toEqual([3600]);
    expect(second.body.nextCursor).toBeNull();

    const b = await bruno.get<MySessionPage>('/api/me/sessions');
    expect(b.body).toMatchObject({ total: 2, totalSeconds: 7 * 3600 });
    // A member id in the query is refused, never obeyed.
    expect((await anna.get(`/api/me/sessions?memberId=${ids.bruno}`)).status).toBe(400);
  });

  it('exports only the caller’s sessions, as CSV and XLSX', async () => {
    const csv = await csvExport(anna, '/api/me/sessions/export');
    expect(csv.map((r) => r['Machine'])).toEqual(['Laser Trotec Speedy 400', 'Prusa MK4', 'Prusa MK4']);
    expect(csv.map((r) => r['Duration (hours)'])).toEqual(['0.5', '2', '1']);
    const xlsx = await xlsxExport(bruno, lab.running.httpUrl, '/api/me/sessions/export?format=xlsx');
    expect(xlsx.rows.slice(1).map((r) => r[0])).toEqual(['Prusa MK4', 'Laser Trotec Speedy 400']);
  });

  it('lists the caller’s refused taps, newest first, with what the portal needs to phrase them', async () => {
    const a = await anna.get<Page<MyRefusedTapDto>>('/api/me/refused');
    expect(a.status).toBe(200);
    expect(a.body.items.map((e) => [e.reason, e.machineName, e.authorizationExpiresAt])).toEqual([
      ['unknown-card', 'Prusa MK4', null],
      ['authorization-expired', 'Laser Trotec Speedy 400', ANNA_LASER_EXPIRY],
      ['machine-blocked', 'Fresa CNC', null],
    ]);
    const b = await bruno.get<Page<MyRefusedTapDto>>('/api/me/refused?pageSize=1');
    expect(b.body.items.map((e) => e.reason)).toEqual(['no-authorization']);
    const next = await bruno.get<Page<MyRefusedTapDto>>(
      `/api/me/refused?pageSize=1&cursor=${b.body.nextCursor ?? ''}`,
    );
    expect(next.body.items.map((e) => [e.reason, e.machineName])).toEqual([
      ['machine-out-of-order', 'Plotter'],
    ]);
    expect(next.body.nextCursor).toBeNull();
  });

  it('gives everything stored about the caller in data.json and per-dataset CSVs, nobody else’s', async () => {
    // Each has reported a problem (the problems feature's own API, multipart as the portal sends it).
    const report = async (client: ApiClient, topic: string, description: string) => {
      const form = new FormData();
      form.set('machineId', String(ids.machines[topic]));
      form.set('severity', 'note');
      form.set('description', description);
      const posted = await fetch(`${lab.running.httpUrl}/api/problems`, {
        method: 'POST',
        headers: { cookie: client.cookie, 'x-requested-with': 'fabomatic' },
        body: form,
      });
      expect(posted.status).toBe(201);
    };
    await report(anna, '1', 'Anna: the bed wobbles');
    await report(bruno, '012', 'Bruno: the fan is loud');
    const response = await fetch(`${lab.running.httpUrl}/api/me/data.json`, {
      headers: { cookie: anna.cookie },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename="my-data-/);
    const text = await response.text();
    expect(text).not.toMatch(/passwordHash|scrypt\$/);
    expect(text).not.toContain('Bruno');
    expect(text).not.toContain(BRUNO.card);
    const data = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(data)).toEqual([
      'generatedAt',
      'profile',
      'authorizations',
      'sessions',
      'access-events',
      'problem-reports',
      'audit',
    ]);
    expect(data['problem-reports']).toEqual([
      expect.objectContaining({ machine: 'Prusa MK4', description: 'Anna: the bed wobbles', state: 'open' }),
    ]);
    expect(data['profile']).toMatchObject({
      id: ids.anna,
      email: ANNA.email,
      cardUid: ANNA.card,
      role: 'Members',
      portalAccess: 'member',
    });
    expect(data['authorizations']).toHaveLength(4);
    expect(data['sessions']).toHaveLength(3);
    expect((data['access-events'] as { reason: string }[]).map((e) => e.reason).sort()).toEqual([
      'authorization-expired',
      'granted',
      'machine-blocked',
      'unknown-card',
    ]);
    expect(data['audit']).toEqual([
      expect.objectContaining({
        entityType: 'member',
        entityId: String(ids.anna),
        after: { language: 'it' },
      }),
    ]);

    const sessions = await csvExport(bruno, '/api/me/data/sessions.csv');
    expect(sessions.map((r) => r['machine'])).toEqual(['Laser Trotec Speedy 400', 'Prusa MK4']);
    const profile = await csvExport(bruno, '/api/me/data/profile.csv');
    expect(profile).toEqual([expect.objectContaining({ email: BRUNO.email, role: 'Members' })]);
    expect(Object.keys(profile[0] ?? {})).not.toContain('passwordHash');
    const audit = await csvExport(bruno, '/api/me/data/audit.csv');
    expect(audit.map((r) => r['after'])).toEqual(['{"surname":"Verdi"}']);
    const problems = await csvExport(bruno, '/api/me/data/problem-reports.csv');
    expect(problems.map((r) => r['description'])).toEqual(['Bruno: the fan is loud']);
    expect((await bruno.get('/api/me/data/secrets.csv')).status).toBe(404);
  });

  it('shows an authorization lapsed by disuse as expired on its decay date, and a suspension', async () => {
    // Issue 15: the type's decay (30 days) ends Bruno's laser authorization, unused for 40 days.
    const types = lab.dataSource.getRepository(MachineType);
    const authorizations = lab.dataSource.getRepository(Authorization);
    const laser = { memberId: ids.bruno, machineId: Number(ids.machines['012']) };
    const before = await authorizations.findOneByOrFail(laser);
    await types.update({ name: 'Printer' }, { decayDays: 30 });
    await authorizations.update(laser, {
      grantedAt: new Date(now - 40 * DAY),
      lastUsedAt: new Date(now - 40 * DAY),
    });
    try {
      const lapsed = await bruno.get<MyAuthorizationsDto>('/api/me/authorizations');
      const [row] = lapsed.body.authorizations;
      expect(row?.state).toBe('expired');
      expect(new Date(row?.expiresAt ?? 0).getTime()).toBeLessThan(now - 9 * DAY);
      await authorizations.update(laser, { status: 'suspended' });
      const suspended = await bruno.get<MyAuthorizationsDto>('/api/me/authorizations');
      expect(suspended.body.authorizations.map((x) => x.state)).toEqual(['suspended']);
    } finally {
      const { status, grantedAt, lastUsedAt } = before;
      await authorizations.update(laser, { status, grantedAt, lastUsedAt });
      await types.update({ name: 'Printer' }, { decayDays: null });
    }
  });

  it('refuses a member the staff lists, and answers staff with their own data', async () => {
    for (const path of ['/api/usage', '/api/access-events', '/api/members', '/api/usage/export']) {
      expect([path, (await anna.get(path)).status]).toEqual([path, 403]);
    }
    const admin = await adminClient(lab);
    const own = await admin.get<MySessionPage>('/api/me/sessions');
    expect(own.body).toMatchObject({ total: 0, totalSeconds: 0, items: [] });
    expect((await admin.get<Page<MyRefusedTapDto>>('/api/me/refused')).body.items).toEqual([]);
    expect((await new ApiClient(lab.running.httpUrl).get('/api/me/sessions')).status).toBe(401);
  });
});
