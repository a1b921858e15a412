import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One lab setting kept in the database, editable in the portal (issue 14): the settings of the
 * environment (core/config) need a restart, these do not. Values are JSON; `LabSettingsService`
 * knows each key's type and default.
 */
@Entity({ name: 'lab_settings' })
export class LabSetting {
  @PrimaryColumn({ type: 'varchar', length: 64, primaryKeyConstraintName: 'PK_lab_settings_key' })
  key!: string;

  @Column({ type: 'text' }) value!: string;
}
