import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TimeColumn } from '../../core/database/columns';
import { Machine } from '../machines/machine.entity';
import { Member } from '../members/member.entity';

/**
 * A replayed `startuse` that found its member's session already closed. It is either the replay of
 * that session's start (its reply was lost) or the start of another use buffered on the board; the
 * next message tells: a replayed `stopuse` right after it closes a use of its own. One row a machine.
 */
@Entity({ name: 'replay_starts' })
export class ReplayStart {
  @PrimaryColumn({ type: 'integer' }) machineId!: number;
  @ManyToOne(() => Machine, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'machineId' })
  machine?: Machine;

  @Column({ type: 'integer' }) memberId!: number;
  @ManyToOne(() => Member, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'memberId' })
  member?: Member;

  @TimeColumn() receivedAt!: Date;
}
