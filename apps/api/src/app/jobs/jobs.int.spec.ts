import { LessThan } from 'typeorm';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DateTime } from 'luxon';
import type { MemberDto } from '@fabomatic/contracts';
import { mailParts } from '../../testing/mail-parts';
import { adminClient } from '../../testing/portal';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { SmtpInbox } from '../../testing/smtp-inbox';
import { startTestApp, type TestApp, type TestDatabase } from '../../testing/test-app';
import { AccessEvent } from '../access-events/access-event.entity';
import { AuditEntry } from '../audit/audit-entry.entity';
import { Machine } from '../machines/machine.entity';
import { Intervention } from '../maintenance/intervention.entity';
import { MaintenancePlan } from '../maintenance/maintenance-plan.entity';
import { Member } from '../members/member.entity';
import { Role } from '../roles/role.entity';
import { ErasureLedger } from '../../core/database/erasure-ledger';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { UsageAggregates } from '../usage/usage-aggregates';
import { UsageSession } from '../usage/usage-session.entity';
import { UnknownCard } from '../access-events/unknown-card.entity';
import { rebuildUnknownCards, statementsOf } from '../access-events/unknown-cards-table';
import { SWEEP_READ_BATCH, SWEEP_WRITE_BATCH } from '../../core/database/paced-sweep';
import { ANONYMOUS_NAME, GdprPurge } from './gdpr-purge';
import { MaintenanceNotices } from './maintenance-notices';
import { lastFullWeek } from './lab-week';
import { WeeklySummary } from './weekly-summary';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TZ = 'Europe/Rome';

async function ids(lab: TestApp) {
  const machines = new Map(
    (await lab.dataSource.getRepository(Machine).find()).map((m) => [m.topicId, m.id]),
  );
  const members = new Map(
    (await lab.dataSource.getRepository(Member).find()).map((m) => [m.cardUid ?? m.email ?? m.name, m.id]),
  );
  const id = <K>(map: Map<K, number>, key: K) => {
    const value = map.get(key);
    if (value === undefined) throw new Error(`no id for ${String(key)}`);
    return value;
  };
  return { machine: (topic: string) => id(machines, topic), member: (key: string) => id(members, key) };
}

function session(memberId: number, machineId: number, startedAt: number, endedAt: number | null) {
  return {
    memberId,
    machineId,
    startedAt: new Date(startedAt),
    lastSeenAt: new Date(endedAt ?? startedAt),
    endedAt: endedAt === null ? null : new Date(endedAt),
    endReason: endedAt === null ? null : ('stopuse' as const),
  };
}

function scan(
  cardUid: string,
  at: number,
  reason: 'unknown-card' | 'granted',
  memberId: number | null = null,
) {
  return {
    occurredAt: new Date(at),
    topicId: '1',
    machineId: null,
    cardUid,
    memberId,
    action: 'checkuser' as const,
    reason,
    granted: reason === 'granted',
    level: null,
  };
}

