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

  /** Whether members may declare a machine of this type out of order (else staff only). */
  @Column({ type: 'boolean', default: true }) membersMayDeclareOutOfOrder!: boolean;

  @CreateDateColumn() createdAt!: Date;
  @UpdateDateColumn() updatedAt!: Date;
}
