/** Error codes of backups and restores. */
export const SYSTEM_ERROR_CODES = [
  'BACKUP_NOT_SUPPORTED',
  'RESTORE_INVALID',
  'RESTORE_SCHEMA_MISMATCH',
  'RESTORE_IN_PROGRESS',
] as const;
