import { Column, Entity, PrimaryColumn } from 'typeorm';
import { CounterColumn } from '../../core/database/columns';

/*
 * Running totals of the usage history for the reports, kept by `UsageAggregates` in the same
 * transaction as every session write (and rebuilt from the history by `fabomatic rebuild-aggregates`).
 * Buckets are lab-local (LAB_TIME_ZONE) and a session counts in the bucket it started in. No foreign
 * keys: a total outlives nothing, the writes that delete sessions take their totals off first.
 */

/** Closed sessions per machine per lab-local ISO week (week 0 starts on Monday 1970-01-05). */
@Entity({ name: 'usage_machine_weeks' })
export class UsageMachineWeek {
  @PrimaryColumn({ type: 'integer' }) week!: number;
  @PrimaryColumn({ type: 'integer' }) machineId!: number;
  @Column({ type: 'integer', default: 0 }) sessions!: number;
  /** Sum of the sessions' lengths, ms. */
  @CounterColumn() ms!: number;
}

/** Closed sessions per member per lab-local ISO week. */
@Entity({ name: 'usage_member_weeks' })
export class UsageMemberWeek {
  @PrimaryColumn({ type: 'integer' }) week!: number;
  @PrimaryColumn({ type: 'integer' }) memberId!: number;
  @Column({ type: 'integer', default: 0 }) sessions!: number;
  @CounterColumn() ms!: number;
}

/** Sessions (open ones too) started in each lab-local hour (hour 0 is 1970-01-01 00:00 local). */
@Entity({ name: 'usage_hours' })
export class UsageHour {
  @PrimaryColumn({ type: 'integer' }) hour!: number;
  @Column({ type: 'integer', default: 0 }) sessions!: number;
}
