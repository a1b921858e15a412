import { createWriteStream, rmSync } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HttpStatus } from '@nestjs/common';
import type { Request } from 'express';
import { ApiError } from './api-error';

/*
 * Request bodies other than small JSON are read here, by the handler of the route that takes them:
 * after the session guard has checked the session and the level, never by a global parser that
 * runs before it for every path (an unauthenticated 190 MB body would be buffered first).
 */

/** Whether the request declares this media type (parameters such as `; charset=` ignored). */
export function hasMediaType(request: Request, type: string): boolean {
  const declared = request.headers['content-type'];
  return typeof declared === 'string' && declared.split(';')[0]?.trim().toLowerCase() === type;
}

/**
 * The 413 for a body over `limit`: the rest of the body is not read, and the connection is closed
 * after the answer (reading on would let the sender keep the server busy).
 */
function tooLarge(request: Request, limit: number): ApiError {
  request.unpipe();
  request.pause();
  request.res?.setHeader('Connection', 'close');
  return new ApiError(
    HttpStatus.PAYLOAD_TOO_LARGE,
    'PAYLOAD_TOO_LARGE',
    `the file is larger than ${limit} bytes`,
  );
}

/** Refuses at once a body whose declared length is over `limit`, before reading any of it. */
function checkDeclaredLength(request: Request, limit: number): void {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(request, limit);
}

/** Counts the bytes going through; fails with a 413 past `limit`. */
class SizeLimit extends Transform {
  bytes = 0;

  constructor(
    private readonly request: Request,
    private readonly limit: number,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) callback(tooLarge(this.request, this.limit));
    else callback(null, chunk);
  }
}

/**
 * The request body, streamed through a size check; the source stays readable for a 413 answer
 * (pipeline() would destroy the socket with it).
 */
function limitedBody(request: Request, limit: number): SizeLimit {
  checkDeclaredLength(request, limit);
  const limited = new SizeLimit(request, limit);
  const interrupted = () =>
    limited.destroy(new ApiError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', 'the upload was interrupted'));
  const aborted = () => {
    if (!request.complete) interrupted();
  };
  request.once('close', aborted);
  request.once('error', interrupted);
  limited.once('close', () => {
    request.off('close', aborted);
    request.off('error', interrupted);
  });
  request.pipe(limited);
  return limited;
}

/** Reads a small body into memory, at most `limit` bytes (a 413 past it). */
export async function readBody(request: Request, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of limitedBody(request, limit)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Streams the body into `file` (created, owner-only), at most `limit` bytes (a 413 past it);
 * returns its size. The file is removed when the upload fails.
 */
export async function receiveToFile(request: Request, file: string, limit: number): Promise<number> {
  const limited = limitedBody(request, limit);
  try {
    await pipeline(limited, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
    return limited.bytes;
  } catch (error) {
    rmSync(file, { force: true });
    throw error;
  }
}
