import {
  BeforeInsert,
  BeforeUpdate,
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
import { MachineType } from '../machine-types/machine-type.entity';
import { MACHINE_SORT_KEY_LENGTH, machineNameSortKey } from './machine-sort-key';

@Entity({ name: 'machines' })
export class Machine {
  @PrimaryGeneratedColumn() id!: number;

  /** The id typed in the board's setup portal, as typed (`012` ≠ `12`): the board's only identity. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 5 })
  topicId!: string;

  @Column({ type: 'varchar', length: 100, unique: true }) name!: string;

  /** The name as machines sort (`MACHINE2` before `MACHINE10`): kept from the name on every save. */
  @Index()
  @Column({ type: 'varchar', length: MACHINE_SORT_KEY_LENGTH, default: '' })
  nameSortKey!: string;

  @Index()
  @Column({ type: 'integer', nullable: true })
  typeId!: number | null;

  @ManyToOne(() => MachineType, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'typeId' })
  type?: MachineType | null;

  /** Blocked: the board refuses everyone, "authorize all" roles included (the firmware does so). */
  @Column({ type: 'boolean', default: false }) blocked!: boolean;

  /** Hour meter in seconds: grows with every closed session, editable by staff. */
  @CounterColumn() usageSeconds!: number;

  @TimeColumn({ nullable: true }) lastSeenAt!: Date | null;

  /** Retired: refused at the board and hidden from lists, its history and reports kept. */
  @TimeColumn({ nullable: true }) retiredAt!: Date | null;

  /**
   * Since when an out-of-order problem report is open on it (null: in order), kept in the reports'
   * transactions so the board path reads it with the machine, never the reports.
   */
  @TimeColumn({ nullable: true }) outOfOrderSince!: Date | null;

  /** An open out-of-order report has a hard lock: the board refuses everyone, staff included. */
  @Column({ type: 'boolean', default: false }) outOfOrderHardLock!: boolean;

  @CreateDateColumn() createdAt!: Date;
  @UpdateDateColumn() updatedAt!: Date;

  @BeforeInsert()
  @BeforeUpdate()
  protected keepNameSortKey(): void {
    if (typeof this.name === 'string') this.nameSortKey = machineNameSortKey(this.name);
  }
}
