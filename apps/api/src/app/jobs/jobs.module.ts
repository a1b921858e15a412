import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AuthModule } from '../auth/auth.module';
import { GdprPurge } from './gdpr-purge';
import { JobRuns } from './job-runs';
import { JobScheduler } from './job-scheduler';
import { MaintenanceNotices } from './maintenance-notices';
import { WeeklySummary } from './weekly-summary';

/** Scheduled jobs: GDPR purge, weekly summary, maintenance-due notices (docs/operations.md). */
@Module({
  imports: [ScheduleModule.forRoot(), AuthModule],
  providers: [GdprPurge, WeeklySummary, MaintenanceNotices, JobRuns, JobScheduler],
  exports: [GdprPurge, WeeklySummary, MaintenanceNotices, JobRuns],
})
export class JobsModule {}
