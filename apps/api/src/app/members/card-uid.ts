import { applyDecorators } from '@nestjs/common';
import { normalizeCardUid } from '@fabomatic/board-protocol';
import { Transform } from 'class-transformer';
import { Matches } from 'class-validator';

/**
 * A card UID in a body: accepted in either case with surrounding spaces, validated and stored as
 * boards send it (lower-case hex, 8, 14 or 20 chars).
 */
export function CardUid(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? (normalizeCardUid(value) ?? value) : value,
    ),
    Matches(/^(?:[0-9a-f]{8}|[0-9a-f]{14}|[0-9a-f]{20})$/, {
      message: 'cardUid must be 8, 14 or 20 hex characters',
    }),
  );
}
