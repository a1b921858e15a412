import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimeColumn } from '../../core/database/columns';

/**
 * One row per card tapped with reason `unknown-card`, kept in the same transaction as the tap's
 * access event, so the unknown-cards page reads a small table instead of grouping the whole access
 * history. A card a member holds now is filtered out at read time (members' unique card index), so
 * it counts again, with its whole history, once that member lets the card go.
 */
@Entity({ name: 'unknown_cards' })
export class UnknownCard {
  @PrimaryColumn({ type: 'varchar', length: 20, primaryKeyConstraintName: 'PK_unknown_cards' })
  cardUid!: string;
  @TimeColumn() firstSeenAt!: Date;
  @Index('IDX_unknown_cards_lastSeenAt')
  @TimeColumn()
  lastSeenAt!: Date;
  @Column({ type: 'integer' }) taps!: number;
  /** Where the latest tap came from: its board topic id and machine (if the topic had one). */
  @Column({ type: 'varchar', length: 5 }) lastTopicId!: string;
  @Column({ type: 'integer', nullable: true }) lastMachineId!: number | null;
}
