import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TimeColumn } from '../../core/database/columns';

/**
 * A reminder sent before an authorization expires, kept so that a reminder is sent once per expiry
 * and per step (30, 7, 1 days before), even when the daily job runs twice or late.
 */
@Entity({ name: 'certification_reminders' })
@Index(['authorizationId', 'daysBefore', 'expiresAt'], { unique: true })
export class CertificationReminder {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'integer' }) authorizationId!: number;
  @Column({ type: 'integer' }) daysBefore!: number;
  /** The expiry the reminder was about (a renewal moves it, and the steps start again). */
  @TimeColumn() expiresAt!: Date;
  @TimeColumn() sentAt!: Date;
}