describe.each<TestDatabase>(['sqlite', 'postgres'])('weekly summary email on %s', (database) => {
  let lab: TestApp;
  let inbox: SmtpInbox;

  beforeAll(async () => {
    inbox = await SmtpInbox.start();
    lab = await startTestApp({
      database,
      broker: 'embedded',
      seed: LAB_SEED,
      env: { SMTP_URL: inbox.url, JOBS_ENABLED: 'false', LAB_TIME_ZONE: TZ },
    });
    const { machine, member } = await ids(lab);
    const members = lab.dataSource.getRepository(Member);
    const roles = lab.dataSource.getRepository(Role);
    const viewers = await roles.save(roles.create({ name: 'Viewers', portalAccess: 'read-only' }));
    await members.update({ email: 'admin@example.org' }, { receiveWeeklySummary: true, language: 'en' });
    await members.update({ email: 'staff@example.org' }, { receiveWeeklySummary: true, language: 'it' });
    // Opted in but no portal access: gets nothing lab-wide.
    await members.update(
      { cardUid: CARDS.mario },
      { email: 'mario@example.org', receiveWeeklySummary: true },
    );
    await members.save([
      members.create({
        name: 'Vera',
        email: 'viewer@example.org',
        roleId: viewers.id,
        receiveWeeklySummary: true,
      }),
      members.create({
        name: 'Off',
        email: 'off@example.org',
        roleId: viewers.id,
        receiveWeeklySummary: true,
        disabled: true,
      }),
      members.create({
        name: 'Quiet',
        email: 'quiet@example.org',
        roleId: viewers.id,
        receiveWeeklySummary: false,
      }),
    ]);

    const week = lastFullWeek(lab.clock.now().getTime(), TZ);
    const sessions = lab.dataSource.getRepository(UsageSession);
    await sessions.save([
      // Inside the week: 2 h on the Prusa.
      session(member(CARDS.lucia), machine('1'), week.from + DAY, week.from + DAY + 2 * HOUR),
      // Across its start: only the hour inside counts, on the laser.
      session(member(CARDS.mario), machine('012'), week.from - HOUR, week.from + HOUR),
      // Eight days before the week's end (the Sunday before it): not counted.
      session(member(CARDS.lucia), machine('3'), week.from - DAY, week.from - DAY + 3 * HOUR),
    ]);
    // Sessions written straight into the database bypass the app's running totals: rebuilt, as
    // an operator does after editing the history by hand (`fabomatic rebuild-aggregates`).
    await lab.running.app
      .get(UnitOfWork)
      .runSql((sql) => new UsageAggregates(sql, lab.config.LAB_TIME_ZONE).rebuild());
    const events = lab.dataSource.getRepository(AccessEvent);
    await events.save([
      scan('deadbeef', week.from + 2 * DAY, 'unknown-card'),
      scan('deadbeef', week.from + 3 * DAY, 'unknown-card'),
      scan('cafebabe', week.to - HOUR, 'unknown-card'),
      scan('0badcafe', week.from - DAY, 'unknown-card'),
    ]);
  });
  afterAll(async () => {
    await lab?.stop();
    await inbox?.close();
  });

  it('a dry run says who would get what and sends nothing', async () => {
    const result = await lab.running.app.get(WeeklySummary).run({ dryRun: true });
    expect(result.recipients.map((r) => [r.email, r.language, r.withCardUids])).toEqual([
      ['admin@example.org', 'en', true],
      ['staff@example.org', 'it', false],
      ['viewer@example.org', 'en', false],
    ]);
    expect(result.sent).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(inbox.messages).toHaveLength(0);
  });

  it('mails exactly the last seven days to opted-in portal users, in their language, card UIDs to admins only', async () => {
    const week = lastFullWeek(lab.clock.now().getTime(), TZ);
    const first = DateTime.fromMillis(week.from, { zone: TZ });
    expect([first.weekday, first.hour, first.minute]).toEqual([1, 0, 0]);
    expect(DateTime.fromMillis(week.to, { zone: TZ }).diff(first, 'days').days).toBe(7);
    const firstDay = first.toISODate();
    const lastDay = first.plus({ days: 6 }).toISODate();

    const result = await lab.running.app.get(WeeklySummary).run();
    expect(result).toMatchObject({ sent: 3, failed: 0, firstDay, lastDay, timeZone: TZ });
    await inbox.waitFor(3);
    const mails = inbox.messages.map(mailParts);
    expect(mails.map((m) => m.to).sort()).toEqual([
      ['admin@example.org'],
      ['staff@example.org'],
      ['viewer@example.org'],
    ]);
    const to = (email: string) => {
      const mail = mails.find((m) => m.to.includes(email));
      if (!mail) throw new Error(`no mail to ${email}`);
      return mail;
    };

    const admin = to('admin@example.org');
    expect(admin.subject).toBe(`FabOMatic: weekly summary from ${firstDay} to ${lastDay}`);
    for (const body of [admin.text, admin.html]) {
      expect(body).toContain('Hello Ada');
      expect(body).toContain('Prusa MK4: 2 h, 1 session');
      expect(body).toContain('Laser Trotec Speedy 400: 1 h, 1 session');
      expect(body).toContain('Total: 3 h, 2 sessions');
      expect(body).not.toContain('Trapano'); // its session was 8 days ago
      expect(body).toContain('Clean the lens and mirrors'); // 2 h on the laser, plan every 1 h
      expect(body).toContain('3 scans of 2 unknown cards.');
      expect(body).toContain('deadbeef: 2 scans');
      expect(body).toContain('cafebabe: 1 scan');
      expect(body).not.toContain('0badcafe');
    }
    expect(admin.text).toContain(
      `from Monday, ${first.setLocale('en-GB').toFormat('d LLLL yyyy')} to Sunday`,
    );
    expect(admin.html).toMatch(/^<!doctype html>/);

    const staff = to('staff@example.org');
    expect(staff.subject).toBe(`FabOMatic: riepilogo settimanale dal ${firstDay} al ${lastDay}`);
    expect(staff.text).toContain('Ciao Stefano');
    expect(staff.text).toContain('Uso delle macchine');
    expect(staff.text).toContain('Totale: 3 h, 2 sessioni');
    expect(staff.text).toContain('3 letture di 2 tessere sconosciute.');
    expect(staff.text).toContain(`da lunedì ${first.setLocale('it-IT').toFormat('d LLLL yyyy')} a domenica`);
    for (const body of [staff.text, staff.html, to('viewer@example.org').text]) {
      expect(body).not.toContain('deadbeef');
      expect(body).not.toContain('cafebabe');
    }
    expect(to('viewer@example.org').text).toContain('3 scans of 2 unknown cards.');
  });
});

