import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import type { InterventionSource } from '@fabomatic/contracts';
import { TimeColumn } from '../../core/database/columns';
import { Machine } from '../machines/machine.entity';
import { Member } from '../members/member.entity';
import { MaintenancePlan } from './maintenance-plan.entity';

@Entity({ name: 'interventions' })
@Index(['planId', 'performedAt'])
// The list, newest first, pages by (performedAt, id): a range of this index, whatever the history's size.
@Index('IDX_interventions_performed_id', ['performedAt', 'id'])
export class Intervention {
  @PrimaryGeneratedColumn() id!: number;

  @Column({ type: 'integer', nullable: true }) planId!: number | null;
  @ManyToOne(() => MaintenancePlan, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'planId' })
  plan?: MaintenancePlan | null;

  @Index()
  @Column({ type: 'integer' })
  machineId!: number;
  @ManyToOne(() => Machine, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'machineId' })
  machine?: Machine;

  // A member's interventions are counted when they are erased (members.service.ts).
  @Index('IDX_interventions_member')
  @Column({ type: 'integer', nullable: true })
  memberId!: number | null;
  @ManyToOne(() => Member, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'memberId' })
  member?: Member | null;

  @TimeColumn() performedAt!: Date;
  /** Recorded from a board message replayed after an outage. */
  @Column({ type: 'boolean', default: false }) replay!: boolean;
  @Column({ type: 'varchar', length: 16, default: 'board' }) source!: InterventionSource;

  @CreateDateColumn() createdAt!: Date;
}
