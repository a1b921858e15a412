/**
 * Members CSV import (`POST /api/members/import`, body `text/csv`): all rows are created, or none
 * and every problem is listed.
 */

/** Largest CSV file accepted, in bytes (a bigger one is answered PAYLOAD_TOO_LARGE). */
export const MAX_MEMBER_IMPORT_BYTES = 2 * 1024 * 1024;

/** Most member rows one file may hold (more is answered CSV_TOO_MANY_ROWS). */
export const MAX_MEMBER_IMPORT_ROWS = 5000;

/** Most problems one answer lists; the others are only counted (`problemsNotListed`). */
export const MAX_MEMBER_IMPORT_PROBLEMS = 500;

/**
 * The columns a members CSV may have, by their header (any case; `_`, `-` and spaces alike). Only
 * `name` is required, and `role` unless the import names a default role. The other columns of
 * the members export (`id`, `portal access`, `deleted at`, `created at`) are ignored, so an export
 * can be edited and imported again.
 */
export const MEMBER_IMPORT_COLUMNS = [
  'name',
  'surname',
  'email',
  'card',
  'role',
  'disabled',
  'weekly summary',
  'language',
] as const;
export type MemberImportColumn = (typeof MEMBER_IMPORT_COLUMNS)[number];

/** What can be wrong in a members CSV; the portal translates `members-import.problems.<code>`. */
export const MEMBER_IMPORT_PROBLEM_CODES = [
  /** A header names a column the import does not know (row 1). */
  'UNKNOWN_COLUMN',
  /** Two headers name the same column (row 1). */
  'DUPLICATE_COLUMN',
  /** A required column is missing (row 1): `name`, or `role` without a default role. */
  'MISSING_COLUMN',
  /** A row has more values than the header has columns. */
  'TOO_MANY_VALUES',
  /** A required value is empty: `name`, or `role` without a default role. */
  'REQUIRED',
  'TOO_LONG',
  'INVALID_EMAIL',
  /** A card UID is 8, 14 or 20 hexadecimal characters. */
  'INVALID_CARD',
  /** `disabled` and `weekly summary` take true/false, yes/no, sì/si/no or 1/0 (empty: no). */
  'INVALID_YES_NO',
  'INVALID_LANGUAGE',
  'UNKNOWN_ROLE',
  /** Only admins give roles with manager or admin access. */
  'ROLE_NOT_ALLOWED',
  /** Another member already has this email. */
  'EMAIL_TAKEN',
  /** A deleted member has this email: restore or erase them first. */
  'EMAIL_OF_DELETED_MEMBER',
  /** Another member already has this card. */
  'CARD_TAKEN',
  /** An earlier row of the same file has this email (`otherRow`). */
  'DUPLICATE_EMAIL',
  /** An earlier row of the same file has this card (`otherRow`). */
  'DUPLICATE_CARD',
] as const;
export type MemberImportProblemCode = (typeof MEMBER_IMPORT_PROBLEM_CODES)[number];

export interface MemberImportProblem {
  /** The row as a spreadsheet numbers it: the header is row 1, the first member row 2. */
  readonly row: number;
  /** The column (one of MEMBER_IMPORT_COLUMNS, or the unknown header); null for the whole row. */
  readonly column: string | null;
  readonly code: MemberImportProblemCode;
  /** The value found, when there is one (cut to 100 characters). */
  readonly value?: string;
  /** For duplicates within the file: the earlier row with the same value. */
  readonly otherRow?: number;
}

export interface MemberImportResult {
  /** Whether this was a preview: nothing is written on a dry run. */
  readonly dryRun: boolean;
  /** Member rows in the file (blank rows are skipped). */
  readonly rows: number;
  /** Members created: all rows, or 0 when there are problems or on a dry run. */
  readonly created: number;
  /** Every problem, by row; empty when the file can be imported. */
  readonly problems: readonly MemberImportProblem[];
  /** Problems beyond MAX_MEMBER_IMPORT_PROBLEMS, counted but not listed. */
  readonly problemsNotListed: number;
}
