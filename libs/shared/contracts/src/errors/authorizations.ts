/** Error codes of authorizations. */
export const AUTHORIZATION_ERROR_CODES = [
  'ALREADY_AUTHORIZED',
  /** params: members (their names, comma separated) */
  'MEMBER_DELETED_NOT_AUTHORIZABLE',
  /** An authorization expiry that is already past would grant nothing. */
  'AUTHORIZATION_EXPIRY_PAST',
] as const;
