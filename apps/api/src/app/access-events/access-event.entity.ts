import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { AccessAction, AccessReason } from '@fabomatic/contracts';
import { TimeColumn } from '../../core/database/columns';

/** Every card decision and board-side command, with its reason. */
@Entity({ name: 'access_events' })
@Index(['reason', 'occurredAt'])
// Keyset pages walk (occurredAt, id) in either direction without sorting; filtered by machine, member
// or card, or searched by name (`IN` on these ids), they walk that column's index in time order.
@Index('IDX_access_events_occurred_id', ['occurredAt', 'id'])
@Index('IDX_access_events_machine_occurred', ['machineId', 'occurredAt'])
@Index('IDX_access_events_card_occurred', ['cardUid', 'occurredAt'])
@Index('IDX_access_events_member_occurred', ['memberId', 'occurredAt'])
// A board's `startuse` looks up a trainer's remote start for the member (supervised first use).
@Index('IDX_access_events_remote_start', ['machineId', 'memberId', 'occurredAt'], {
  where: `"action" = 'remote-start'`,
})
export class AccessEvent {
  @PrimaryGeneratedColumn() id!: number;

  @TimeColumn()
  occurredAt!: Date;

  /** The board topic id the message came on (kept even when no machine has it). */
  @Column({ type: 'varchar', length: 5 }) topicId!: string;
  @Column({ type: 'integer', nullable: true })
  machineId!: number | null;
  @Column({ type: 'varchar', length: 20, nullable: true })
  cardUid!: string | null;
  @Column({ type: 'integer', nullable: true })
  memberId!: number | null;

  @Column({ type: 'varchar', length: 16 }) action!: AccessAction;
  @Column({ type: 'varchar', length: 32 }) reason!: AccessReason;
  @Column({ type: 'boolean' }) granted!: boolean;
  /** Board level answered (0..3) for card checks. */
  @Column({ type: 'integer', nullable: true }) level!: number | null;
  @Column({ type: 'boolean', default: false }) replay!: boolean;
  /** Taps this row stands for: an unknown card tapped again on the machine within 10 s adds one. */
  @Column({ type: 'integer', default: 1 }) count!: number;
  /** Portal user who issued a remote command. */
  @Column({ type: 'integer', nullable: true }) actorMemberId!: number | null;
}
