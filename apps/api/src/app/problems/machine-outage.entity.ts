import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { TimeColumn } from '../../core/database/columns';
import { Machine } from '../machines/machine.entity';

/**
 * A machine out of order: from its first open out-of-order report to the close of its last one.
 * The downtime report reads these, never the reports.
 */
@Entity({ name: 'machine_outages' })
@Index('IDX_machine_outages_machine_started', ['machineId', 'startedAt'])
export class MachineOutage {
  @PrimaryGeneratedColumn() id!: number;

  @Column({ type: 'integer' }) machineId!: number;

  @ManyToOne(() => Machine, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'machineId' })
  machine?: Machine;

  @TimeColumn() startedAt!: Date;

  /** Null while the machine is out of order. */
  @Index()
  @TimeColumn({ nullable: true })
  endedAt!: Date | null;
}
