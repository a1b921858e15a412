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
  /** Binding a board to a machine that has one: repeat with `replace: true` to disconnect that board. */
  'MACHINE_HAS_BOARD',
  /** Deleting a machine someone is using: the body names them (`inUseBy`); repeat with `?confirm=true`. */
  'MACHINE_IN_USE',
  /** The machine is retired: reinstate it first. */
  'MACHINE_RETIRED',
  /** Reinstating a machine in service. params: machine */
  'MACHINE_NOT_RETIRED',
] as const;
