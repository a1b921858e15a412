import { ApiPropertyOptional } from './openapi';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { Page } from '@fabomatic/contracts';
import { IsIn, IsOptional } from 'class-validator';
import type { Response } from 'express';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { type CsvCell, cellColumns, csvFormat, csvText } from '../database/csv-records';
import type { TextFormat } from '../database/read-pool';
import type { SqlValue } from '../database/sql';
import { Metrics } from '../metrics/metrics';
import type { XlsxValue } from '../database/xlsx-records';
import { type XlsxBook, XlsxStream } from './xlsx-stream';

const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * Rows one export query reads: large enough that queries stay few, small enough that a chunk is
 * garbage before V8's young generation (capped at 4 MB a semi-space by bin/fabomatic.js) has
 * scavenged twice, so that it dies young instead of filling the old generation (RSS) with dead rows.
 */
const DEFAULT_EXPORT_CHUNK_ROWS = 500;

/** Injection token overriding {@link DEFAULT_EXPORT_CHUNK_ROWS} (tests use small chunks). */
export const EXPORT_CHUNK_ROWS = Symbol('EXPORT_CHUNK_ROWS');

/**
 * Data rows an XLSX sheet holds: Excel reads at most 1,048,576 rows a sheet, the header included.
 * An export with more continues on `<name> 2`, `<name> 3`…, each with the header row.
 */
const DEFAULT_EXPORT_SHEET_ROWS = 1_048_575;

/** Injection token overriding {@link DEFAULT_EXPORT_SHEET_ROWS} (tests use tiny sheets). */
export const EXPORT_SHEET_ROWS = Symbol('EXPORT_SHEET_ROWS');

/** `?format=csv|xlsx`, added to a list's query DTO by its export endpoint. */
export class ExportFormatDto {
  @ApiPropertyOptional({ enum: EXPORT_FORMATS, default: 'csv' })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format?: ExportFormat;
}

export interface ExportColumn<T> {
  readonly header: string;
  readonly value: (row: T) => string | number | boolean | Date | null | undefined;
  /**
   * The same field read by SQL and formatted beside the event loop (see {@link keysetText}): the long
   * history exports give one to every column.
   */
  readonly cell?: CsvCell;
}

/** An export's rows, a chunk at a time: read lazily, so an abandoned download stops the reads. */
export type ExportRows<T> = AsyncIterable<readonly T[]>;

type CellValue = XlsxValue;

/** What an export's records are made as: CSV, or rows of an XLSX book with sheets of `sheetRows`. */
export type RecordsTarget = { readonly kind: 'csv' } | { readonly kind: 'xlsx'; readonly sheetRows: number };

/**
 * An export's records made beside the event loop (see {@link keysetText}), as CSV records or XLSX
 * rows: chunks of text, each with the number of records it holds.
 */
export type ExportText = (target: RecordsTarget) => AsyncIterable<TextRecords>;

export interface TextRecords {
  /** CSV records, or XLSX rows (UTF-8 bytes when a reader thread made them). */
  readonly text: string | Uint8Array;
  readonly rows: number;
}

/** Where the chunks go: CSV or XLSX, written into the response as they come. */
interface ExportSink<C> {
  /**
   * Turns a chunk into the file's bytes and hands them to the response (XLSX: to the zip),
   * synchronously: once it returns, nothing refers to the chunk any more and it can die young.
   */
  write(chunk: C): void;
  /** Resolves once the response has taken what was written (or the client is gone). */
  drained(): Promise<void>;
  end(): Promise<void>;
  /** Releases what the sink holds (the XLSX zip's streams), whatever the outcome. */
  close?(): Promise<void>;
}

const logger = new Logger('Export');

/**
 * Streams exports: every row the filters select, in chunks, with the event loop free between chunks
 * (the boards are answered on it) and memory held to a chunk whatever the export's size. There is no
 * row cap: a cut file would look complete. A failure after the first byte destroys the response, so
 * the browser reports a failed download rather than saving a truncated file.
 */
@Injectable()
export class ExportStreams {
  readonly chunkRows: number;
  readonly sheetRows: number;

