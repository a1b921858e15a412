/** Error codes any route may answer. */
export const COMMON_ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'CSRF_HEADER_MISSING',
  'TOO_MANY_REQUESTS',
  'NOT_FOUND',
  /** A clash no more specific code names (e.g. a lost race on a unique index). */
  'CONFLICT',
  /** A delete that takes other rows with it: the body's `counts` say which; repeat with `?confirm=true`. */
  'DELETE_CONFIRMATION_REQUIRED',
  'PAYLOAD_TOO_LARGE',
  'INTERNAL_ERROR',
] as const;
