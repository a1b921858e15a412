/** Error codes of training requests, training sessions and supervised first uses (issue 15). */
export const TRAINING_ERROR_CODES = [
  /** The member already has an open (or planned) request for this machine type. params: type */
  'TRAINING_REQUEST_OPEN',
  /** The member is already authorized on every machine of the type. params: type */
  'ALREADY_AUTHORIZED_FOR_TYPE',
  /** Only an open or planned request can be cancelled. params: state */
  'TRAINING_REQUEST_CLOSED',
  /** More trainees than the session's capacity. params: capacity */
  'TRAINING_SESSION_FULL',
  /** Its outcomes are recorded: the session can no longer change. */
  'TRAINING_SESSION_COMPLETED',
  /** A trainer cannot be their own trainee. */
  'TRAINER_OWN_TRAINEE',
  /** The trainee is planned in another session of the type not yet held. params: member */
  'TRAINEE_ALREADY_PLANNED',
  /** A supervised start logs in with the trainee's card: they have none. params: member */
  'TRAINEE_CARD_REQUIRED',
  /** A supervised start needs the trainee's active authorization on the machine. params: member, machine */
  'TRAINEE_NOT_AUTHORIZED',
] as const;
