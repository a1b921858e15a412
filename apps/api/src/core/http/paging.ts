import { ApiPropertyOptional } from './openapi';
import {
  COUNT_LIMIT,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type Page,
  type PageQuery,
} from '@fabomatic/contracts';
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

  @ApiPropertyOptional({
    description: 'history lists: `nextCursor` or `prevCursor` of the page shown (keyset paging)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;
}

/**
 * The SQL of a sort key, only for the list's own keys: `sort=constructor` or `__proto__` would
 * otherwise find an inherited property and send a function's text into the ORDER BY.
 */
export function sortExpression<K extends string>(
  sortable: Readonly<Record<K, string>>,
  key: string,
): string | undefined {
  return Object.hasOwn(sortable, key) ? sortable[key as K] : undefined;
}

const invalidSort = (keys: readonly string[]) =>
  new ApiError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', `sort must be one of ${keys.join(', ')}`, {
    sort: [`one of ${keys.join(', ')}`],
  });

/** Where a keyset page starts: the sort it belongs to, the sort value and id of a row, the way to go. */
interface Cursor {
  /** sort key and order the cursor was made for */
  readonly s: string;
  readonly o: 'asc' | 'desc';
  /** sort value and primary key of the row next to the page */
  readonly v: string | number;
  readonly i: number;
  /** 1: the page before that row */
  readonly b?: 1;
}

const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

function decodeCursor(text: string, sort: string, order: 'asc' | 'desc'): Cursor {
  let cursor: Partial<Cursor> | null;
  try {
    cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Cursor>;
  } catch {
    cursor = null;
  }
  const valid =
    cursor !== null &&
    typeof cursor === 'object' &&
    (typeof cursor.v === 'string' || typeof cursor.v === 'number') &&
    Number.isSafeInteger(cursor.i);
  if (!valid)
    throw new ApiError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', 'cursor is not one this list gave', {
      cursor: ['not one this list gave'],
    });
  // A cursor of another sort would start the page at a meaningless place: start again instead.
  if (cursor?.s !== sort || cursor.o !== order)
    throw new ApiError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', 'cursor belongs to another sort', {
      cursor: ['belongs to another sort'],
    });
  return cursor as Cursor;
}

/**
 * A page of a list over a table that grows forever (sessions, access events, audit), by keyset:
 * `cursor` continues from a row of the previous page on the (sort value, primary key) index, so the
 * thousandth page costs what the first does, and rows sharing a sort value are neither skipped nor
 * repeated. The total is counted up to COUNT_LIMIT rows only (`totalExact: false` beyond).
 * Without a cursor, `page` still reads by offset (old links, first pages). `sortable` as for
 * `findPage`; its expressions must never be NULL (wrap them in COALESCE).
 */
export async function findKeysetPage<E extends ObjectLiteral, T>(
  query: SelectQueryBuilder<E>,
  params: PageQuery,
  sortable: Readonly<Record<string, string>>,
  toDto: (entity: E) => T,
): Promise<Page<T>> {
  const keys = Object.keys(sortable);
  const sortKey = params.sort ?? keys[0] ?? '';
  const expression = sortExpression(sortable, sortKey);
  if (expression === undefined) throw invalidSort(keys);
  const order = params.order ?? 'asc';
  const page = params.page ?? 1;
  const pageSize = params.pageSize ?? DEFAULT_PAGE_SIZE;
  const primary = query.expressionMap.mainAlias?.metadata.primaryColumns[0]?.propertyName ?? 'id';
  const idPath = `${query.alias}.${primary}`;

  const [countSql, countParams] = query
    .clone()
    .select(idPath)
    .orderBy()
    .limit(COUNT_LIMIT + 1)
    .getQueryAndParameters();
  const [counted] = await query.connection.query<{ n: string | number }[]>(
    `SELECT COUNT(*) AS "n" FROM (${countSql}) "counted"`,
    countParams,
  );
  const total = Number(counted?.n ?? 0);

  const cursor = params.cursor === undefined ? null : decodeCursor(params.cursor, sortKey, order);
  const backwards = cursor?.b === 1;
  // The page before a row is read in the opposite order, then turned round.
  const descending = (order === 'desc') !== backwards;
  const direction = descending ? 'DESC' : 'ASC';
  query.addSelect(expression, 'keyset_value').orderBy(expression, direction).addOrderBy(idPath, direction);
  if (cursor) {
    query.andWhere(`(${expression}, ${idPath}) ${descending ? '<' : '>'} (:keysetValue, :keysetId)`, {
      keysetValue: cursor.v,
      keysetId: cursor.i,
    });
  } else if (page > 1) {
    query.offset((page - 1) * pageSize);
  }
  const { entities, raw } = await query
    .limit(pageSize + 1)
    .getRawAndEntities<{ keyset_value: string | number }>();
  const more = entities.length > pageSize;
  const rows = entities.slice(0, pageSize).map((entity, i) => ({ entity, key: raw[i]?.keyset_value ?? '' }));
  if (backwards) rows.reverse();
  const cursorAt = (row: { entity: E; key: string | number } | undefined, before: boolean) =>
    row === undefined
      ? null
      : encodeCursor({
          s: sortKey,
          o: order,
          v: row.key,
          i: Number(row.entity[primary]),
          ...(before ? { b: 1 as const } : {}),
        });
  const first = rows[0];
  const last = rows[rows.length - 1];
  return {
    items: rows.map((row) => toDto(row.entity)),
    total: Math.min(total, COUNT_LIMIT),
    totalExact: total <= COUNT_LIMIT,
    page,
    pageSize,
    nextCursor: backwards || more ? cursorAt(last, false) : null,
    prevCursor: (backwards ? more : cursor !== null || page > 1) ? cursorAt(first, true) : null,
  };
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
  if (params.sort !== undefined && sortExpression(sortable, params.sort) === undefined)
    throw invalidSort(keys);
  const sortKey = params.sort ?? keys[0];
  const page = params.page ?? 1;
  const pageSize = params.pageSize ?? DEFAULT_PAGE_SIZE;
  const direction = params.order === 'desc' ? 'DESC' : 'ASC';
  const expression = sortKey === undefined ? undefined : sortExpression(sortable, sortKey);
  if (expression) query.orderBy(expression, direction);
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
