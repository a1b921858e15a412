import { HttpException, HttpStatus } from '@nestjs/common';
import { ApiPropertyOptional } from '../../core/http/openapi';
import type { ConfirmationRequiredBody } from '@fabomatic/contracts';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

/** `true`/`false` of a query string as a boolean (anything else stays a string and fails validation). */
export const QueryBoolean = () =>
  Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));

/** `?confirm=true`: a delete that takes other rows with it must be confirmed. */
export class ConfirmDeleteQueryDto {
  @ApiPropertyOptional({ description: 'confirm a delete that takes (or detaches) other rows' })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  confirm?: boolean;
}

/**
 * 409 saying what the delete would take with it; repeating it with `?confirm=true` does it. The code
 * is DELETE_CONFIRMATION_REQUIRED, or MACHINE_IN_USE naming who is using the machine (`inUseBy`).
 */
export function confirmationRequired(
  message: string,
  counts: Record<string, number>,
  inUse?: { readonly code: ConfirmationRequiredBody['code']; readonly inUseBy: string },
): HttpException {
  const body: ConfirmationRequiredBody = {
    statusCode: HttpStatus.CONFLICT,
    code: inUse?.code ?? 'DELETE_CONFIRMATION_REQUIRED',
    message: `${message}: repeat with ?confirm=true`,
    counts,
    ...(inUse ? { inUseBy: inUse.inUseBy } : {}),
  };
  return new HttpException(body, HttpStatus.CONFLICT);
}