describe.each<TestDatabase>(['sqlite', 'postgres'])('GDPR purge on %s', (database) => {
  let lab: TestApp;

  beforeAll(async () => {
    lab = await startTestApp({
      database,
      broker: 'embedded',
      seed: LAB_SEED,
      env: { JOBS_ENABLED: 'false' },
    });
  });
  afterAll(() => lab?.stop());

  it('re-assigns old history to Anonymous, deletes old unknown cards, erases long-deleted members; audited', async () => {
    const { machine, member } = await ids(lab);
    const now = lab.clock.now().getTime();
    const lucia = member(CARDS.lucia);
    const laser = machine('012');
    const repo = <T extends object>(entity: new () => T) => lab.dataSource.getRepository(entity);
    const [oldSession, recentSession, openOld] = await repo(UsageSession).save([
      session(lucia, laser, now - 400 * DAY, now - 400 * DAY + HOUR),
      session(lucia, laser, now - 10 * DAY, now - 10 * DAY + HOUR),
      session(lucia, machine('1'), now - 366 * DAY, null),
    ]);
    const plan = await repo(MaintenancePlan).findOneByOrFail({ machineId: laser });
    const [oldFix, recentFix] = await repo(Intervention).save([
      {
        planId: plan.id,
        machineId: laser,
        memberId: lucia,
        performedAt: new Date(now - 370 * DAY),
        source: 'manual' as const,
      },
      {
        planId: plan.id,
        machineId: laser,
        memberId: lucia,
        performedAt: new Date(now - 5 * DAY),
        source: 'manual' as const,
      },
    ]);
    const [oldUnknown, recentUnknown, oldTap, recentTap] = await repo(AccessEvent).save([
      scan('deadbeef', now - 31 * DAY, 'unknown-card'),
      scan('cafebabe', now - 29 * DAY, 'unknown-card'),
      scan(CARDS.lucia, now - 400 * DAY, 'granted', lucia),
      scan(CARDS.lucia, now - 100 * DAY, 'granted', lucia),
    ]);
    const members = repo(Member);
    const mario = member(CARDS.mario);
    const dora = member(CARDS.disabled);
    await members.update(mario, {
      deletedAt: new Date(now - 31 * DAY),
      cardUid: null,
      email: 'mario@example.org',
    });
    await members.update(dora, { deletedAt: new Date(now - DAY), cardUid: null });

    const counts = await lab.running.app.get(GdprPurge).run();
    expect(counts).toEqual({
      sessionsAnonymised: 1,
      interventionsAnonymised: 1,
      unknownCardEventsDeleted: 1,
      accessEventsAnonymised: 1,
      membersErased: 1,
      accessEventsExpired: 0, // ACCESS_EVENTS_RETENTION_MONTHS is unset: every event is kept
    });
    // The erasure is in the ledger a restore of an older backup re-applies (SQLite only).
    const ledger = lab.running.app.get(ErasureLedger);
    expect(ledger.read().map((e) => e.memberId)).toEqual(ledger.path ? [mario] : []);

    const anonymous = await members.findOneByOrFail({ name: ANONYMOUS_NAME });
    expect(anonymous).toMatchObject({ email: null, cardUid: null, passwordHash: null, disabled: true });
    expect(await repo(Role).findOneByOrFail({ id: anonymous.roleId })).toMatchObject({
      name: ANONYMOUS_NAME,
      reserved: true,
      portalAccess: 'none',
      authorizeAll: false,
    });
    const sessionOwner = async (id: number) => (await repo(UsageSession).findOneByOrFail({ id })).memberId;
    expect(await sessionOwner(oldSession.id)).toBe(anonymous.id);
    expect(await sessionOwner(recentSession.id)).toBe(lucia);
    expect(await sessionOwner(openOld.id)).toBe(lucia); // still open: not history yet
    expect((await repo(Intervention).findOneByOrFail({ id: oldFix.id })).memberId).toBe(anonymous.id);
    expect((await repo(Intervention).findOneByOrFail({ id: recentFix.id })).memberId).toBe(lucia);
    expect(await repo(AccessEvent).existsBy({ id: oldUnknown.id })).toBe(false);
    expect(await repo(AccessEvent).existsBy({ id: recentUnknown.id })).toBe(true);
    expect(await repo(AccessEvent).findOneByOrFail({ id: oldTap.id })).toMatchObject({
      cardUid: null,
      memberId: anonymous.id,
    });
    expect(await repo(AccessEvent).findOneByOrFail({ id: recentTap.id })).toMatchObject({
      cardUid: CARDS.lucia,
      memberId: lucia,
    });
    expect(await members.findOneByOrFail({ id: mario })).toMatchObject({
      name: 'Erased',
      surname: '',
      email: null,
      passwordHash: null,
    });
    expect((await members.findOneByOrFail({ id: dora })).name).toBe('Dora'); // still in the grace period

    const audit = await repo(AuditEntry).find({ where: { actorLabel: 'system' }, order: { id: 'ASC' } });
    expect(audit.map((a) => [a.action, a.entityType])).toEqual([
      ['create', 'role'],
      ['create', 'member'],
      ['erase', 'member'],
      ['purge', 'system'],
    ]);
    expect(audit[3]?.after).toMatchObject({ sessionsAnonymised: 1, membersErased: 1 });
    const admin = await adminClient(lab);
    expect((await admin.get<MemberDto>(`/api/members/${mario}`)).body).toMatchObject({ erased: true });

    // Nothing left to do, the same Anonymous member; a month later Dora's grace period is over.
    expect(await lab.running.app.get(GdprPurge).run()).toMatchObject({
      sessionsAnonymised: 0,
      membersErased: 0,
    });
    lab.clock.advance(30 * DAY);
    expect(await lab.running.app.get(GdprPurge).run()).toMatchObject({
      membersErased: 1,
      unknownCardEventsDeleted: 1,
    });
    expect(await members.countBy({ name: ANONYMOUS_NAME })).toBe(1);
    // (the portal session expired while the clock moved)
    expect((await (await adminClient(lab)).get<MemberDto>(`/api/members/${dora}`)).body).toMatchObject({
      erased: true,
      name: 'Erased',
    });
  });

  it('purges years of history in small transactions, rows of one time across a batch boundary included', async () => {
    const { machine, member } = await ids(lab);
    const now = lab.clock.now().getTime();
    const lucia = member(CARDS.lucia);
    const laser = machine('012');
    const repo = <T extends object>(entity: new () => T) => lab.dataSource.getRepository(entity);
    const n = 2 * SWEEP_READ_BATCH + 17;
    // Three rows a second, so that batch boundaries fall between rows of the same time.
    const at = (i: number) => now - 800 * DAY + Math.floor(i / 3) * 1000;
    const card = (i: number) => (0xdead0000 + (i % 7)).toString(16);
    const sessions = Array.from({ length: n }, (_, i) => session(lucia, laser, at(i) - HOUR, at(i)));
    const taps = Array.from({ length: n }, (_, i) => scan(CARDS.lucia, at(i), 'granted', lucia));
    const unknown = Array.from({ length: n }, (_, i) => scan(card(i), at(i), 'unknown-card'));
    for (let i = 0; i < n; i += 200) {
      await repo(UsageSession).insert(sessions.slice(i, i + 200));
      await repo(AccessEvent).insert([...taps.slice(i, i + 200), ...unknown.slice(i, i + 200)]);
    }
    await repo(AccessEvent).save(scan(card(0), now - DAY, 'unknown-card'));
    await rebuildUnknownCards(statementsOf(lab.dataSource.manager));
    const uow = lab.running.app.get(UnitOfWork);
    await uow.runSql((sql) => new UsageAggregates(sql, lab.config.LAB_TIME_ZONE).rebuild());
    const transactions = jest.spyOn(uow, 'run');
    const memberTotals = () =>
      lab.dataSource.query(
        'SELECT "period", "bucket", "memberId", "sessions", "ms" FROM "usage_member_totals" WHERE "sessions" <> 0 OR "ms" <> 0 ORDER BY 1, 2, 3',
      );

    try {
      const counts = await lab.running.app.get(GdprPurge).run();
      expect(counts).toMatchObject({
        sessionsAnonymised: n,
        accessEventsAnonymised: n,
        unknownCardEventsDeleted: n,
      });
      // A transaction per SWEEP_WRITE_BATCH.max rows changed of each kind at least: none holds the writer long.
      expect(transactions.mock.calls.length).toBeGreaterThanOrEqual(3 * Math.ceil(n / SWEEP_WRITE_BATCH.max));
    } finally {
      transactions.mockRestore();
    }
    const anonymous = await repo(Member).findOneByOrFail({ name: ANONYMOUS_NAME });
    const old = { endedAt: LessThan(new Date(now - 365 * DAY)) };
    expect(await repo(UsageSession).countBy({ ...old, memberId: lucia })).toBe(0);
    expect(await repo(UsageSession).countBy({ ...old, memberId: anonymous.id })).toBeGreaterThanOrEqual(n);
    expect(
      await repo(AccessEvent).countBy({
        cardUid: CARDS.lucia,
        occurredAt: LessThan(new Date(now - 365 * DAY)),
      }),
    ).toBe(0);
    expect(
      await repo(AccessEvent).countBy({
        reason: 'unknown-card',
        occurredAt: LessThan(new Date(now - 31 * DAY)),
      }),
    ).toBe(0);
    // The unknown cards' counts follow: only the card tapped yesterday is left, with that one tap.
    expect(await repo(UnknownCard).find()).toEqual([
      expect.objectContaining({ cardUid: card(0), taps: 1, firstSeenAt: new Date(now - DAY) }),
    ]);
    // The member totals moved with the sessions, as a rebuild from the history finds them.
    const running = await memberTotals();
    // Lucia's totals of those days and weeks went to Anonymous: no row left at zero.
    expect(
      await lab.dataSource.query('SELECT "period", "bucket" FROM "usage_member_totals" WHERE "sessions" = 0'),
    ).toEqual([]);
    await uow.runSql((sql) => new UsageAggregates(sql, lab.config.LAB_TIME_ZONE).rebuild());
    expect(await memberTotals()).toEqual(running);
  });

  it('stops after its current transaction when the app stops, audits what it did, and the next run goes on', async () => {
    const { machine, member } = await ids(lab);
    const now = lab.clock.now().getTime();
    const lucia = member(CARDS.lucia);
    const repo = <T extends object>(entity: new () => T) => lab.dataSource.getRepository(entity);
    // More than two of the largest batches (PostgreSQL), so that some are left after the stop.
    const n = 2 * SWEEP_WRITE_BATCH.max + 88;
    await repo(UsageSession).insert(
      Array.from({ length: n }, (_, i) =>
        session(lucia, machine('1'), now - 500 * DAY + i * HOUR, now - 500 * DAY + i * HOUR + 60_000),
      ),
    );
    const old = { memberId: lucia, endedAt: LessThan(new Date(now - 365 * DAY)) };
    const stopping = new AbortController();
    const reason = new Error('the app is stopping');
    let batches = 0;
    const reassign = UsageAggregates.prototype.reassign;
    const sessionBatches = jest.spyOn(UsageAggregates.prototype, 'reassign').mockImplementation(function (
      this: UsageAggregates,
      ...args
    ) {
      // The app stops while the purge re-assigns its second batch of these sessions.
      batches += 1;
      if (batches === 2) stopping.abort(reason);
      return reassign.apply(this, args);
    });
    try {
      await expect(lab.running.app.get(GdprPurge).run('system', stopping.signal)).rejects.toBe(reason);
    } finally {
      sessionBatches.mockRestore();
    }
    expect(batches).toBe(2);
    const left = await repo(UsageSession).countBy(old);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(n);
    // What it did is audited: the batches done before the stop, and no member erased.
    expect((await repo(AuditEntry).find({ order: { id: 'ASC' } })).at(-1)).toMatchObject({
      action: 'purge',
      entityType: 'system',
      after: { sessionsAnonymised: n - left, membersErased: 0, interrupted: true },
    });
    expect(await lab.running.app.get(GdprPurge).run()).toMatchObject({ sessionsAnonymised: left });
    expect(await repo(UsageSession).countBy(old)).toBe(0);
  });
});

