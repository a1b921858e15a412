import { HttpException, HttpStatus } from '@nestjs/common';
import type { ApiErrorBody, ErrorCode, ErrorParams, FieldRule } from '@fabomatic/contracts';

/** An error the client sees as `{ statusCode, code, message }`; `code` is translated by the SPA. */
export class ApiError extends HttpException {
  constructor(
    status: HttpStatus,
    code: ErrorCode,
    message: string,
    fields?: ApiErrorBody['fields'],
    params?: ErrorParams,
    rules?: ApiErrorBody['rules'],
  ) {
    const body: ApiErrorBody = {
      statusCode: status,
      code,
      message,
      ...(fields ? { fields } : {}),
      ...(params ? { params } : {}),
      ...(rules ? { rules } : {}),
    };
    super(body, status);
  }
}

export const notFound = (what: string) =>
  new ApiError(HttpStatus.NOT_FOUND, 'NOT_FOUND', `${what} not found`);

/**
 * 409: the request clashes with the data. `code` says which clash (the SPA's message), `params`
 * what it names (the field, and who or what already has the value).
 */
export const conflict = (code: ErrorCode, message: string, params?: ErrorParams) =>
  new ApiError(HttpStatus.CONFLICT, code, message, undefined, params);

/** 400 VALIDATION_FAILED on one field, with the rule it broke when the portal can state it. */
export const invalidField = (field: string, problem: string, rule?: FieldRule) =>
  new ApiError(
    HttpStatus.BAD_REQUEST,
    'VALIDATION_FAILED',
    `${field} ${problem}`,
    { [field]: [problem] },
    undefined,
    rule ? { [field]: [rule] } : undefined,
  );
