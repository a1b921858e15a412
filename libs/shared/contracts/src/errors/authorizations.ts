/** Error codes of authorizations. */
export const AUTHORIZATION_ERROR_CODES = [
  'ALREADY_AUTHORIZED',
  /** params: members (their names, comma separated) */
  'MEMBER_DELETED_NOT_AUTHORIZABLE',
  /** An authorization expiry that is already past would grant nothing. */
  'AUTHORIZATION_EXPIRY_PAST',
  /** params: state (the authorization's stored state), action (what was asked) */
  'AUTHORIZATION_TRANSITION_INVALID',
  /** Suspending or revoking an authorization needs a reason. */
  'AUTHORIZATION_REASON_REQUIRED',
  /** A trainer acting outside the machine types they train, or on their own authorization. */
  'NOT_TRAINER_FOR_TYPE',
] as const;
