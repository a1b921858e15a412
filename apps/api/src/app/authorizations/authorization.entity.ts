import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
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

  /** After this instant the authorization no longer grants access. */
  @TimeColumn({ nullable: true }) expiresAt!: Date | null;

  @CreateDateColumn() createdAt!: Date;
}
