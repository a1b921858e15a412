import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AuthModule } from '../auth/auth.module';
import { GdprPurge } from './gdpr-purge';
import { JobRuns } from './job-runs';
import { JobScheduler } from './job-scheduler';
import { MaintenanceNotices } from './maintenance-notices';
import { WeeklySummary } from './weekly-summary';
import { CertificationDigest } from '../training/certification-digest';
import { CertificationReminders } from '../training/certification-reminders';

/** Scheduled jobs: GDPR purge, weekly summary, maintenance-due notices, certification reminders and digest (docs/operations.md). */
@Module({
  imports: [ScheduleModule.forRoot(), AuthModule],
  providers: [
    GdprPurge,
    WeeklySummary,
    MaintenanceNotices,
    CertificationReminders,
    CertificationDigest,
    JobRuns,
    JobScheduler,
  ],
  exports: [
    GdprPurge,
    WeeklySummary,
    MaintenanceNotices,
    CertificationReminders,
    CertificationDigest,
    JobRuns,
  ],
})
export class JobsModule {}