  constructor(
    private readonly metrics: Metrics,
    @Optional() @Inject(EXPORT_CHUNK_ROWS) chunkRows?: number,
    @Optional() @Inject(EXPORT_SHEET_ROWS) sheetRows?: number,
  ) {
    this.chunkRows = chunkRows ?? DEFAULT_EXPORT_CHUNK_ROWS;
    this.sheetRows = sheetRows ?? DEFAULT_EXPORT_SHEET_ROWS;
  }

  /**
   * Sends rows as a CSV or XLSX download. The columns are chosen by each list: never password hashes
   * or secrets. The first chunk is read before any header is sent, so a bad query is still an
   * ordinary error response. A download uses `text` when given: the same records made beside the
   * event loop (a reader thread), so that no row becomes an object on the loop that answers boards.
   */
  async send<T>(
    response: Response,
    format: ExportFormat,
    name: string,
    columns: readonly ExportColumn<T>[],
    rows: ExportRows<T>,
    text?: ExportText,
  ): Promise<void> {
    const book: XlsxBook = {
      name,
      columns: columns.map((c) => ({ header: c.header, width: Math.max(12, c.header.length + 2) })),
      sheetRows: this.sheetRows,
    };
    if (text) {
      const target: RecordsTarget =
        format === 'csv' ? { kind: 'csv' } : { kind: 'xlsx', sheetRows: this.sheetRows };
      await this.stream(
        response,
        format,
        name,
        text(target),
        (client) =>
          format === 'csv'
            ? textSink(response, columns, client)
            : xlsxSink<TextRecords>(response, book, client, (xlsx, chunk) =>
                xlsx.writeXml(chunk.text, chunk.rows),
              ),
        (c) => c.rows,
      );
      return;
    }
    await this.stream(
      response,
      format,
      name,
      rows,
      (client) =>
        format === 'csv'
          ? csvSink(response, columns, client)
          : xlsxSink<readonly T[]>(response, book, client, (xlsx, chunk) =>
              xlsx.writeValues(chunk.map((row) => cells(columns, row))),
            ),
      (c) => c.length,
    );
  }

