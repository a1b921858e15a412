import { ApiPropertyOptional } from '../../core/http/openapi';
import { Transform, Type } from 'class-transformer';
import { IsISO8601, IsInt, IsOptional, Min } from 'class-validator';
import { invalidField } from '../../core/http/api-error';
import { PageQueryDto } from '../../core/http/paging';

/** `?flag=true|false` as a boolean; anything else stays as sent and fails `@IsBoolean()`. */
export const BooleanQuery = () =>
  Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));

/** `?id=12` as a positive integer. */
export function IdQuery(): PropertyDecorator {
  return (target, key) => {
    ApiPropertyOptional({ minimum: 1 })(target, key);
    IsOptional()(target, key);
    Type(() => Number)(target, key);
    IsInt()(target, key);
    Min(1)(target, key);
  };
}

/** An ISO 8601 date or instant (a date alone is a UTC day). */
export function InstantQuery(description: string): PropertyDecorator {
  return (target, key) => {
    ApiPropertyOptional({ description, example: '2026-01-31T23:00:00Z' })(target, key);
    IsOptional()(target, key);
    IsISO8601({ strict: true })(target, key);
  };
}

/** A list filtered by a date range `[from, to]`. */
export class DateRangePageQueryDto extends PageQueryDto {
  @InstantQuery('start of the range (inclusive)')
  from?: string;

  @InstantQuery('end of the range (inclusive; a date alone includes its day)')
  to?: string;
}

export { invalidField };

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** The end of a range as epoch ms: a date alone includes its whole day (UTC). */
export function endOfRange(to: string, inclusive: boolean): number {
  if (!DATE_ONLY.test(to)) return Date.parse(to);
  return Date.parse(to) + DAY_MS - (inclusive ? 1 : 0);
}

/** The range `[from, to]` as epoch ms; refused when it ends before it starts. */
export function rangeOf(query: { from?: string; to?: string }): { from: number | null; to: number | null } {
  const from = query.from === undefined ? null : Date.parse(query.from);
  const to = query.to === undefined ? null : endOfRange(query.to, true);
  if (from !== null && to !== null && to < from) {
    throw invalidField('to', 'must not be before from', { rule: 'notBeforeFrom' });
  }
  return { from, to };
}

/** The member's display name, as the board and the live feed show it. */
export const fullName = (member: { name: string; surname: string }) =>
  `${member.name} ${member.surname}`.trim();
