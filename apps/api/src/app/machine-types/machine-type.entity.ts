import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { AccessManagement } from '@fabomatic/contracts';

@Entity({ name: 'machine_types' })
export class MachineType {
  @PrimaryGeneratedColumn() id!: number;

  @Column({ type: 'varchar', length: 100, unique: true }) name!: string;

  /** Auto-logoff delay sent to boards, minutes; 0 disables it. */
  @Column({ type: 'integer', default: 1440 }) autoLogoffMinutes!: number;

  /** Minutes the relay stays on after logout. */
  @Column({ type: 'integer', default: 2 }) graceMinutes!: number;

  /** `authorization`: a member × machine authorization is needed; `open`: any active member. */
  @Column({ type: 'varchar', length: 16, default: 'authorization' }) accessManagement!: AccessManagement;

  /** Certification policy: days an authorization is valid from its grant or renewal; null: no limit. */
  @Column({ type: 'integer', nullable: true }) validityDays!: number | null;

  /** Usage decay: days without a session on any machine of the type before it expires; null: none. */
  @Column({ type: 'integer', nullable: true }) decayDays!: number | null;

  /** Days before expiry when members are reminded, comma-separated (e.g. `30,7,1`); empty: none. */
  @Column({ type: 'varchar', length: 64, default: '' }) reminderDays!: string;
  /** Whether members may declare a machine of this type out of order (else staff only). */
  @Column({ type: 'boolean', default: true }) membersMayDeclareOutOfOrder!: boolean;

  @CreateDateColumn() createdAt!: Date;
  @UpdateDateColumn() updatedAt!: Date;
}
