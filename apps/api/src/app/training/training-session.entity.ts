import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { TrainingOutcome } from '@fabomatic/contracts';
import { TimeColumn } from '../../core/database/columns';

/** A planned training: a trainer, a machine type, a date and place, trainees up to a capacity. */
@Entity({ name: 'training_sessions' })
@Index(['machineTypeId', 'startsAt'])
@Index(['trainerId', 'startsAt'])
export class TrainingSession {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'integer' }) machineTypeId!: number;
  @Column({ type: 'integer' }) trainerId!: number;
  @TimeColumn() startsAt!: Date;
  @Column({ type: 'varchar', length: 200 }) place!: string;
  @Column({ type: 'integer' }) capacity!: number;
  @TimeColumn() createdAt!: Date;
  /** When the trainer recorded the outcomes. */
  @TimeColumn({ nullable: true }) completedAt!: Date | null;
}

/** A trainee of a training session and their result. */
@Entity({ name: 'training_attendees' })
@Index(['sessionId', 'memberId'], { unique: true })
@Index(['memberId'])
export class TrainingAttendee {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'integer' }) sessionId!: number;
  @Column({ type: 'integer' }) memberId!: number;
  /** The request it answers, if the trainee asked. */
  @Column({ type: 'integer', nullable: true }) requestId!: number | null;
  @Column({ type: 'varchar', length: 16, default: 'pending' }) outcome!: TrainingOutcome;
}
