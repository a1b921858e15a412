import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { TrainingRequestState } from '@fabomatic/contracts';
import { TimeColumn } from '../../core/database/columns';

/** A member asks for training on a machine type; the type's trainers see the queue. */
@Entity({ name: 'training_requests' })
@Index(['machineTypeId', 'state', 'createdAt'])
@Index(['memberId', 'createdAt'])
export class TrainingRequest {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'integer' }) memberId!: number;
  @Column({ type: 'integer' }) machineTypeId!: number;
  @Column({ type: 'varchar', length: 500, nullable: true }) note!: string | null;
  @Column({ type: 'varchar', length: 16, default: 'open' }) state!: TrainingRequestState;
  @Column({ type: 'integer', nullable: true }) trainingSessionId!: number | null;
  @TimeColumn() createdAt!: Date;
  @TimeColumn() updatedAt!: Date;
}
