import { Column, Entity, PrimaryColumn } from 'typeorm';
import { CounterColumn } from '../../core/database/columns';

/*
 * Running totals of the usage history for the reports, kept by `UsageAggregates` in the same
 * transaction as every session write (and rebuilt from the history by `fabomatic rebuild-aggregates`).
 * Buckets are lab-local (LAB_TIME_ZONE) and a session counts in the bucket it started in. No foreign
 * keys: the writes that delete sessions take their totals off first.
 */

/**
 * What a total covers: `w`, a lab-local ISO week (`bucket` 0 starts on Monday 1970-01-05); `d`, a
 * lab-local day (`bucket` 0 is 1970-01-01); `b` (members only), a block of 8 weeks (`bucket` 0
 * starts with week 0). Reports read whole blocks, then whole weeks, then whole days at the edges.
 */
export type TotalPeriod = 'b' | 'w' | 'd';

/** Closed sessions and their length per machine per week and per day. */
@Entity({ name: 'usage_machine_totals' })
export class UsageMachineTotal {
  @PrimaryColumn({ type: 'varchar', length: 1 }) period!: TotalPeriod;
  @PrimaryColumn({ type: 'integer' }) bucket!: number;
  @PrimaryColumn({ type: 'integer' }) machineId!: number;
  @Column({ type: 'integer', default: 0 }) sessions!: number;
  /** Sum of the sessions' lengths, ms. */
  @CounterColumn() ms!: number;
}

/** Closed sessions and their length per member per block of weeks, week and day. */
@Entity({ name: 'usage_member_totals' })
export class UsageMemberTotal {
  @PrimaryColumn({ type: 'varchar', length: 1 }) period!: TotalPeriod;
  @PrimaryColumn({ type: 'integer' }) bucket!: number;
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
