import {
  type CallHandler,
  type ExecutionContext,
  HttpException,
  HttpStatus,
  Injectable,
  type NestInterceptor,
  PayloadTooLargeException,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { PROBLEM_PHOTO_MAX_BYTES } from '@fabomatic/contracts';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { ApiError } from '../../core/http/api-error';
import { hasMediaType } from '../../core/http/upload';
import { photoTooLarge } from './problem-photo';

/** The file multer leaves on the request (memory storage). */
export interface UploadedPhoto {
  readonly buffer: Buffer;
  readonly size: number;
}

/** Multer, in memory, one file `photo` of at most 5 MB and a few small text fields. */
const Multipart = FileInterceptor('photo', {
  limits: { fileSize: PROBLEM_PHOTO_MAX_BYTES, files: 1, fields: 8, fieldSize: 16 * 1024, parts: 10 },
});

/**
 * Reads the multipart body of `POST /api/problems` after the session guard (an interceptor runs
 * after guards), turning multer's refusals into the API's codes.
 */
@Injectable()
export class PhotoUploadInterceptor implements NestInterceptor {
  private readonly multipart = new Multipart();

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<Request>();
    if (!hasMediaType(request, 'multipart/form-data'))
      throw new ApiError(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        'PROBLEM_MULTIPART_REQUIRED',
        'send the report as multipart/form-data',
      );
    try {
      return await this.multipart.intercept(context, next);
    } catch (error) {
      if (error instanceof PayloadTooLargeException) {
        request.res?.setHeader('Connection', 'close');
        throw photoTooLarge();
      }
      if (error instanceof ApiError) throw error;
      const message = error instanceof HttpException ? error.message : 'the form could not be read';
      throw new ApiError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', message);
    }
  }
}
