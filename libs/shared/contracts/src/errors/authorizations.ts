/** Error codes of authorizations. */
export const AUTHORIZATION_ERROR_CODES = [
  'ALREADY_AUTHORIZED',
  /** params: members (their names, comma separated) */
  'MEMBER_DELETED_NOT_AUTHORIZABLE',
] as const;
