import { HttpException, HttpStatus } from '@nestjs/common';
import type { ApiErrorBody, ErrorCode } from '@fabomatic/contracts';

/** An error the client sees as `{ statusCode, code, message }`; `code` is translated by the SPA. */
export class ApiError extends HttpException {
  constructor(status: HttpStatus, code: ErrorCode, message: string, fields?: ApiErrorBody['fields']) {
    const body: ApiErrorBody = { statusCode: status, code, message, ...(fields ? { fields } : {}) };
    super(body, status);
  }
}

export const notFound = (what: string) =>
  new ApiError(HttpStatus.NOT_FOUND, 'NOT_FOUND', `${what} not found`);
export const conflict = (message: string) => new ApiError(HttpStatus.CONFLICT, 'CONFLICT', message);
