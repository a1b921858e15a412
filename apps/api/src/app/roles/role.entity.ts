import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { PortalAccess } from '@fabomatic/contracts';

@Entity({ name: 'roles' })
export class Role {
  @PrimaryGeneratedColumn() id!: number;

  @Column({ type: 'varchar', length: 100, unique: true }) name!: string;

  /** May use every machine, blocked ones included (board level 3). */
  @Column({ type: 'boolean', default: false }) authorizeAll!: boolean;

  /** May record maintenance and use machines flagged for maintenance (board level ≥ 2). */
  @Column({ type: 'boolean', default: false }) maintenance!: boolean;

  /** What the role's members may do in the admin portal. */
  @Column({ type: 'varchar', length: 16, default: 'none' }) portalAccess!: PortalAccess;

  /** System roles (e.g. the anonymised-history role) cannot be edited or deleted. */
  @Column({ type: 'boolean', default: false }) reserved!: boolean;

  @CreateDateColumn() createdAt!: Date;
  @UpdateDateColumn() updatedAt!: Date;
}
