import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TimeColumn } from '../../core/database/columns';

/**
 * A member made a trainer for a machine type: they may grant, renew, suspend and revoke
 * authorizations for its machines (never their own, never roles or portal access). The grant is
 * itself kept: revoking sets `revokedAt`.
 */
@Entity({ name: 'trainers' })
@Index(['machineTypeId', 'revokedAt'])
@Index(['memberId', 'revokedAt'])
export class Trainer {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'integer' }) memberId!: number;
  @Column({ type: 'integer' }) machineTypeId!: number;
  @TimeColumn() grantedAt!: Date;
  @Column({ type: 'integer', nullable: true }) grantedById!: number | null;
  @TimeColumn({ nullable: true }) revokedAt!: Date | null;
  @Column({ type: 'integer', nullable: true }) revokedById!: number | null;
}
