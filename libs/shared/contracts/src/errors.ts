/**
 * Error codes the API returns as `{ "code": "...", "message": "..." }`; the SPA translates
 * `errors.<code>`. Never stack traces or SQL.
 */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'CSRF_HEADER_MISSING',
  'PASSWORD_CHANGE_REQUIRED',
  'INVALID_CREDENTIALS',
  'WEAK_PASSWORD',
  'RESET_TOKEN_INVALID',
  'EMAIL_NOT_CONFIGURED',
  'MEMBER_HAS_NO_EMAIL',
  'BACKUP_NOT_SUPPORTED',
  'RESTORE_INVALID',
  'RESTORE_SCHEMA_MISMATCH',
  'RESTORE_IN_PROGRESS',
  'TOO_MANY_REQUESTS',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'INTERNAL_ERROR',
  'CARD_REQUIRED',
  'CSV_INVALID',
  'CSV_NO_ROWS',
  'CSV_TOO_MANY_ROWS',
  /** Binding a board to a machine that has one: repeat with `replace: true` to disconnect that board. */
  'MACHINE_HAS_BOARD',
  /** Deleting a machine someone is using: the body names them (`inUseBy`); repeat with `?confirm=true`. */
  'MACHINE_IN_USE',
  /** The machine is retired: reinstate it first. */
  'MACHINE_RETIRED',
  /** An authorization expiry that is already past would grant nothing. */
  'AUTHORIZATION_EXPIRY_PAST',
  'NEW_PASSWORD_SAME_AS_CURRENT',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiErrorBody {
  readonly statusCode: number;
  readonly code: ErrorCode;
  readonly message: string;
  /** For VALIDATION_FAILED: the offending fields and what is wrong with each. */
  readonly fields?: Readonly<Record<string, readonly string[]>>;
}
