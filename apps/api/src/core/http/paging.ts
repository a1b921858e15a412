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
import type { ObjectLiteral, QueryRunner, SelectQueryBuilder } from 'typeorm';
import { HttpStatus } from '@nestjs/common';
import type { SqlReader, SqlValue } from '../database/sql';
import { ApiError } from './api-error';
import { type KeysetOrder, keysetAfter, keysetOrderBy } from './export';

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
    description:
      'history lists and unknown cards: `nextCursor` or `prevCursor` of the page shown (keyset paging)',
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
  /** sort value and unique key of the row next to the page (a number, or a text key such as a card) */
  readonly v: string | number;
  readonly i: number | string;
  /** 1: the page before that row */
  readonly b?: 1;
}

/** Where an offset page starts (see `readKeysetPage`'s `cursors: 'position'`): the row's position. */
interface PositionCursor {
  readonly s: string;
  readonly o: 'asc' | 'desc';
  /** rows before the page */
  readonly p: number;
}

const encodeCursor = (cursor: Cursor | PositionCursor) =>
  Buffer.from(JSON.stringify(cursor)).toString('base64url');

const refusedCursor = (message: string, detail: string) =>
  new ApiError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', message, { cursor: [detail] });

/** A cursor this list gave for this sort and order; `valid` checks the rest of its shape. */
function decodeCursor<C extends { readonly s: string; readonly o: 'asc' | 'desc' }>(
  text: string,
  sort: string,
  order: 'asc' | 'desc',
  valid: (cursor: Readonly<Record<string, unknown>>) => boolean,
): C {
  let cursor: unknown;
  try {
    cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    cursor = null;
  }
  if (cursor === null || typeof cursor !== 'object' || !valid(cursor as Record<string, unknown>))
    throw refusedCursor('cursor is not one this list gave', 'not one this list gave');
  const { s, o } = cursor as { s?: unknown; o?: unknown };
  // A cursor of another sort would start the page at a meaningless place: start again instead.
  if (s !== sort || o !== order)
    throw refusedCursor('cursor belongs to another sort', 'belongs to another sort');
  return cursor as C;
}

/** The kind of a keyset column's values: what a cursor must hold for it. */
type KeyKind = 'integer' | 'string';

const ofKind = (kind: KeyKind, value: unknown) =>
  kind === 'integer' ? Number.isSafeInteger(value) : typeof value === 'string';

/**
 * Where a keyset page starts: the decoded cursor (null without one), whether it asks for the page
 * before its row, and so whether the rows are read in descending order (the page before a row is
 * read in the opposite order, then turned round).
 */
