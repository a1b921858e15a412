import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TimeColumn } from '../../core/database/columns';
import { Member } from '../members/member.entity';

/** A single-use emailed sign-in link; only the SHA-256 of its token is stored. */
@Entity({ name: 'magic_link_tokens' })
export class MagicLinkToken {
  @PrimaryColumn({ type: 'varchar', length: 64 }) tokenHash!: string;

  @Index()
  @Column({ type: 'integer' })
  memberId!: number;
  @ManyToOne(() => Member, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'memberId' })
  member?: Member;

  @TimeColumn() createdAt!: Date;
  @TimeColumn() expiresAt!: Date;
  @TimeColumn({ nullable: true }) usedAt!: Date | null;
}
