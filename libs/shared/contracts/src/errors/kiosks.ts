/** Error codes of the kiosk screen and its tokens. */
export const KIOSK_ERROR_CODES = [
  /** A kiosk request or socket without a token, or with an unknown one. */
  'KIOSK_TOKEN_INVALID',
  /** The kiosk's token was revoked by staff. */
  'KIOSK_TOKEN_REVOKED',
] as const;
