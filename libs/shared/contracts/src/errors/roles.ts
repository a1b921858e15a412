/** Error codes of roles. */
export const ROLE_ERROR_CODES = [
  /** params: field 'name', name */
  'ROLE_NAME_TAKEN',
  'ROLE_RESERVED',
  /** params: count (members with the role) */
  'ROLE_IN_USE',
] as const;
