import { hostname } from 'node:os';
import { Injectable } from '@nestjs/common';
import type { JobRunDto } from '@fabomatic/contracts';
import { ms } from '../../core/database/sql';
import { PortalReads } from '../../core/database/portal-reads';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { Clock } from '../../core/time/clock';

const MINUTE = 60_000;
const MAX_ERROR_LENGTH = 500;

/** This process, as job runs name it. */
const INSTANCE_NAME = `${hostname()}#${process.pid}`.slice(0, 120);

/** The minute a schedule fired for: every instance firing for the same tick computes the same. */
export function scheduledMinute(at: Date): Date {
  return new Date(Math.floor(at.getTime() / MINUTE) * MINUTE);
}

interface JobRunRow {
  job: string;
  scheduledFor: string | number;
  instance: string;
  startedAt: string | number;
  finishedAt: string | number | null;
  outcome: 'ok' | 'failed' | null;
  error: string | null;
}

/**
 * The record of scheduled job runs, and the claim that makes each scheduled run happen once when
 * several instances share the database: the first to insert (job, minute) runs it, the others skip.
 */
@Injectable()
export class JobRuns {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly reads: PortalReads,
    private readonly clock: Clock,
  ) {}

  /** The run's id when this instance won the claim, null when another instance already has it. */
  async claim(job: string, scheduledFor: Date): Promise<number | null> {
    const row = await this.uow.runSql((sql) =>
      sql.get<{ id: number }>(
        `INSERT INTO "job_runs" ("job", "scheduledFor", "instance", "startedAt")
         VALUES (?, ?, ?, ?) ON CONFLICT ("job", "scheduledFor") DO NOTHING RETURNING "id"`,
        [job, scheduledFor.getTime(), INSTANCE_NAME, this.clock.now().getTime()],
      ),
    );
    return row ? Number(row.id) : null;
  }

  /** Records the end of a run: `ok`, or `failed` with why. */
  async finish(id: number, failure?: string): Promise<void> {
    await this.uow.runSql((sql) =>
      sql.run(`UPDATE "job_runs" SET "finishedAt" = ?, "outcome" = ?, "error" = ? WHERE "id" = ?`, [
        this.clock.now().getTime(),
        failure === undefined ? 'ok' : 'failed',
        failure?.slice(0, MAX_ERROR_LENGTH) ?? null,
        id,
      ]),
    );
  }

  /** The latest run of each job (the system page). */
  async latest(): Promise<JobRunDto[]> {
    const rows = await this.reads.all<JobRunRow>(
      `SELECT r."job", r."scheduledFor", r."instance", r."startedAt", r."finishedAt", r."outcome", r."error"
       FROM "job_runs" r
       WHERE r."id" = (SELECT MAX(l."id") FROM "job_runs" l WHERE l."job" = r."job")
       ORDER BY r."job"`,
    );
    const iso = (value: string | number | null) => {
      const at = ms(value);
      return at === null ? null : new Date(at).toISOString();
    };
    return rows.map((row) => ({
      job: row.job,
      scheduledFor: iso(row.scheduledFor) ?? '',
      instance: row.instance,
      startedAt: iso(row.startedAt) ?? '',
      finishedAt: iso(row.finishedAt),
      outcome: row.outcome,
      error: row.error,
    }));
  }
}
