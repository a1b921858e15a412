import type { JobRunDto } from '@fabomatic/contracts';
import { jobRows } from './job-rows';

const run = (job: string, outcome: JobRunDto['outcome'], error: string | null = null): JobRunDto => ({
  job,
  scheduledFor: '2026-11-23T06:00:00.000Z',
  instance: 'lab-pi#4242',
  startedAt: '2026-11-23T06:00:00.120Z',
  finishedAt: outcome ? '2026-11-23T06:00:01.000Z' : null,
  outcome,
  error,
});

describe('scheduled jobs on the system page', () => {
  it('lists every job, never-run ones too, with how its latest run ended', () => {
    const rows = jobRows([
      run('weekly-summary', 'failed', 'SMTP refused the login'),
      run('gdpr-purge', null),
    ]);
    expect(rows.map((r) => [r.name, r.outcome, r.run?.error ?? null])).toEqual([
      ['gdpr-purge', 'running', null],
      ['weekly-summary', 'failed', 'SMTP refused the login'],
      ['maintenance-notices', null, null],
      ['certification-reminders', null, null],
      ['certification-digest', null, null],
    ]);
  });

  it('ignores runs of jobs this version does not schedule', () => {
    expect(jobRows([run('retired-job', 'ok')]).every((r) => r.run === null)).toBe(true);
  });
});
