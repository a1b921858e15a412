/** Error codes of usage sessions (corrections by staff). */
export const USAGE_ERROR_CODES = [
  /** params: session (id), from, to (ISO times; to is empty while it is open) */
  'USAGE_SESSION_OVERLAP',
] as const;
