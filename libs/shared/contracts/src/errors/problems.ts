/** Error codes of problem reports (issue 14). */
export const PROBLEM_ERROR_CODES = [
  /** The member is not authorized on the machine (the board would refuse them): they may not report on it. */
  'PROBLEM_NOT_AUTHORIZED',
  /** The machine type keeps out-of-order to staff (`membersMayDeclareOutOfOrder` off). */
  'PROBLEM_OUT_OF_ORDER_STAFF_ONLY',
  /** `hardLock` is for managers and admins, and only on an out-of-order report. */
  'PROBLEM_HARD_LOCK_NOT_ALLOWED',
  /** The report is no longer open (resolved or cancelled): nothing more can change. */
  'PROBLEM_NOT_OPEN',
  /** Only the reporter may cancel their report. */
  'PROBLEM_NOT_REPORTER',
  /** The photo is not a JPEG, PNG or WebP image (checked by its content, not its name). */
  'PROBLEM_PHOTO_TYPE',
  /** The photo is larger than 5 MB. params: maxBytes */
  'PROBLEM_PHOTO_TOO_LARGE',
  /** The report has no photo. */
  'PROBLEM_NO_PHOTO',
  /** The request is not multipart/form-data. */
  'PROBLEM_MULTIPART_REQUIRED',
] as const;
