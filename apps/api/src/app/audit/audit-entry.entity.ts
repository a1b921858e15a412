import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TimeColumn } from '../../core/database/columns';

/** Append-only record of a change made by a person (or an operator command). */
@Entity({ name: 'audit_log' })
@Index(['entityType', 'entityId'])
// Keyset pages walk (occurredAt, id) in either direction without sorting.
@Index('IDX_audit_log_occurred_id', ['occurredAt', 'id'])
export class AuditEntry {
  @PrimaryGeneratedColumn() id!: number;

  @TimeColumn()
  occurredAt!: Date;

  // The entries a member made are rewritten when they are erased (audit.service.ts).
  @Index('IDX_audit_log_actor_member')
  @Column({ type: 'integer', nullable: true })
  actorMemberId!: number | null;
  /** Who acted as shown at the time (email, or `cli`, `system`). */
  @Column({ type: 'varchar', length: 254 }) actorLabel!: string;
  @Column({ type: 'varchar', length: 64 }) action!: string;
  @Column({ type: 'varchar', length: 64 }) entityType!: string;
  @Column({ type: 'varchar', length: 64, nullable: true }) entityId!: string | null;
  @Column({ type: 'simple-json', nullable: true }) before!: Record<string, unknown> | null;
  @Column({ type: 'simple-json', nullable: true }) after!: Record<string, unknown> | null;
}
