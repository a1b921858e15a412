import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TimeColumn } from '../../core/database/columns';

/**
 * One scheduled run of a job. The row is the claim: of several instances whose schedules fire for
 * the same minute, only the one that inserts it runs the job (unique job × scheduled minute).
 */
@Entity({ name: 'job_runs' })
@Index('UQ_job_runs_job_scheduled', ['job', 'scheduledFor'], { unique: true })
export class JobRun {
  @PrimaryGeneratedColumn() id!: number;

  @Column({ type: 'varchar', length: 40 }) job!: string;
  /** The minute the schedule fired for. */
  @TimeColumn() scheduledFor!: Date;
  /** Host name and process id of the instance that ran it. */
  @Column({ type: 'varchar', length: 120 }) instance!: string;
  @TimeColumn() startedAt!: Date;
  @TimeColumn({ nullable: true }) finishedAt!: Date | null;
  /** `ok`, `failed`, or null while running (or when the instance stopped during the run). */
  @Column({ type: 'varchar', length: 10, nullable: true }) outcome!: 'ok' | 'failed' | null;
  @Column({ type: 'varchar', length: 500, nullable: true }) error!: string | null;
}
