/** Error codes of sign-in, passwords and password resets. */
export const AUTH_ERROR_CODES = [
  'PASSWORD_CHANGE_REQUIRED',
  'INVALID_CREDENTIALS',
  /** The password change's current password is not the user's. */
  'CURRENT_PASSWORD_WRONG',
  'WEAK_PASSWORD',
  'RESET_TOKEN_INVALID',
  'EMAIL_NOT_CONFIGURED',
  /** The new password is the current one (a temporary password would go on working). */
  'NEW_PASSWORD_SAME_AS_CURRENT',
  /** An emailed sign-in link that is unknown, used, expired or whose member may no longer sign in. */
  'MAGIC_LINK_INVALID',
] as const;
