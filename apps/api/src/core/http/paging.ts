import { ApiPropertyOptional } from './openapi';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Page, type PageQuery } from '@fabomatic/contracts';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { HttpStatus } from '@nestjs/common';
import { ApiError } from './api-error';

/** `?page&pageSize&sort&order&q` of every list; lists extend it with their filters. */
export class PageQueryDto implements PageQuery {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  pageSize?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(40)
  sort?: string;

  @ApiPropertyOptional({ enum: ['asc', 'desc'] })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';

  @ApiPropertyOptional({ description: 'free-text search' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

/**
 * Runs a list query one page at a time. `sortable` maps the sort keys a client may use to SQL
 * expressions (anything else is refused), the first key being the default.
 */
export async function findPage<E extends ObjectLiteral, T>(
  query: SelectQueryBuilder<E>,
  params: PageQuery,
  sortable: Readonly<Record<string, string>>,
  toDto: (entity: E) => T,
): Promise<Page<T>> {
  const keys = Object.keys(sortable);
  if (params.sort !== undefined && !(params.sort in sortable)) {
    throw new ApiError(
      HttpStatus.BAD_REQUEST,
      'VALIDATION_FAILED',
      `sort must be one of ${keys.join(', ')}`,
      {
        sort: [`one of ${keys.join(', ')}`],
      },
    );
  }
  const sortKey = params.sort ?? keys[0];
  const page = params.page ?? 1;
  const pageSize = params.pageSize ?? DEFAULT_PAGE_SIZE;
  const direction = params.order === 'desc' ? 'DESC' : 'ASC';
  if (sortKey) query.orderBy(sortable[sortKey], direction);
  // Rows sharing the sort key (sessions of one machine, events of one second) keep a stable order
  // from page to page: the primary key breaks ties.
  const primary = query.expressionMap.mainAlias?.metadata.primaryColumns[0]?.propertyName;
  if (primary) query.addOrderBy(`${query.alias}.${primary}`, direction);
  const [rows, total] = await query
    .skip((page - 1) * pageSize)
    .take(pageSize)
    .getManyAndCount();
  return { items: rows.map(toDto), total, page, pageSize };
}

/** A LIKE pattern matching `text` anywhere, with LIKE's wildcards escaped (use with ESCAPE '\\'). */
export function containing(text: string): string {
  return `%${text
    .trim()
    .toLowerCase()
    .replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
