import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TimeColumn } from '../../core/database/columns';
import { Member } from '../members/member.entity';

/** A signed-in portal session. The cookie carries a random token; only its SHA-256 is stored. */
@Entity({ name: 'portal_sessions' })
export class PortalSession {
  @PrimaryColumn({ type: 'varchar', length: 64 }) tokenHash!: string;

  @Index()
  @Column({ type: 'integer' })
  memberId!: number;
  @ManyToOne(() => Member, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'memberId' })
  member?: Member;

  @TimeColumn() createdAt!: Date;
  @TimeColumn() lastSeenAt!: Date;
  @Index()
  @TimeColumn()
  expiresAt!: Date;
}
