import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { ProblemSeverity, ProblemState } from '@fabomatic/contracts';
import { TimeColumn } from '../../core/database/columns';
import { Machine } from '../machines/machine.entity';
import { Member } from '../members/member.entity';
import { MachineOutage } from './machine-outage.entity';

/**
 * A problem reported on a machine (issue 14). Never deleted: open → resolved (staff) or cancelled
 * (the reporter). Its photo is in `problem_photos`, so lists never read the bytes.
 */
@Entity({ name: 'problem_reports' })
@Index('IDX_problem_reports_machine_state', ['machineId', 'state'])
@Index('IDX_problem_reports_state_created', ['state', 'createdAt'])
export class ProblemReport {
  @PrimaryGeneratedColumn() id!: number;

  @Column({ type: 'integer' }) machineId!: number;

  @ManyToOne(() => Machine, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'machineId' })
  machine?: Machine;

  @Index()
  @Column({ type: 'integer' })
  reporterId!: number;

  @ManyToOne(() => Member, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'reporterId' })
  reporter?: Member;

  @Column({ type: 'varchar', length: 16 }) severity!: ProblemSeverity;

  /** An out-of-order report that refuses everyone at the board, staff included. */
  @Column({ type: 'boolean', default: false }) hardLock!: boolean;

  @Column({ type: 'varchar', length: 2000 }) description!: string;

  @Column({ type: 'varchar', length: 16, default: 'open' }) state!: ProblemState;

  @Column({ type: 'boolean', default: false }) hasPhoto!: boolean;

  @TimeColumn() createdAt!: Date;

  @TimeColumn({ nullable: true }) resolvedAt!: Date | null;

  @Column({ type: 'integer', nullable: true }) resolvedById!: number | null;

  @ManyToOne(() => Member, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'resolvedById' })
  resolvedBy?: Member | null;

  @Column({ type: 'varchar', length: 2000, nullable: true }) resolution!: string | null;

  @TimeColumn({ nullable: true }) cancelledAt!: Date | null;

  /** The outage an out-of-order report was part of (null for notes). */
  @Index()
  @Column({ type: 'integer', nullable: true })
  outageId!: number | null;

  @ManyToOne(() => MachineOutage, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'outageId' })
  outage?: MachineOutage | null;
}
