import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TimeColumn } from '../../core/database/columns';

/**
 * A board topic's own broker account (issue 11), for labs that build each board's firmware with its
 * own credentials. The user name is the topic id; only the scrypt hash of the password is kept.
 */
@Entity({ name: 'board_accounts' })
export class BoardAccount {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_board_accounts_id' }) id!: number;

  @Index('UQ_board_accounts_topic', { unique: true })
  @Column({ type: 'varchar', length: 5 })
  topicId!: string;

  @Column({ type: 'varchar', length: 255 }) passwordHash!: string;

  /** When the current password was issued (issue or rotate). */
  @TimeColumn() issuedAt!: Date;
}