function keysetStart(
  text: string | undefined,
  sortKey: string,
  order: 'asc' | 'desc',
  valid: (cursor: Record<string, unknown>) => boolean,
): { cursor: Cursor | null; backwards: boolean; descending: boolean } {
  const cursor = text === undefined ? null : decodeCursor<Cursor>(text, sortKey, order, valid);
  const backwards = cursor?.b === 1;
  return { cursor, backwards, descending: (order === 'desc') !== backwards };
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
  // Through the builder's query runner (the portal's reads: a reader thread, after the read barriers),
  // not the data source's own connection, the one that answers the boards.
  const [counted] = await query.connection.query<{ n: string | number }[]>(
    `SELECT COUNT(*) AS "n" FROM (${countSql}) "counted"`,
    countParams,
    // TypeORM keeps it protected: the runner of the manager that made the builder.
    (query as unknown as { readonly queryRunner?: QueryRunner }).queryRunner,
  );
  const total = Number(counted?.n ?? 0);

  const { cursor, backwards, descending } = keysetStart(
    params.cursor,
    sortKey,
    order,
    (c) => (typeof c['v'] === 'string' || typeof c['v'] === 'number') && ofKind('integer', c['i']),
  );
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

/** A column of a raw keyset list: its name among the rows' columns, and the kind of its values. */
export interface KeysetColumn {
  readonly column: string;
  readonly kind: KeyKind;
}

/** A statement of the `?` dialect with its parameters. */
export interface SqlStatement {
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

/** What `readKeysetPage` pages: a raw SQL list read through a portal reader (`PortalReads`). */
export interface RawKeysetList {
  /** Every row the filters select, without ORDER BY or LIMIT; read as a sub-query `c`. */
  readonly rows: SqlStatement;
  /** The same rows for counting, as cheap as may be (no join that does not filter). */
  readonly count: SqlStatement;
  /** Sort keys a client may use (the first is the default): never-NULL columns of `rows`. */
  readonly sortable: Readonly<Record<string, KeysetColumn>>;
  /** A unique column of `rows`, ending the order in the sort's direction. */
  readonly id: KeysetColumn;
  /**
   * `keyset`: cursors hold the sort value and `id` of a row. `position`: they hold only the number of
   * rows before the page, which is read by offset — for a reader who may not see what `keyset` cursors
   * would carry; a keyset cursor (which anyone can forge) is then refused, as it would let the reader
   * probe values by where the page starts.
   */
  readonly cursors: 'keyset' | 'position';
}

/**
 * `findKeysetPage` for a raw SQL list: the same contract (`total` up to COUNT_LIMIT, `nextCursor` /
 * `prevCursor`, `page` by offset without a cursor), the order being (sort value, `id`), both in the
 * requested direction. Rows come back as read; the caller maps (and masks) them.
 */
export async function readKeysetPage<R extends object>(
  reader: Pick<SqlReader, 'all'>,
  list: RawKeysetList,
  params: PageQuery,
): Promise<Page<R>> {
  const keys = Object.keys(list.sortable);
  const sortKey = params.sort ?? keys[0] ?? '';
  const sort = Object.hasOwn(list.sortable, sortKey) ? list.sortable[sortKey] : undefined;
  if (sort === undefined) throw invalidSort(keys);
  const order = params.order ?? 'asc';
  const page = params.page ?? 1;
  const pageSize = params.pageSize ?? DEFAULT_PAGE_SIZE;

  const [counted] = await reader.all<{ n: string | number }>(
    `SELECT COUNT(*) AS "n" FROM (${list.count.sql} LIMIT ?) "counted"`,
    [...list.count.params, COUNT_LIMIT + 1],
  );
  const total = Number(counted?.n ?? 0);
  const counts = { total: Math.min(total, COUNT_LIMIT), totalExact: total <= COUNT_LIMIT, page, pageSize };
  const column = (key: KeysetColumn) => `c."${key.column}"`;
  const id = column(list.id);
  const sortsById = sort.column === list.id.column;

  if (list.cursors === 'position') {
    const cursor =
      params.cursor === undefined
        ? null
        : decodeCursor<PositionCursor>(params.cursor, sortKey, order, (c) => ofKind('integer', c['p']));
    const offset = cursor ? Math.max(0, cursor.p) : (page - 1) * pageSize;
    const direction = order === 'desc' ? 'DESC' : 'ASC';
    const orderBy = sortsById ? `${id} ${direction}` : `${column(sort)} ${direction}, ${id} ${direction}`;
    const rows = await reader.all<R>(
      `SELECT c.* FROM (${list.rows.sql}) c ORDER BY ${orderBy} LIMIT ? OFFSET ?`,
      [...list.rows.params, pageSize + 1, offset],
    );
    const at = (p: number) => encodeCursor({ s: sortKey, o: order, p });
    return {
      items: rows.slice(0, pageSize),
      ...counts,
      nextCursor: rows.length > pageSize ? at(offset + pageSize) : null,
      prevCursor: offset > 0 ? at(Math.max(0, offset - pageSize)) : null,
    };
  }

  const { cursor, backwards, descending } = keysetStart(
    params.cursor,
    sortKey,
    order,
    (c) => ofKind(sort.kind, c['v']) && ofKind(list.id.kind, c['i']),
  );
  const keyset: KeysetOrder = {
    keys: sortsById ? [] : [column(sort)],
    id,
    direction: descending ? 'DESC' : 'ASC',
  };
  let where = '1 = 1';
  let whereParams: SqlValue[] = [];
  if (cursor && sortsById) [where, whereParams] = keysetAfter(keyset, [cursor.i]);
  else if (cursor) {
    const [after, afterParams] = keysetAfter(keyset, [cursor.v, cursor.i]);
    // The sort value alone as well: a range on its index, which a row value may not open.
    where = `${column(sort)} ${descending ? '<=' : '>='} ? AND ${after}`;
    whereParams = [cursor.v, ...afterParams];
  }
  const orderBy = keysetOrderBy(keyset)
    .map(([term, dir]) => `${term} ${dir}`)
    .join(', ');
  const read = await reader.all<R>(
    `SELECT c.* FROM (${list.rows.sql}) c WHERE ${where} ORDER BY ${orderBy} LIMIT ? OFFSET ?`,
    [...list.rows.params, ...whereParams, pageSize + 1, cursor === null ? (page - 1) * pageSize : 0],
  );
  const more = read.length > pageSize;
  const rows = read.slice(0, pageSize);
  if (backwards) rows.reverse();
  const value = (key: KeysetColumn, row: R): string | number => {
    const cell = (row as Readonly<Record<string, unknown>>)[key.column];
    return key.kind === 'integer' ? Number(cell) : String(cell);
  };
  const cursorAt = (row: R | undefined, before: boolean) =>
    row === undefined
      ? null
      : encodeCursor({
          s: sortKey,
          o: order,
          v: value(sort, row),
          i: value(list.id, row),
          ...(before ? { b: 1 as const } : {}),
        });
  return {
    items: rows,
    ...counts,
    nextCursor: backwards || more ? cursorAt(rows.at(-1), false) : null,
    prevCursor: (backwards ? more : cursor !== null || page > 1) ? cursorAt(rows[0], true) : null,
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
