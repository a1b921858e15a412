import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { ApiErrorBody, ErrorCode } from '@fabomatic/contracts';
import type { Request, Response } from 'express';

const CODE_BY_STATUS: Partial<Record<number, ErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: 'VALIDATION_FAILED',
  [HttpStatus.UNAUTHORIZED]: 'UNAUTHENTICATED',
  [HttpStatus.FORBIDDEN]: 'FORBIDDEN',
  [HttpStatus.NOT_FOUND]: 'NOT_FOUND',
  [HttpStatus.CONFLICT]: 'CONFLICT',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'PAYLOAD_TOO_LARGE',
  [HttpStatus.TOO_MANY_REQUESTS]: 'TOO_MANY_REQUESTS',
};

function isApiErrorBody(body: unknown): body is ApiErrorBody {
  return typeof body === 'object' && body !== null && 'code' in body && 'statusCode' in body;
}

/**
 * Every HTTP error leaves as an {@link ApiErrorBody}: a code the SPA translates and a plain message.
 * Unexpected errors are logged here and reach the client as INTERNAL_ERROR, without stack or SQL.
 */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const response = host.switchToHttp().getResponse<Response>();
    // A body left unread (refused before its route read it): close the connection after the answer
    // rather than receive the rest of it.
    if (!response.headersSent && !host.switchToHttp().getRequest<Request>().complete) {
      response.setHeader('Connection', 'close');
    }
    response.status(this.statusOf(exception)).json(this.bodyOf(exception));
  }

  private statusOf(exception: unknown): number {
    if (exception instanceof HttpException) return exception.getStatus();
    const status = (exception as { status?: unknown }).status;
    return typeof status === 'number' && status >= 400 && status < 500 ? status : 500;
  }

  private bodyOf(exception: unknown): ApiErrorBody {
    const status = this.statusOf(exception);
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      if (isApiErrorBody(body)) return body;
      const code = CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'VALIDATION_FAILED');
      const message =
        typeof body === 'object' && body !== null && 'message' in body
          ? [body.message].flat().map(String).join('; ')
          : exception.message;
      return { statusCode: status, code, message };
    }
    if (status < 500) {
      // e.g. body-parser's "request entity too large" or malformed JSON
      return {
        statusCode: status,
        code: CODE_BY_STATUS[status] ?? 'VALIDATION_FAILED',
        message: (exception as Error).message,
      };
    }
    this.logger.error(
      exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
    );
    return { statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal error' };
  }
}
