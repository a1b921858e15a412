/**
 * Error codes of members and their import. A clash names the field and the member who has it
 * (params `field`, `member`, and `card` for a card): only staff who may see members reach them.
 */
export const MEMBER_ERROR_CODES = [
  'MEMBER_HAS_NO_EMAIL',
  /** params: field 'email', member */
  'MEMBER_EMAIL_TAKEN',
  /** params: field 'email', member: a deleted member keeps their email until restored or erased. */
  'MEMBER_EMAIL_OF_DELETED',
  /** params: field 'cardUid', card, member */
  'CARD_TAKEN',
  /** A lost race on the unique email or card index: the other member is not known. */
  'MEMBER_EMAIL_OR_CARD_TAKEN',
  'CANNOT_DELETE_SELF',
  'CANNOT_CHANGE_OWN_ACCESS',
  'MEMBER_IS_DELETED',
  'MEMBER_ALREADY_DELETED',
  'MEMBER_NOT_DELETED',
  'MEMBER_ALREADY_ERASED',
  'MEMBER_ERASED',
  'CSV_INVALID',
  'CSV_NO_ROWS',
  'CSV_TOO_MANY_ROWS',
] as const;
