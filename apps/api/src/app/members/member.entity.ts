import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { TimeColumn } from '../../core/database/columns';
import { Role } from '../roles/role.entity';

@Entity({ name: 'members' })
export class Member {
  @PrimaryGeneratedColumn() id!: number;

  @Column({ type: 'varchar', length: 100 }) name!: string;
  @Column({ type: 'varchar', length: 100, default: '' }) surname!: string;

  /** Unique when set; the login of portal users. Stored lower-case. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 254, nullable: true })
  email!: string | null;

  /** RFID card UID, lower-case hex (8, 14 or 20 chars); cleared when the member is deleted. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 20, nullable: true })
  cardUid!: string | null;

  @Index()
  @Column({ type: 'integer' })
  roleId!: number;

  @ManyToOne(() => Role, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'roleId' })
  role?: Role;

  @Column({ type: 'boolean', default: false }) disabled!: boolean;

  /** Soft delete: the row is kept for history, the card is released. */
  @TimeColumn({ nullable: true }) deletedAt!: Date | null;

  @Column({ type: 'varchar', length: 255, nullable: true }) passwordHash!: string | null;
  @Column({ type: 'boolean', default: false }) mustChangePassword!: boolean;
  @Column({ type: 'boolean', default: false }) receiveWeeklySummary!: boolean;
  @Column({ type: 'varchar', length: 5, default: 'en' }) language!: string;
  /** Emails when a machine they used lately goes out of order and when it is back (opt-out). */
  @Column({ type: 'boolean', default: true }) machineStatusEmails!: boolean;

  @CreateDateColumn() createdAt!: Date;
  @UpdateDateColumn() updatedAt!: Date;
}
