import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { JOB_NAMES, type JobName } from '@fabomatic/contracts';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { Clock } from '../../core/time/clock';
import { GdprPurge } from './gdpr-purge';
import { JobRuns, scheduledMinute } from './job-runs';
import { MaintenanceNotices } from './maintenance-notices';
import { WeeklySummary } from './weekly-summary';
import { CertificationDigest } from '../training/certification-digest';
import { CertificationReminders } from '../training/certification-reminders';

/** How long the app's stop waits for the scheduled runs in progress. */
const STOP_WAIT_MS = 10_000;

/**
 * Schedules the jobs from the configuration (cron expressions in the lab's time zone), unless
 * `JOBS_ENABLED=false`. Each scheduled run is claimed in the database first (JobRuns), so when
 * several instances share it a run happens once, on whichever instance claims it. A job never
 * overlaps itself; a failure is logged, recorded and retried at the next tick. Orphan-session closing
 * is not here: it runs on every instance (see OrphanSessionsService), because open sessions depend on it.
 */
@Injectable()
export class JobScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Jobs');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: SchedulerRegistry,
    private readonly purge: GdprPurge,
    private readonly summary: WeeklySummary,
    private readonly notices: MaintenanceNotices,
    private readonly reminders: CertificationReminders,
    private readonly digest: CertificationDigest,
    private readonly runs: JobRuns,
    private readonly clock: Clock,
  ) {}

  /** Aborted when the app stops: a long job (the purge) ends after its current transaction. */
  private readonly stopping = new AbortController();
  /** Scheduled runs in progress (the job and the record of its outcome). */
  private readonly inFlight = new Set<Promise<void>>();

  private readonly jobs: Record<JobName, () => Promise<unknown>> = {
    'gdpr-purge': () => this.purge.run('system', this.stopping.signal),
    'weekly-summary': () => this.summary.run(),
    'maintenance-notices': () => this.notices.run(),
    'certification-reminders': () => this.reminders.run(),
    'certification-digest': () => this.digest.run(),
  };

  /**
   * One scheduled run: claimed for its minute, then run and recorded. Resolves to false when another
   * instance had claimed it. Never rejects: a failure is logged and recorded.
   */
  async runScheduled(name: JobName, scheduledFor: Date): Promise<boolean> {
    let id: number | null;
    try {
      id = await this.runs.claim(name, scheduledMinute(scheduledFor));
    } catch (error) {
      this.logger.error(`job ${name} not run: its claim failed: ${reasonOf(error)}`);
      return false;
    }
    if (id === null) {
      this.logger.debug(`job ${name}: already run by another instance for this schedule`);
      return false;
    }
    const run = this.runClaimed(name, id);
    this.inFlight.add(run);
    try {
      await run;
    } finally {
      this.inFlight.delete(run);
    }
    return true;
  }

  private async runClaimed(name: JobName, id: number): Promise<void> {
    let failure: string | undefined;
    try {
      await this.jobs[name]();
    } catch (error) {
      failure = reasonOf(error);
      if (this.stopping.signal.aborted) this.logger.warn(`job ${name}: ${failure}`);
      else this.logger.error(`job ${name} failed: ${failure}`);
    }
    await this.runs
      .finish(id, failure)
      .catch((error: unknown) =>
        this.logger.error(`job ${name}: its outcome was not recorded: ${reasonOf(error)}`),
      );
  }

  onApplicationBootstrap(): void {
    if (!this.config.JOBS_ENABLED) {
      this.logger.log('scheduled jobs are disabled (JOBS_ENABLED=false)');
      return;
    }
    const crons: Record<JobName, string> = {
      'gdpr-purge': this.config.GDPR_PURGE_CRON,
      'weekly-summary': this.config.WEEKLY_SUMMARY_CRON,
      'maintenance-notices': this.config.MAINTENANCE_NOTICE_CRON,
      'certification-reminders': this.config.CERTIFICATION_REMINDER_CRON,
      // On the weekly summary's schedule: staff read both on the same morning.
      'certification-digest': this.config.WEEKLY_SUMMARY_CRON,
    };
    for (const name of JOB_NAMES) {
      const job = CronJob.from({
        cronTime: crons[name],
        timeZone: this.config.LAB_TIME_ZONE,
        onTick: async () => {
          await this.runScheduled(name, this.clock.now());
        },
        waitForCompletion: true,
        unrefTimeout: true,
        start: true,
      });
      this.registry.addCronJob(name, job);
    }
    this.logger.log(`scheduled jobs in ${this.config.LAB_TIME_ZONE}: ${JOB_NAMES.join(', ')}`);
  }

  /**
   * Before the database closes: no new run starts, a running purge stops after its current
   * transaction, and the runs in progress are recorded (the purge as failed, with the reason); the
   * next scheduled run goes on. Waits STOP_WAIT_MS at most.
   */
  async beforeApplicationShutdown(): Promise<void> {
    for (const name of JOB_NAMES) {
      if (this.registry.doesExist('cron', name)) this.registry.deleteCronJob(name);
    }
    this.stopping.abort(new Error('interrupted: the app stopped; the next run goes on'));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise((resolve) => {
        timer = setTimeout(resolve, STOP_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
  }
}

/**
 * Why a job failed, as logged and recorded: a mail server's refusal may name a recipient, and neither
 * place keeps an address (a GDPR erase would not find it there).
 */
const reasonOf = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).replace(/[^\s<>"']+@[^\s<>"']+/g, '[email]');
