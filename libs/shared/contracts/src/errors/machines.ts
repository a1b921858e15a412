/** Error codes of machines, machine types, board bindings and board accounts. */
export const MACHINE_ERROR_CODES = [
  /** params: field 'name', name */
  'MACHINE_NAME_TAKEN',
  /** params: field 'topicId', topicId, machine (the machine that has it) */
  'TOPIC_ID_TAKEN',
  /** params: field 'name', name */
  'MACHINE_TYPE_NAME_TAKEN',
  /** params: topicId */
  'BOARD_ACCOUNT_EXISTS',
  'CARD_REQUIRED',
] as const;
