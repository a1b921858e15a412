import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { GdprPurge } from './gdpr-purge';
import { MaintenanceNotices } from './maintenance-notices';
import { WeeklySummary } from './weekly-summary';

/** Names the jobs are registered under in the SchedulerRegistry. */
export const JOB_NAMES = ['gdpr-purge', 'weekly-summary', 'maintenance-notices'] as const;
export type JobName = (typeof JOB_NAMES)[number];

/**
 * Schedules the jobs from the configuration (cron expressions in the lab's time zone), unless
 * `JOBS_ENABLED=false` (e.g. on all but one of several instances). A job never overlaps itself, and a
 * failure is logged and retried at the next tick. Orphan-session closing is not here: it runs on
 * every instance (see OrphanSessionsService), because open sessions depend on it.
 */
@Injectable()
export class JobScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Jobs');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: SchedulerRegistry,
    private readonly purge: GdprPurge,
    private readonly summary: WeeklySummary,
    private readonly notices: MaintenanceNotices,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.JOBS_ENABLED) {
      this.logger.log('scheduled jobs are disabled (JOBS_ENABLED=false)');
      return;
    }
    const jobs: Record<JobName, { cron: string; run: () => Promise<unknown> }> = {
      'gdpr-purge': { cron: this.config.GDPR_PURGE_CRON, run: () => this.purge.run('system') },
      'weekly-summary': { cron: this.config.WEEKLY_SUMMARY_CRON, run: () => this.summary.run() },
      'maintenance-notices': { cron: this.config.MAINTENANCE_NOTICE_CRON, run: () => this.notices.run() },
    };
    for (const name of JOB_NAMES) {
      const { cron, run } = jobs[name];
      const job = CronJob.from({
        cronTime: cron,
        timeZone: this.config.LAB_TIME_ZONE,
        onTick: async () => {
          try {
            await run();
          } catch (error) {
            this.logger.error(
              `job ${name} failed: ${error instanceof Error ? error.message : String(error)}`,
            );
          }
        },
        waitForCompletion: true,
        unrefTimeout: true,
        start: true,
      });
      this.registry.addCronJob(name, job);
    }
    this.logger.log(`scheduled jobs in ${this.config.LAB_TIME_ZONE}: ${JOB_NAMES.join(', ')}`);
  }

  onApplicationShutdown(): void {
    for (const name of JOB_NAMES) {
      if (this.registry.doesExist('cron', name)) this.registry.deleteCronJob(name);
    }
  }
}
