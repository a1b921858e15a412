import { JOB_NAMES, type JobName, type JobRunDto } from '@fabomatic/contracts';

/** How a job's latest run ended: `running` also covers a run whose instance stopped during it. */
export type JobOutcome = 'ok' | 'failed' | 'running';

export interface JobRow {
  readonly name: JobName;
  readonly run: JobRunDto | null;
  readonly outcome: JobOutcome | null;
}

/** One row per scheduled job, in the app's order, with its latest run when it has one. */
export function jobRows(latest: readonly JobRunDto[]): JobRow[] {
  return JOB_NAMES.map((name) => {
    const run = latest.find((r) => r.job === name) ?? null;
    return { name, run, outcome: run ? (run.outcome ?? 'running') : null };
  });
}