  private async stream<C>(
    response: Response,
    format: ExportFormat,
    name: string,
    chunks: AsyncIterable<C>,
    sinkFor: (client: ClientWatch) => ExportSink<C>,
    count: (chunk: C) => number,
  ): Promise<void> {
    const iterator = chunks[Symbol.asyncIterator]();
    const first = await iterator.next();
    // The chunk in hand; dropped as soon as it is written, so only one chunk is ever alive.
    let chunk: C | null = first.done ? null : first.value;
    const client = watchClient(response);
    const stamp = new Date().toISOString().slice(0, 10);
    let outcome: 'complete' | 'aborted' | 'failed' = 'complete';
    let sink: ExportSink<C> | null = null;
    try {
      response
        .status(200)
        .set('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE)
        .set('content-disposition', `attachment; filename="${name}-${stamp}.${format}"`)
        // Proxies (nginx) must pass the chunks on as they come, or the portal sees no progress.
        .set('x-accel-buffering', 'no')
        .set('cache-control', 'no-store');
      sink = sinkFor(client);
      while (chunk !== null) {
        if (client.gone) break;
        this.metrics.exportRows.inc({ export: name }, count(chunk));
        sink.write(chunk);
        chunk = null;
        // Backpressure: the next chunk is read only once the client has taken this one.
        await sink.drained();
        if (client.gone) break;
        // Between chunks the board replies and other requests get their turn.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const next = await iterator.next();
        chunk = next.done ? null : next.value;
      }
      if (client.gone) {
        outcome = 'aborted';
        await iterator.return?.();
        return;
      }
      await sink.end();
    } catch (error) {
      outcome = client.gone ? 'aborted' : 'failed';
      await iterator.return?.().catch(() => undefined);
      if (!response.headersSent) {
        // Not a download after all: the error response must not be saved as the file.
        for (const header of ['content-type', 'content-disposition', 'x-accel-buffering'])
          response.removeHeader(header);
        throw error;
      }
      if (outcome === 'failed') logger.error(`export ${name} failed mid-stream: ${String(error)}`);
      // Without the final chunk the client sees a failed download, never a short file.
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    } finally {
      await sink?.close?.().catch(() => undefined);
      client.dispose();
      this.metrics.exports.inc({ export: name, outcome });
    }
  }
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface ClientWatch {
  readonly gone: boolean;
  /** Resolves when the client has disconnected. */
  readonly closed: Promise<void>;
  dispose(): void;
}

/** Notices a client that went away before the export's end (closed tab, cancelled download). */
function watchClient(response: Response): ClientWatch {
  let gone = response.destroyed;
  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  if (gone) resolveClosed();
  const onClose = () => {
    if (response.writableFinished) return;
    gone = true;
    resolveClosed();
  };
  // Writes racing a disconnect fail; the close is what we act on.
  const onError = () => onClose();
  response.on('close', onClose);
  response.on('error', onError);
  return {
    get gone() {
      return gone;
    },
    closed,
    dispose() {
      response.off('close', onClose);
      // A late write error (the socket just closed) must not become an unhandled 'error' event.
      response.off('error', onError);
      response.on('error', () => undefined);
    },
  };
}

/** Waits until `stream` wants more data, or the client is gone. */
async function drained(stream: Writable, client: ClientWatch): Promise<void> {
  if (!stream.writableNeedDrain || client.gone) return;
  await Promise.race([new Promise<void>((resolve) => stream.once('drain', () => resolve())), client.closed]);
}

const cells = <T>(columns: readonly ExportColumn<T>[], row: T): CellValue[] =>
  columns.map((c) => c.value(row) ?? null);

/**
 * One CSV field, as csv-stringify writes it with the options exports use (RFC 4180 quoting, dates
 * as ISO 8601, booleans as true/false, null as empty, `escape_formulas`): csv-stringify allocated a
 * few objects per field, which at tens of thousands of rows a second filled V8's old generation.
 */
export function csvField(value: CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return csvText(value);
  // Dates, booleans and numbers never hold a quote, a comma or a line break: never quoted.
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
}

/** Rows as CSV records, each ended by a line feed, without an array per row. */
export function csvRecords<T>(columns: readonly ExportColumn<T>[], rows: readonly T[]): string {
  let out = '';
  for (const row of rows) {
    for (let i = 0; i < columns.length; i++)
      out += (i === 0 ? '' : ',') + csvField(columns[i]?.value(row) ?? null);
    out += '\n';
  }
  return out;
}

/** The CSV header record, after the BOM that tells Excel the file is UTF-8 (accented names). */
function csvHeader<T>(columns: readonly ExportColumn<T>[]): string {
  const header = columns
    .map((c) => c.header)
    .map(csvField)
    .join(',');
  return `\uFEFF${header}\n`;
}

/** The end of a download: resolves once the response has flushed, fails if the client left. */
async function endResponse(response: Response, client: ClientWatch): Promise<void> {
  const finished = new Promise<void>((resolve, reject) => {
    response.once('finish', () => resolve());
    void client.closed.then(() => reject(new Error('client disconnected')));
  });
  response.end();
  await finished;
}

function csvSink<T>(
  response: Response,
  columns: readonly ExportColumn<T>[],
  client: ClientWatch,
): ExportSink<readonly T[]> {
  // One string a chunk, built at once: nothing of the chunk outlives the call.
  response.write(csvHeader(columns));
  return {
    write(rows) {
      response.write(csvRecords(columns, rows));
    },
    drained: () => drained(response, client),
    end: () => endResponse(response, client),
  };
}

/**
 * Gives back the memory of a chunk a reader thread made (bytes transferred to this thread, which owns
 * them alone) once the socket has written them: detaching its buffer frees it now. Left to the
 * garbage collector, a chunk that a scavenge finds still in flight is promoted and its bytes wait for
 * a full GC, which V8 starts on such outside-the-heap memory only after ~64 MB of it (2,000 chunks of
 * 50 KB, 50 alive at a time, left 35 MB waiting; detached, none).
 */
function releaseBytes(bytes: Uint8Array): void {
  const buffer = bytes.buffer as ArrayBuffer & { transfer?: (length: number) => ArrayBuffer };
  if (bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength) buffer.transfer?.(0);
}

/** CSV whose records the database made: the bytes go to the response as they are. */
function textSink<T>(
  response: Response,
  columns: readonly ExportColumn<T>[],
  client: ClientWatch,
): ExportSink<TextRecords> {
  response.write(csvHeader(columns));
  return {
    write(chunk) {
      const text = chunk.text;
      if (typeof text === 'string') response.write(text);
      else response.write(text, () => releaseBytes(text));
    },
    drained: () => drained(response, client),
    end: () => endResponse(response, client),
  };
}

/**
 * XLSX made on the event loop ({@link XlsxStream}): each chunk's rows become sheet XML in the zip,
 * whose bytes are piped into the response; the zip's deflate runs in libuv's thread pool. The next
 * chunk is read once the zip and the client have taken this one, so a chunk or two is all it holds.
 */
function xlsxSink<C>(
  response: Response,
  book: XlsxBook,
  client: ClientWatch,
  write: (xlsx: XlsxStream, chunk: C) => void,
): ExportSink<C> {
  const xlsx = new XlsxStream(book);
  const output = xlsx.output;
  const zipped = once(output, 'end');
  // Raced by the waits below; a rejection nobody awaits (a destroyed download) is not an error.
  zipped.catch(() => undefined);
  output.pipe(response, { end: false });
  const gone = client.closed.then(() => Promise.reject(new Error('client disconnected')));
  gone.catch(() => undefined);
  return {
    write(chunk) {
      write(xlsx, chunk);
    },
    async drained() {
      await Promise.race([xlsx.drained(), client.closed]);
      await drained(response, client);
    },
    async end() {
      xlsx.end();
      await Promise.race([zipped, gone]);
      await endResponse(response, client);
    },
    close() {
      output.unpipe(response);
      xlsx.destroy();
      return Promise.resolve();
    },
  };
}

/** A sort key of a keyset: an SQL expression; nullable ones sort as the lowest values. */
export type SortKey = string | { readonly sql: string; readonly nullable: true };

/** The order an export reads in: sort keys, then a unique column breaking ties, one direction. */
export interface KeysetOrder {
  readonly keys: readonly SortKey[];
  /** A unique column (the primary key) ending the order. */
  readonly id: string;
  readonly direction: 'ASC' | 'DESC';
}

const sqlOf = (key: SortKey) => (typeof key === 'string' ? key : key.sql);
const isNullable = (key: SortKey) => typeof key !== 'string';

/** The ORDER BY terms of a keyset order: nulls first ascending, last descending, on every driver. */
export function keysetOrderBy(order: KeysetOrder): [string, 'ASC' | 'DESC'][] {
  const terms: [string, 'ASC' | 'DESC'][] = [];
  for (const key of order.keys) {
    if (isNullable(key)) terms.push([`(CASE WHEN ${sqlOf(key)} IS NULL THEN 0 ELSE 1 END)`, order.direction]);
    terms.push([sqlOf(key), order.direction]);
  }
  terms.push([order.id, order.direction]);
  return terms;
}

/**
 * The condition selecting the rows after `last` (the sort keys' values then the id of the last row
 * read), with `?` placeholders. Keys that cannot be null use a row-value comparison, which both
 * SQLite and PostgreSQL answer from an index.
 */
export function keysetAfter(order: KeysetOrder, last: readonly SqlValue[]): [string, SqlValue[]] {
  const columns = [...order.keys.map(sqlOf), order.id];
  const op = order.direction === 'ASC' ? '>' : '<';
  if (!order.keys.some(isNullable)) {
    return [`(${columns.join(', ')}) ${op} (${columns.map(() => '?').join(', ')})`, [...last]];
  }
  // Lexicographic: the first differing key decides; a NULL is below every value.
  const alternatives: string[] = [];
  const params: SqlValue[] = [];
  const equalSoFar: string[] = [];
  const equalParams: SqlValue[] = [];
  columns.forEach((sql, i) => {
    const value = last[i] ?? null;
    let beyond: string;
    const beyondParams: SqlValue[] = [];
    if (value === null) beyond = order.direction === 'ASC' ? `${sql} IS NOT NULL` : '1 = 0';
    else {
      beyond = order.direction === 'ASC' ? `${sql} > ?` : `(${sql} < ? OR ${sql} IS NULL)`;
      beyondParams.push(value);
    }
    alternatives.push(equalSoFar.length ? `(${[...equalSoFar, beyond].join(' AND ')})` : `(${beyond})`);
    params.push(...equalParams, ...beyondParams);
    if (value === null) equalSoFar.push(`${sql} IS NULL`);
    else {
      equalSoFar.push(`${sql} = ?`);
      equalParams.push(value);
    }
  });
  return [`(${alternatives.join(' OR ')})`, params];
}

/** Reads chunks by keyset until a short one: `fetch` gets the last row's cursor (null at first). */
export async function* keysetChunks<R>(
  fetch: (after: readonly SqlValue[] | null, limit: number) => Promise<readonly R[]>,
  cursor: (row: R) => readonly SqlValue[],
  chunkRows: number,
): AsyncGenerator<readonly R[]> {
  let after: readonly SqlValue[] | null = null;
  for (;;) {
    const rows = await fetch(after, chunkRows);
    if (rows.length > 0) yield rows;
    const last = rows.at(-1);
    if (rows.length < chunkRows || last === undefined) return;
    after = cursor(last);
  }
}

/**
 * Rewrites `?` placeholders to TypeORM's named parameters. Integers go as `bigint`: TypeORM writes a
 * JavaScript number into SQLite's SQL text, so every chunk of an export was a statement of its own,
 * prepared afresh; the thousands of them lived on in the reader thread until its next full GC (54 MB
 * of SQLite statements during a 2.7-million-row export). Bound, the chunks share one statement.
 */
function named(sql: string, params: readonly SqlValue[]): [string, Record<string, SqlValue | bigint>] {
  const values: Record<string, SqlValue | bigint> = {};
  let n = 0;
  const text = sql.replace(/\?/g, () => {
    const key = `keyset${n}`;
    const value = params[n++] ?? null;
    values[key] = typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : value;
    return `:${key}`;
  });
  return [text, values];
}

/** A {@link keysetQuery} reader for exports of raw rows: the rows exported are the rows read. */
export async function rawRows<R extends Record<string, unknown>>(
  query: SelectQueryBuilder<ObjectLiteral>,
): Promise<{ raw: readonly R[]; rows: readonly R[] }> {
  const raw = await query.getRawMany<R>();
  return { raw, rows: raw };
}

/**
 * A query builder's rows by keyset, a chunk at a time. `build` returns the filtered query afresh
 * for each chunk; `read` runs it (raw rows, or entities with `getRawAndEntities`) and returns the
 * raw rows, which carry the cursor, beside the rows to export.
 */
export function keysetQuery<E extends ObjectLiteral, R>(
  build: () => SelectQueryBuilder<E>,
  order: KeysetOrder,
  chunkRows: number,
  read: (
    query: SelectQueryBuilder<E>,
  ) => Promise<{ raw: readonly Record<string, unknown>[]; rows: readonly R[] }>,
): ExportRows<R> {
  const cursorColumns = [...order.keys.map(sqlOf), order.id];
  return (async function* () {
    let after: readonly SqlValue[] | null = null;
    for (;;) {
      const query = build();
      // Parenthesised: a bare `alias.column` would take that column away from the entities.
      cursorColumns.forEach((sql, i) => query.addSelect(`(${sql})`, `keyset_${i}`));
      if (after) query.andWhere(...named(...keysetAfter(order, after)));
      keysetOrderBy(order).forEach(([sql, direction], i) =>
        i === 0 ? query.orderBy(sql, direction) : query.addOrderBy(sql, direction),
      );
      let chunk: { raw: readonly Record<string, unknown>[]; rows: readonly R[] } | null = await read(
        query.limit(chunkRows),
      );
      const last = chunk.raw.at(-1);
      const more = chunk.raw.length >= chunkRows && last !== undefined;
      if (last) after = cursorColumns.map((_, i) => last[`keyset_${i}`] as SqlValue);
      if (chunk.rows.length > 0) yield chunk.rows;
      // Dropped before the next read: a chunk still referenced while the next one is read lives
      // through young-generation GCs and is promoted, growing the old generation (RSS) with dead rows.
      // eslint-disable-next-line no-useless-assignment -- the assignment is the point
      chunk = null;
      if (!more) return;
    }
  })();
}

/** Reads chunks of records, CSV or XLSX rows (PortalReads): see its `textChunk`. */
export interface TextChunkReader {
  /** `options.barrier: false`: an export's later chunk, which need not wait for the read barriers. */
  textChunk(
    sql: string,
    params: readonly unknown[],
    format: TextFormat,
    options?: { readonly barrier?: boolean },
  ): Promise<{
    readonly text: string | Uint8Array;
    readonly rows: number;
    readonly last: readonly SqlValue[] | null;
  }>;
}

/**
 * A query builder's rows as records made beside the event loop (the columns' cells, see
 * csv-records.ts and xlsx-records.ts), by keyset, a chunk at a time: the event loop receives one
 * string of CSV records or XLSX rows per chunk, never a row. `build` returns the filtered query
 * afresh for each chunk; its selection is replaced by the cells' columns, then the cursor. The
 * reader threads format them (SQLite and PostgreSQL alike).
 */
export function keysetText<E extends ObjectLiteral, T>(
  build: () => SelectQueryBuilder<E>,
  order: KeysetOrder,
  chunkRows: number,
  columns: readonly ExportColumn<T>[],
  reader: TextChunkReader,
): ExportText {
  const cells = columns.map((column) => {
    if (!column.cell) throw new Error(`export column ${column.header} has no CSV cell`);
    return column.cell;
  });
  const cursorColumns = [...order.keys.map(sqlOf), order.id];
  const selected = cellColumns(cells);
  const format = csvFormat(cells);
  return (target) =>
    (async function* () {
      let after: readonly SqlValue[] | null = null;
      // XLSX rows are numbered in their sheet: each chunk is told where its first row goes.
      let firstRow = 0;
      for (;;) {
        const query = build();
        // Parenthesised, like the cursor: TypeORM moves a bare `alias.column` to the front of the list.
        selected.forEach((sql, i) =>
          i === 0 ? query.select(`(${sql})`, `f${i}`) : query.addSelect(`(${sql})`, `f${i}`),
        );
        cursorColumns.forEach((sql, i) => query.addSelect(`(${sql})`, `c${i}`));
        if (after) query.andWhere(...named(...keysetAfter(order, after)));
        keysetOrderBy(order).forEach(([sql, direction], i) =>
          i === 0 ? query.orderBy(sql, direction) : query.addOrderBy(sql, direction),
        );
        const [sql, params] = query.limit(chunkRows).getQueryAndParameters();
        const records: TextFormat =
          target.kind === 'xlsx'
            ? { format, columns: selected.length, xlsx: { firstRow, sheetRows: target.sheetRows } }
            : { format, columns: selected.length };
        // The export holds what was acknowledged when it began (the read barriers, ADR 0010): its later
        // chunks do not wait for the access events' inbox again.
        const chunk = await reader.textChunk(sql, params, records, { barrier: after === null });
        firstRow += chunk.rows;
        if (chunk.rows > 0) yield { text: chunk.text, rows: chunk.rows };
        if (chunk.rows < chunkRows || !chunk.last) return;
        after = chunk.last;
      }
    })();
}

/**
 * The rows of a small list (machines, roles…) through its own paging, page after page until the
 * last. For tables bounded by the lab's size; history tables read by keyset instead.
 */
export async function* pagedChunks<T>(
  fetch: (page: number) => Promise<Page<T>>,
): AsyncGenerator<readonly T[]> {
  for (let page = 1; ; page++) {
    const { items, pageSize } = await fetch(page);
    if (items.length > 0) yield items;
    if (items.length < pageSize) return;
  }
}

/** Maps each chunk of an export's rows (names looked up per chunk, DTOs built). */
export async function* mapChunks<A, B>(
  rows: ExportRows<A>,
  map: (chunk: readonly A[]) => Promise<readonly B[]> | readonly B[],
): AsyncGenerator<readonly B[]> {
  for await (const chunk of rows) yield await map(chunk);
}
