import { QueryFailedError } from 'typeorm';

/**
 * Whether a write failed on a unique index: the checks before a write see committed rows only, so
 * two concurrent requests on PostgreSQL can both pass them and the index decides.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: unknown } | undefined;
  return driverError?.code === '23505' || driverError?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}
