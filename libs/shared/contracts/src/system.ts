/** The system page: versions, health, sizes and the configuration with secrets redacted. */
export interface SystemInfo {
  readonly version: string;
  readonly node: string;
  readonly uptimeSeconds: number;
  readonly memory: { readonly rssBytes: number; readonly heapUsedBytes: number };
  readonly database: { readonly kind: 'sqlite' | 'postgres'; readonly sizeBytes: number };
  readonly broker: { readonly embedded: boolean; readonly url: string; readonly connected: boolean };
  readonly boards: { readonly online: number; readonly messages: Record<string, unknown> };
  readonly config: Record<string, unknown>;
  /** Outgoing email (password reset links, summaries, notices): without SMTP_URL nothing is sent. */
  readonly email: { readonly configured: boolean; readonly from: string; readonly requireTls: boolean };
  readonly jobs: {
    /** `JOBS_ENABLED` on this instance. */
    readonly enabled: boolean;
    /** The latest scheduled run of each job, whichever instance ran it. */
    readonly latest: readonly JobRunDto[];
  };
}

/** The jobs the app schedules (docs/operations.md, "Scheduled jobs and email"). */
export const JOB_NAMES = [
  'gdpr-purge',
  'weekly-summary',
  'maintenance-notices',
  'certification-reminders',
  'certification-digest',
] as const;
export type JobName = (typeof JOB_NAMES)[number];

/** One scheduled job run (ISO times); `outcome` null while running or when its instance stopped. */
export interface JobRunDto {
  readonly job: string;
  readonly scheduledFor: string;
  readonly instance: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly outcome: 'ok' | 'failed' | null;
  readonly error: string | null;
}

/** What an uploaded database holds, once checked; `restarting`: the app restarts on it now. */
export interface RestoreResult {
  readonly migrations: number;
  readonly members: number;
  readonly machines: number;
  readonly sessions: number;
  readonly restarting: boolean;
}
