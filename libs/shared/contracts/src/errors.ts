import { AUTH_ERROR_CODES } from './errors/auth';
import { AUTHORIZATION_ERROR_CODES } from './errors/authorizations';
import { CERTIFICATION_ERROR_CODES } from './errors/certifications';
import { COMMON_ERROR_CODES } from './errors/common';
import { MACHINE_ERROR_CODES } from './errors/machines';
import { MEMBER_ERROR_CODES } from './errors/members';
import { PROBLEM_ERROR_CODES } from './errors/problems';
import { ROLE_ERROR_CODES } from './errors/roles';
import { SYSTEM_ERROR_CODES } from './errors/system';
import { TRAINING_ERROR_CODES } from './errors/training';
import { KIOSK_ERROR_CODES } from './errors/kiosks';
import { USAGE_ERROR_CODES } from './errors/usage';

/**
 * Error codes the API returns as `{ "code": "...", "message": "..." }`; the SPA translates
 * `errors.<code>` (with the body's `params`). Never stack traces or SQL. Each feature lists its
 * codes in errors/<feature>.ts; a spec of the SPA fails when one has no translation.
 */
export const ERROR_CODES = [
  ...COMMON_ERROR_CODES,
  ...AUTH_ERROR_CODES,
  ...MEMBER_ERROR_CODES,
  ...MACHINE_ERROR_CODES,
  ...ROLE_ERROR_CODES,
  ...AUTHORIZATION_ERROR_CODES,
  ...TRAINING_ERROR_CODES,
  ...CERTIFICATION_ERROR_CODES,
  ...USAGE_ERROR_CODES,
  ...SYSTEM_ERROR_CODES,
  ...KIOSK_ERROR_CODES,
  ...PROBLEM_ERROR_CODES,
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Values an error's translated message interpolates (`{{member}}`): names, numbers, field names. */
export type ErrorParams = Readonly<Record<string, string | number>>;

/**
 * A rule a refused field broke (class-validator's name: `maxLength`, `isLength`, `max`, `isEmail`…)
 * with its limits when it has some, e.g. `{ rule: 'isLength', min: 1, max: 100 }`.
 */
export interface FieldRule {
  readonly rule: string;
  readonly min?: number;
  readonly max?: number;
}

export interface ApiErrorBody {
  readonly statusCode: number;
  readonly code: ErrorCode;
  readonly message: string;
  /** For VALIDATION_FAILED: the offending fields and what is wrong with each. */
  readonly fields?: Readonly<Record<string, readonly string[]>>;
  /** For VALIDATION_FAILED: the rules each refused field broke, for the SPA to state in its language. */
  readonly rules?: Readonly<Record<string, readonly FieldRule[]>>;
  /** What the message names: for a clash, the `field` and who or what already has the value. */
  readonly params?: ErrorParams;
}
