import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import type { StoredAuthorizationState } from '@fabomatic/contracts';
import { TimeColumn } from '../../core/database/columns';
import { Machine } from '../machines/machine.entity';
import { Member } from '../members/member.entity';

@Entity({ name: 'authorizations' })
@Index(['memberId', 'machineId'], { unique: true })
export class Authorization {
  @PrimaryGeneratedColumn() id!: number;

  @Column({ type: 'integer' }) memberId!: number;
  @ManyToOne(() => Member, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'memberId' })
  member?: Member;

  @Index()
  @Column({ type: 'integer' })
  machineId!: number;
  @ManyToOne(() => Machine, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'machineId' })
  machine?: Machine;

  /** After this instant the authorization no longer grants access (its validity end). */
  @TimeColumn({ nullable: true }) expiresAt!: Date | null;

  /**
   * pending (training requested), active, suspended or revoked; expiring and expired are derived
   * from the dates (certification.ts). Nothing is deleted: a revoked row keeps its history.
   */
  @Column({ type: 'varchar', length: 16, default: 'active' }) status!: StoredAuthorizationState;

  /** When it was granted or last renewed (what validity and, before a first use, decay count from). */
  @TimeColumn({ nullable: true }) grantedAt!: Date | null;

  /** Who granted or last renewed it (a trainer, a manager); null for imports and the bootstrap. */
  @Column({ type: 'integer', nullable: true }) grantedById!: number | null;

  /** The member's last session start on any machine of this machine's type (usage decay). */
  @TimeColumn({ nullable: true }) lastUsedAt!: Date | null;

  @CreateDateColumn() createdAt!: Date;
}
