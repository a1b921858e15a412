import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import type { SessionEndReason } from '@fabomatic/contracts';
import { TimeColumn } from '../../core/database/columns';
import { Machine } from '../machines/machine.entity';
import { Member } from '../members/member.entity';

/** One use of a machine by a member, from `startuse` to `stopuse` (or closed by the backend). */
@Entity({ name: 'usage_sessions' })
// Covers the per-machine reads of the reports (members, hours) without touching the table rows.
@Index(['machineId', 'startedAt', 'memberId', 'endedAt'])
// Keyset pages of the history walk (startedAt, id) in either direction without sorting, a member's
// sessions (filter, or search by name) their (memberId, startedAt) index.
@Index('IDX_usage_sessions_started_id', ['startedAt', 'id'])
@Index('IDX_usage_sessions_member_started', ['memberId', 'startedAt'])
// Sorted by duration: an index on the list's duration expression, created by its migration (TypeORM
// cannot describe an expression index, so schema sync leaves it alone).
@Index('IDX_usage_sessions_duration_id', { synchronize: false })
@Index(['memberId', 'machineId', 'endedAt'])
// At most one open session per machine: the database itself refuses a second one.
@Index('UQ_usage_sessions_open_per_machine', ['machineId'], { unique: true, where: '"endedAt" IS NULL' })
export class UsageSession {
  @PrimaryGeneratedColumn() id!: number;

  @Column({ type: 'integer' }) memberId!: number;
  @ManyToOne(() => Member, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'memberId' })
  member?: Member;

  @Column({ type: 'integer' }) machineId!: number;
  @ManyToOne(() => Machine, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'machineId' })
  machine?: Machine;

  @TimeColumn() startedAt!: Date;
  /** Last heartbeat (`startuse`/`inuse`). */
  @TimeColumn() lastSeenAt!: Date;
  /** Null while the session is open. */
  @Index()
  @TimeColumn({ nullable: true })
  endedAt!: Date | null;

  @Column({ type: 'varchar', length: 16, nullable: true }) endReason!: SessionEndReason | null;
  /** Opened or closed from a message the board replayed after an outage. */
  @Column({ type: 'boolean', default: false }) replay!: boolean;

  /** A supervised first use: the trainer who started the machine for the member (a training session). */
  @Column({ type: 'integer', nullable: true }) trainerId!: number | null;

  @CreateDateColumn() createdAt!: Date;
}
