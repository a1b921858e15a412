import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TimeColumn } from '../../core/database/columns';

/**
 * A kiosk screen's token (issue 14): a TV in the lab shows the machines' states without a staff
 * login. Only the SHA-256 of the 256-bit token is kept; a revoked kiosk stays listed (history).
 */
@Entity({ name: 'kiosks' })
export class Kiosk {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_kiosks_id' }) id!: number;

  @Column({ type: 'varchar', length: 60 }) name!: string;

  /** Hex SHA-256 of the token. */
  @Index('UQ_kiosks_token_hash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  tokenHash!: string;

  /** The member who created it (no foreign key: a kiosk outlives its creator's account). */
  @Column({ type: 'integer', nullable: true }) createdById!: number | null;

  @TimeColumn() createdAt!: Date;

  @TimeColumn({ nullable: true }) lastUsedAt!: Date | null;

  @TimeColumn({ nullable: true }) revokedAt!: Date | null;
}