describe.each<TestDatabase>(['sqlite', 'postgres'])('access events retention on %s', (database) => {
  let lab: TestApp;

  beforeAll(async () => {
    lab = await startTestApp({
      database,
      broker: 'embedded',
      seed: LAB_SEED,
      // Only the retention deletes anything here: the GDPR windows are far away.
      env: {
        JOBS_ENABLED: 'false',
        ACCESS_EVENTS_RETENTION_MONTHS: '3',
        RETENTION_DAYS: '36500',
        UNKNOWN_CARD_RETENTION_DAYS: '36500',
      },
    });
  });
  afterAll(() => lab?.stop());

  it('deletes access events older than the retention in batches, never sessions or audit', async () => {
    const { machine, member } = await ids(lab);
    const now = lab.clock.now().getTime();
    const lucia = member(CARDS.lucia);
    const repo = <T extends object>(entity: new () => T) => lab.dataSource.getRepository(entity);
    const old = 2 * SWEEP_READ_BATCH + 345;
    const events = Array.from({ length: old }, (_, i) =>
      scan(CARDS.lucia, now - 200 * DAY + i * 1000, 'granted', lucia),
    );
    for (let i = 0; i < old; i += 200) await repo(AccessEvent).insert(events.slice(i, i + 200));
    const kept = await repo(AccessEvent).save([
      scan(CARDS.lucia, now - 80 * DAY, 'granted', lucia),
      scan('deadbeef', now - 10 * DAY, 'unknown-card'),
    ]);
    await repo(AccessEvent).save([
      scan('deadbeef', now - 120 * DAY, 'unknown-card'),
      scan('deadbeef', now - 100 * DAY, 'unknown-card'),
      scan('0badcafe', now - 95 * DAY, 'unknown-card'),
    ]);
    await rebuildUnknownCards(statementsOf(lab.dataSource.manager));
    const oldSession = await repo(UsageSession).save(
      session(lucia, machine('012'), now - 300 * DAY, now - 300 * DAY + HOUR),
    );
    const auditBefore = (await repo(AuditEntry).find()).map((a) => a.id);

    const counts = await lab.running.app.get(GdprPurge).run();
    expect(counts).toMatchObject({ accessEventsExpired: old + 3, accessEventsAnonymised: 0 });
    expect((await repo(AccessEvent).find({ order: { id: 'ASC' } })).map((e) => e.id)).toEqual(
      kept.map((e) => e.id),
    );
    // The unknown card keeps only its recent tap; a card with none left leaves the list.
    expect(await repo(UnknownCard).find()).toEqual([
      expect.objectContaining({ cardUid: 'deadbeef', taps: 1, firstSeenAt: new Date(now - 10 * DAY) }),
    ]);
    expect(await repo(UsageSession).findOneByOrFail({ id: oldSession.id })).toMatchObject({
      memberId: lucia,
    });
    const audit = await repo(AuditEntry).find({ order: { id: 'ASC' } });
    expect(audit.map((a) => a.id)).toEqual(expect.arrayContaining(auditBefore));
    expect(audit.at(-1)).toMatchObject({
      action: 'purge',
      entityType: 'access-events',
      after: { accessEventsExpired: old + 3 },
    });

    expect(await lab.running.app.get(GdprPurge).run()).toMatchObject({ accessEventsExpired: 0 });
  });
});

