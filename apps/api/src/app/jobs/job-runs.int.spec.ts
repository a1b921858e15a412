import type { SystemInfo } from '@fabomatic/contracts';
import { mailParts } from '../../testing/mail-parts';
import { adminClient } from '../../testing/portal';
import { LAB_SEED } from '../../testing/lab-seed';
import { SmtpInbox } from '../../testing/smtp-inbox';
import { startTestApp, type TestApp, type TestDatabase } from '../../testing/test-app';
import { Member } from '../members/member.entity';
import { JobRun } from './job-run.entity';
import { GdprPurge } from './gdpr-purge';
import { JobScheduler } from './job-scheduler';
import { WeeklySummary } from './weekly-summary';

const NEVER = '0 0 29 2 *';
const MINUTE = 60_000;

/**
 * Scheduled runs are claimed in the database: on PostgreSQL two instances share one database and
 * both fire for the same minute, as their cron schedules do; on SQLite one instance fires twice.
 */
describe.each<TestDatabase>(['sqlite', 'postgres'])('scheduled job runs on %s', (database) => {
  let first: TestApp;
  let second: TestApp | null = null;
  let inbox: SmtpInbox;

  beforeAll(async () => {
    inbox = await SmtpInbox.start();
    const env = {
      SMTP_URL: inbox.url,
      LAB_TIME_ZONE: 'Europe/Rome',
      GDPR_PURGE_CRON: NEVER,
      WEEKLY_SUMMARY_CRON: NEVER,
      MAINTENANCE_NOTICE_CRON: NEVER,
      CERTIFICATION_REMINDER_CRON: NEVER,
    };
    first = await startTestApp({ database, broker: 'embedded', seed: LAB_SEED, env });
    if (database === 'postgres') {
      second = await startTestApp({
        database,
        broker: 'embedded',
        env: { ...env, DATABASE_URL: first.config.DATABASE_URL },
      });
    }
    await first.dataSource
      .getRepository(Member)
      .update({ email: 'admin@example.org' }, { receiveWeeklySummary: true, language: 'en' });
  });
  afterAll(async () => {
    await second?.stop();
    await first?.stop();
    await inbox?.close();
  });

  const schedulers = () => [first, second ?? first].map((app) => app.running.app.get(JobScheduler));
  const runs = () => first.dataSource.getRepository(JobRun).find({ order: { id: 'ASC' } });

  it('runs a job once when the instances fire for the same minute, and records the run', async () => {
    const minute = Math.floor(first.clock.now().getTime() / MINUTE) * MINUTE;
    const at = new Date(minute + 5_000);
    const ran = await Promise.all(schedulers().map((s) => s.runScheduled('weekly-summary', at)));
    expect(ran.filter(Boolean)).toHaveLength(1);
    await inbox.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const summaries = inbox.messages.map(mailParts).filter((m) => m.to.includes('admin@example.org'));
    expect(summaries).toHaveLength(1);
    const [run] = await runs();
    expect(await runs()).toHaveLength(1);
    expect(run).toMatchObject({ job: 'weekly-summary', outcome: 'ok', error: null });
    expect(run?.scheduledFor.getTime()).toBe(minute);
    expect(run?.finishedAt).not.toBeNull();

    // Later in the same minute (a restart, a clock step): still the same scheduled run.
    expect(await schedulers()[0]?.runScheduled('weekly-summary', new Date(minute + 50_000))).toBe(false);
    expect(await runs()).toHaveLength(1);
  });

  it('records a failed run with its reason, and runs the next schedule', async () => {
    const summary = (second ?? first).running.app.get(WeeklySummary);
    const failing = jest
      .spyOn(summary, 'run')
      .mockRejectedValueOnce(new Error('550 <mario@example.org>: mailbox unavailable'));
    const scheduler = (second ?? first).running.app.get(JobScheduler);
    const next = new Date(first.clock.now().getTime() + 10 * MINUTE);
    try {
      expect(await scheduler.runScheduled('weekly-summary', next)).toBe(true);
    } finally {
      failing.mockRestore();
    }
    const failed = (await runs()).at(-1);
    expect(failed).toMatchObject({ outcome: 'failed', error: '550 <[email]>: mailbox unavailable' });

    const after = new Date(next.getTime() + MINUTE);
    expect(await scheduler.runScheduled('weekly-summary', after)).toBe(true);
    expect((await runs()).at(-1)).toMatchObject({ outcome: 'ok', error: null });
  });

  it('shows the latest run of each job on the system page', async () => {
    const admin = await adminClient(first);
    const info = await admin.get<SystemInfo>('/api/system');
    expect(info.status).toBe(200);
    expect(info.body.jobs.enabled).toBe(true);
    expect(info.body.jobs.latest).toEqual([
      expect.objectContaining({
        job: 'weekly-summary',
        outcome: 'ok',
        error: null,
        finishedAt: expect.any(String),
      }),
    ]);
    expect(info.body.jobs.latest[0]?.instance).toMatch(/#\d+$/);
  });

  it('stops a running purge when the app stops, and records the run as interrupted before the database closes', async () => {
    const app = second ?? first;
    const purge = app.running.app.get(GdprPurge);
    let started = false;
    const running = jest.spyOn(purge, 'run').mockImplementation(
      (_actor, signal) =>
        new Promise((_resolve, reject) => {
          started = true;
          // A purge over years of history: it only ends when told to stop.
          signal?.addEventListener('abort', () => reject(signal.reason as Error));
        }),
    );
    try {
      const scheduler = app.running.app.get(JobScheduler);
      const ran = scheduler.runScheduled('gdpr-purge', new Date(first.clock.now().getTime() + 30 * MINUTE));
      for (let i = 0; i < 100 && !started; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(started).toBe(true);
      await scheduler.beforeApplicationShutdown();
      // Recorded by the time the app's stop goes on to close the database.
      expect((await runs()).at(-1)).toMatchObject({
        job: 'gdpr-purge',
        outcome: 'failed',
        error: 'interrupted: the app stopped; the next run goes on',
        finishedAt: expect.any(Date),
      });
      expect(await ran).toBe(true);
    } finally {
      running.mockRestore();
    }
  });
});
