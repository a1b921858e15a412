import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TimeColumn } from '../../core/database/columns';

/**
 * A physical board, one row per serial (its MAC). Boards on firmware older than 0.6.7 send no
 * serial: they get one row per topic id with a null serial. `machineId` null = unassigned.
 */
@Entity({ name: 'boards' })
export class Board {
  @PrimaryGeneratedColumn() id!: number;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 12, nullable: true })
  serial!: string | null;

  /** The topic id the board last spoke on. */
  @Index()
  @Column({ type: 'varchar', length: 5 })
  topicId!: string;

  @Index()
  @Column({ type: 'integer', nullable: true })
  machineId!: number | null;

  @Column({ type: 'varchar', length: 64, nullable: true }) ipAddress!: string | null;
  @Column({ type: 'varchar', length: 128, nullable: true }) firmwareVersion!: string | null;
  @Column({ type: 'integer', nullable: true }) freeHeap!: number | null;
  @TimeColumn() lastSeenAt!: Date;

  @CreateDateColumn() createdAt!: Date;
}
