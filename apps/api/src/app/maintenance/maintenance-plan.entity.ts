import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { CounterColumn, TimeColumn } from '../../core/database/columns';
import { Machine } from '../machines/machine.entity';

@Entity({ name: 'maintenance_plans' })
export class MaintenancePlan {
  @PrimaryGeneratedColumn() id!: number;

  @Index()
  @Column({ type: 'integer' })
  machineId!: number;
  @ManyToOne(() => Machine, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'machineId' })
  machine?: Machine;

  /** Hours of use between two interventions. */
  @Column({ type: 'double precision' }) hoursBetween!: number;
  @Column({ type: 'varchar', length: 500 }) description!: string;
  /** Shown on the board's LCD while due (ASCII, 16 chars once sent). */
  @Column({ type: 'varchar', length: 100, default: '' }) lcdMessage!: string;
  @Column({ type: 'varchar', length: 500, nullable: true }) instructionsUrl!: string | null;
  /**
   * When the maintainers were emailed that the plan is due; a notice counts for the due period
   * it was sent in (until the next intervention), so it is sent once, not at every check.
   */
  @TimeColumn({ nullable: true }) dueNotifiedAt!: Date | null;
  /**
   * Epoch ms of the plan's last intervention (0: none) and the length of the closed sessions of its
   * machine started since then, ms: kept with every session write (`UsageAggregates`) and recomputed
   * when interventions change, so that checkmachine, the dashboard and the reports never sum history.
   */
  @CounterColumn() countedSince!: number;
  @CounterColumn() usedMs!: number;

  @CreateDateColumn() createdAt!: Date;
  @UpdateDateColumn() updatedAt!: Date;
}
