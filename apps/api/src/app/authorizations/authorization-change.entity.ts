import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { AuthorizationChange, StoredAuthorizationState } from '@fabomatic/contracts';
import { TimeColumn } from '../../core/database/columns';

/**
 * An authorization's history: every grant, renewal, suspension, reinstatement and revocation, with
 * who made it and why. Rows are only ever added.
 */
@Entity({ name: 'authorization_changes' })
@Index(['authorizationId', 'at'])
@Index(['memberId', 'at'])
export class AuthorizationChangeEntry {
  @PrimaryGeneratedColumn() id!: number;

  @Column({ type: 'integer' }) authorizationId!: number;
  /** Kept with the row so that a member's history reads without joins, and survives renames. */
  @Column({ type: 'integer' }) memberId!: number;
  @Column({ type: 'integer' }) machineId!: number;

  @TimeColumn() at!: Date;
  @Column({ type: 'varchar', length: 16 }) change!: AuthorizationChange;
  @Column({ type: 'varchar', length: 16, nullable: true }) fromStatus!: StoredAuthorizationState | null;
  @Column({ type: 'varchar', length: 16 }) toStatus!: StoredAuthorizationState;
  /** Required for suspensions and revocations. */
  @Column({ type: 'varchar', length: 500, nullable: true }) reason!: string | null;
  /** The member who acted (staff or trainer); null for the system (import, migration). */
  @Column({ type: 'integer', nullable: true }) actorId!: number | null;
  /** The validity end after the change. */
  @TimeColumn({ nullable: true }) expiresAt!: Date | null;
}