describe('maintenance-due notices and the schedule', () => {
  let lab: TestApp;
  let inbox: SmtpInbox;

  beforeAll(async () => {
    inbox = await SmtpInbox.start();
    lab = await startTestApp({
      database: 'sqlite',
      broker: 'embedded',
      seed: LAB_SEED,
      env: {
        SMTP_URL: inbox.url,
        LAB_TIME_ZONE: TZ,
        // Scheduled, but never firing while the test runs: the test runs the jobs itself.
        GDPR_PURGE_CRON: '0 0 29 2 *',
        MAINTENANCE_NOTICE_CRON: '0 0 29 2 *',
        CERTIFICATION_REMINDER_CRON: '0 0 29 2 *',
      },
    });
    await lab.dataSource.getRepository(Member).update({ email: 'staff@example.org' }, { language: 'it' });
    await lab.dataSource
      .getRepository(Member)
      .update({ cardUid: CARDS.mario }, { email: 'mario@example.org' });
  });
  afterAll(async () => {
    await lab?.stop();
    await inbox?.close();
  });

  it('schedules the jobs from the configuration in the lab time zone', () => {
    const registry = lab.running.app.get(SchedulerRegistry);
    expect([...registry.getCronJobs().keys()].sort()).toEqual([
      'certification-digest',
      'certification-reminders',
      'gdpr-purge',
      'maintenance-notices',
      'weekly-summary',
    ]);
    const next = registry.getCronJob('weekly-summary').nextDate().setZone(TZ);
    expect([next.weekday, next.hour, next.minute]).toEqual([1, 7, 0]);
    const purge = registry.getCronJob('gdpr-purge').nextDate().setZone(TZ);
    expect([purge.month, purge.day]).toEqual([2, 29]);
  });

  it('tells the maintainers once when a plan becomes due, and again after the next intervention', async () => {
    const notices = lab.running.app.get(MaintenanceNotices);
    expect(await notices.run()).toMatchObject({ newlyDue: 0, sent: 0 });

    const board = await lab.board('012');
    await board.startuse(CARDS.lucia);
    await board.stopuse(CARDS.lucia, 7200);
    const result = await notices.run();
    expect(result).toMatchObject({ newlyDue: 1, sent: 3, failed: 0 });
    // Maintainers with portal access and an email: the bootstrap admin, Ada (admin), Stefano (staff).
    expect([...result.recipients].sort()).toEqual([
      'admin@example.org',
      'boss@example.org',
      'staff@example.org',
    ]);
    await inbox.waitFor(3);
    const mails = inbox.messages.map(mailParts);
    const ada = mails.find((m) => m.to.includes('admin@example.org'));
    expect(ada?.subject).toBe('FabOMatic: maintenance due on Laser Trotec Speedy 400');
    expect(ada?.text).toContain('Laser Trotec Speedy 400: Clean the lens and mirrors (2 h of use');
    expect(ada?.html).toContain('Clean the lens and mirrors');
    const stefano = mails.find((m) => m.to.includes('staff@example.org'));
    expect(stefano?.subject).toBe('FabOMatic: manutenzione da fare su Laser Trotec Speedy 400');
    expect(stefano?.text).toContain('queste manutenzioni sono ora da fare');
    expect(mails.some((m) => m.to.includes('mario@example.org'))).toBe(false);

    // Still due an hour later: not sent again.
    lab.clock.advance(HOUR);
    expect(await notices.run()).toMatchObject({ newlyDue: 0, sent: 0 });
    await new Promise((r) => setTimeout(r, 200));
    expect(inbox.messages).toHaveLength(3);

    // An intervention: not due, the mark cleared; due again later: told again.
    const plan = await lab.dataSource
      .getRepository(MaintenancePlan)
      .findOneByOrFail({ description: 'Clean the lens and mirrors' });
    const admin = await adminClient(lab);
    expect(
      (await admin.post('/api/interventions', { machineId: plan.machineId, planId: plan.id })).status,
    ).toBe(201);
    expect(await notices.run()).toMatchObject({ newlyDue: 0 });
    expect(
      (await lab.dataSource.getRepository(MaintenancePlan).findOneByOrFail({ id: plan.id })).dueNotifiedAt,
    ).toBeNull();
    await board.startuse(CARDS.lucia);
    lab.clock.advance(3_700_000);
    await board.stopuse(CARDS.lucia, 3700);
    expect(await notices.run()).toMatchObject({ newlyDue: 1, sent: 3 });
    await inbox.waitFor(6);
  });
});
