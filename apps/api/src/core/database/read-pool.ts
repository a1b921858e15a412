import { Worker } from 'node:worker_threads';
import { ROWS_TEXT_PARSER_SOURCE } from './rows-text';
import type { SqlValue } from './sql';
import { RECORDS_FORMATTER_SOURCE, type RecordsFormat } from './xlsx-records';

/**
 * The reader threads' niceness (0 normal, 19 lowest): a portal read yields the CPU to the boards.
 */
export const READER_NICENESS = 10;

/**
 * A reader connection's page cache, KiB. better-sqlite3 builds SQLite with a 16 MB default: an export
 * scanning millions of rows filled it, and the reader thread's memory grew by ~20 MB for pages that
 * one pass never reads again (the OS file cache keeps them anyway). Measured on the 10-year lab:
 * the thread's malloc arena 23 MB with the default, 4 MB with this (docs/performance.md).
 */
const READER_CACHE_KIB = 2048;

/**
 * How a reader thread posts a chunk of records (once `parentPort` is in scope): CSV records and XLSX
 * rows as UTF-8 bytes moved without a copy. As a string, a chunk was copied into the event loop's
 * heap (into its large-object space when big, which only a full GC frees), then encoded again there
 * to be written to the socket.
 */
const TEXT_POSTER_SOURCE = `
const encoder = new TextEncoder();
function postText(message, text, rows, last) {
  const bytes = encoder.encode(text);
  parentPort.postMessage({ id: message.id, text: { text: bytes, rows, last } }, [bytes.buffer]);
}`;

/**
 * The body of a reader thread on a SQLite file, plain JavaScript evaluated by `new Worker(code, {
 * eval: true })`: the same text runs under Jest (sources) and in the built app (dist/), with no file
 * to locate. It opens the database read-only (WAL lets it read beside the writer) and answers `{ id,
 * sql, params, mode }` with the rows, or with the error. A statement that is not a read is refused
 * before it runs.
 */
const SQLITE_READER_BODY = `
${RECORDS_FORMATTER_SOURCE}
${ROWS_TEXT_PARSER_SOURCE}
const { parentPort, workerData } = require('node:worker_threads');
${TEXT_POSTER_SOURCE}
// Niceness is per thread on Linux: on a busy box the boards' event loop wins the CPU over a report.
try { require('node:os').setPriority(workerData.niceness); } catch {}
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = ' + Number(workerData.busyTimeoutMs));
db.pragma('cache_size = -' + Number(workerData.cacheKib));
const statements = new Map();
const bound = (p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p instanceof Uint8Array ? Buffer.from(p) : p);
// The WAL checkpoints of wal-checkpointer.ts, when this thread is running anyway: a connection of
// their own (the reads' is read-only), opened on the first one, which runs nothing else.
let checkpointer = null;
function checkpoint(message) {
  if (!checkpointer) {
    checkpointer = new Database(workerData.file, { fileMustExist: true });
    checkpointer.pragma('busy_timeout = ' + Number(workerData.busyTimeoutMs));
  }
  checkpointer.pragma('synchronous = ' + Number(message.params[0]));
  const [result] = checkpointer.pragma('wal_checkpoint(PASSIVE)');
  parentPort.postMessage({ id: message.id, rows: [{ frames: result ? Number(result.log) : 0 }] });
}
// A read of numbers as one text value that SQLite builds, in parseRowsText's form ((1,2,);(3,4,5)):
// 100,000 rows as arrays cost a 10-year report ~85 ms and ~40 ms of GC here, the text a fraction.
// Null when its columns cannot be named apart (the array path reads it then).
const packedStatements = new Map();
function packedStatement(sql, statement) {
  if (packedStatements.has(sql)) return packedStatements.get(sql);
  const names = statement.columns().map((column) => column.name);
  let packed = null;
  if (names.length > 0 && new Set(names).size === names.length) {
    const fields = names.map((name) => "ifnull(" + '"' + name.replace(/"/g, '""') + '"' + ", '')").join(" || ',' || ");
    packed = db.prepare("SELECT group_concat('(' || " + fields + " || ')', ';') AS \\"rows\\" FROM (" + sql + ")");
  }
  if (packedStatements.size >= 50) packedStatements.delete(packedStatements.keys().next().value);
  packedStatements.set(sql, packed);
  return packed;
}
parentPort.on('message', (message) => {
  try {
    if (message.mode === 'checkpoint') return checkpoint(message);
    let statement = statements.get(message.sql);
    if (!statement) {
      statement = db.prepare(message.sql);
      if (statements.size >= 200) statements.delete(statements.keys().next().value);
      statements.set(message.sql, statement);
    }
    if (!statement.reader) throw Object.assign(new Error('a portal read may only run a query that returns rows'), { code: 'NOT_A_READ' });
    const params = message.params.map(bound);
    statement.raw(message.mode === 'numbers' || message.mode === 'text');
    if (message.mode === 'text') {
      // Rows of cell columns then cursor columns: formatted here into CSV records or XLSX rows, one string for the
      // chunk, so that the event loop receives no row at all.
      const rows = statement.all(...params);
      const text = formatRecords(message.text, rows);
      const last = rows.length > 0 ? rows[rows.length - 1].slice(message.text.columns) : null;
      postText(message, text, rows.length, last);
      return;
    }
    if (message.mode === 'numbers') {
      // Numbers only, packed row after row into one buffer that moves to the caller without a copy.
      const packed = packedStatement(message.sql, statement);
      if (packed) {
        const table = parseRowsText(packed.get(...params).rows);
        parentPort.postMessage({ id: message.id, table }, [table.values.buffer]);
        return;
      }
      const columns = statement.columns().length;
      const rows = statement.all(...params);
      const values = new Float64Array(rows.length * columns);
      let i = 0;
      for (const row of rows) for (const value of row) values[i++] = Number(value);
      parentPort.postMessage({ id: message.id, table: { columns, values } }, [values.buffer]);
      return;
    }
    const rows = message.mode === 'first' ? [statement.get(...params)].filter((row) => row !== undefined) : statement.all(...params);
    parentPort.postMessage({ id: message.id, rows });
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: { message: String((error && error.message) || error), code: error && error.code } });
  }
});
`;

/**
 * The body of a reader thread on PostgreSQL: one connection of its own, whose transactions are
 * read-only, answering the same messages. The driver is asynchronous, but it parses every row on
 * the thread that awaits it: a 10-year export's 8 million rows, parsed and formatted on the event
 * loop, kept the boards' replies waiting behind each chunk (docs/performance.md). Here they are
 * parsed and formatted at the reader's niceness, and the event loop receives one string a chunk.
 */
const POSTGRES_READER_BODY = `
${RECORDS_FORMATTER_SOURCE}
${ROWS_TEXT_PARSER_SOURCE}
const { parentPort, workerData } = require('node:worker_threads');
${TEXT_POSTER_SOURCE}
try { require('node:os').setPriority(workerData.niceness); } catch {}
const { Client } = require(workerData.driver);
const client = new Client({
  connectionString: workerData.url,
  application_name: 'fabomatic-reader',
  // The reader may only read, whatever SQL reaches it.
  options: '-c default_transaction_read_only=on',
});
// A connection that fails or drops ends the thread: its read fails and the next one starts afresh.
client.on('error', () => process.exit(1));
const connected = client.connect();
const queue = [];
let running = false;
parentPort.on('message', (message) => {
  queue.push(message);
  if (!running) void drain();
});
async function drain() {
  running = true;
  while (queue.length > 0) await answer(queue.shift());
  running = false;
}
// Each numbers statement's packed form: its columns joined by concat(), learnt once from a LIMIT 0
// run. PostgreSQL wrote a 10-year report's 104,400 rows as text 20 – 35 ms faster this way than by
// casting each row (t::text); same text, NULL as an empty field. Columns sharing a name keep the cast.
const packedQueries = new Map();
async function packedQuery(sql, params) {
  let packed = packedQueries.get(sql);
  if (packed === undefined) {
    const described = await client.query({ text: 'SELECT * FROM (' + sql + ') t LIMIT 0', values: params });
    const names = described.fields.map((field) => field.name);
    const fields = names.map((name) => 't."' + name.replace(/"/g, '""') + '"').join(", ',', ");
    packed = names.length > 0 && new Set(names).size === names.length
      ? "SELECT string_agg(concat('(', " + fields + ", ')'), ';') AS \\"rows\\" FROM (" + sql + ") t"
      : "SELECT string_agg(t::text, ';') AS \\"rows\\" FROM (" + sql + ") t";
    if (packedQueries.size >= 50) packedQueries.delete(packedQueries.keys().next().value);
    packedQueries.set(sql, packed);
  }
  return packed;
}
async function answer(message) {
  try {
    await connected;
    if (message.mode === 'numbers') {
      // The statement reads the rows as one text value (rows-text.ts), parsed here: the driver's
      // parse of 100,000 rows cost 4 to 10 times more.
      const packed = await client.query({ text: await packedQuery(message.sql, message.params), values: message.params });
      const table = parseRowsText(packed.rows.length > 0 ? packed.rows[0].rows : null);
      parentPort.postMessage({ id: message.id, table }, [table.values.buffer]);
      return;
    }
    const raw = message.mode === 'text';
    const result = await client.query({ text: message.sql, values: message.params, rowMode: raw ? 'array' : undefined });
    if (result.command !== 'SELECT' && result.command !== 'WITH')
      throw Object.assign(new Error('a portal read may only run a query that returns rows'), { code: 'NOT_A_READ' });
    const rows = result.rows;
    if (message.mode === 'text') {
      const text = formatRecords(message.text, rows);
      const last = rows.length > 0 ? rows[rows.length - 1].slice(message.text.columns) : null;
      postText(message, text, rows.length, last);
      return;
    }
    parentPort.postMessage({ id: message.id, rows: message.mode === 'first' ? rows.slice(0, 1) : rows });
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: { message: String((error && error.message) || error), code: error && error.code } });
  }
}
`;

/** What the reader threads read: a SQLite file, or a PostgreSQL database. */
export type ReadSource =
  /** The SQLite file (never `:memory:`: a thread cannot see another connection's memory database). */
  | { readonly file: string; readonly postgresUrl?: undefined }
  /** A PostgreSQL connection URL; each thread holds one connection while it runs. */
  | { readonly postgresUrl: string; readonly file?: undefined };

export type ReadPoolOptions = ReadSource & {
  /** Most reader threads at once; reads beyond wait for a free one. */
  readonly size: number;
  /** Threads are stopped after this long without a read (each costs memory). */
  readonly idleMs: number;
  readonly busyTimeoutMs?: number;
};

/**
 * The rows of a read whose columns are all numbers, packed row after row: row r's column c is
 * `values[r * columns + c]` (SQL NULL reads 0). A large report moves from a reader thread in one
 * transferred buffer instead of being copied object by object on the event loop.
 */
export interface NumberTable {
  readonly columns: number;
  readonly values: Float64Array;
}

/** Packs rows already read (PostgreSQL, the in-memory connection) as a {@link NumberTable}. */
export function numberTable(rows: readonly object[]): NumberTable {
  const first = rows[0];
  const columns = first === undefined ? 0 : Object.keys(first).length;
  const values = new Float64Array(rows.length * columns);
  let i = 0;
  for (const row of rows) for (const value of Object.values(row)) values[i++] = Number(value);
  return { columns, values };
}

/** How a reader thread answers a statement. */
type ReadMode = 'rows' | 'first' | 'numbers' | 'text' | 'checkpoint';

/** A chunk of CSV records: their text, how many, and the last row's cursor values. */
export interface TextChunk {
  /** CSV records or XLSX rows: UTF-8 bytes when made in a reader thread, text when made here. */
  readonly text: string | Uint8Array;
  readonly rows: number;
  readonly last: readonly SqlValue[] | null;
}

/** How a read's rows become records (CSV, or XLSX rows): see {@link RecordsFormat}. */
export type TextFormat = RecordsFormat;

interface Task {
  readonly id: number;
  readonly sql: string;
  readonly params: readonly unknown[];
  readonly mode: ReadMode;
  readonly text?: TextFormat;
  readonly resolve: (rows: unknown) => void;
  readonly reject: (error: Error) => void;
}

interface Reader {
  readonly worker: Worker;
  task: Task | null;
  failure: Error | null;
}

type Answer =
  | { id: number; rows: unknown[] }
  | { id: number; table: NumberTable }
  | { id: number; text: TextChunk }
  | { id: number; error: { message: string; code?: string } };

/** A read that failed in a reader thread: the SQLite message and code, as the main connection gives. */
export class ReadFailedError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'ReadFailedError';
  }
}

/**
 * Read-only connections in worker threads (better-sqlite3 on a SQLite file, `pg` on PostgreSQL), so
 * that a long portal read runs beside the event loop that answers the boards instead of on it. Threads start on demand, up to `size`, each
 * running one statement at a time; a thread that dies fails its read (never leaves it hanging) and
 * is replaced by the next read; all stop after `idleMs` without reads and on `close()`.
 */
export class ReadPool {
  private readonly readers: Reader[] = [];
  private readonly waiting: Task[] = [];
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly options: ReadPoolOptions) {}

  /** Threads running now (started and not yet stopped). */
  get threads(): number {
    return this.readers.length;
  }

  all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.query(sql, params) as Promise<T[]>;
  }

  async get<T>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    const [row] = await this.query(sql, params, true);
    return row as T | undefined;
  }

  /**
   * Starts a thread if none is running, so that the next read does not wait for one to start (on
   * PostgreSQL a thread's start, `pg` loaded and connected, is most of a first report's time on a
   * busy machine), and counts the idle period from now, as a read would. A closed pool starts nothing.
   */
  warm(): void {
    if (this.closed) return;
    if (this.readers.length > 0) {
      this.idleTimer?.refresh();
      return;
    }
    this.start()?.worker.unref();
    this.scheduleIdleStop();
  }

  /** A read whose columns are all numbers, as one packed {@link NumberTable}. */
  numbers(sql: string, params: readonly SqlValue[] = []): Promise<NumberTable> {
    return this.enqueue(sql, params, 'numbers') as Promise<NumberTable>;
  }

  /** A read of cell columns then cursor columns, as CSV records in one {@link TextChunk}. */
  text(sql: string, params: readonly unknown[], format: TextFormat): Promise<TextChunk> {
    return this.enqueue(sql, params, 'text', format) as Promise<TextChunk>;
  }

  /**
   * A PASSIVE WAL checkpoint (`synchronous`: the writer's level, which the checkpoint's syncs follow)
   * in a reader thread that is running already, so that the checkpoints of wal-checkpointer.ts start
   * no thread of their own while the portal reads (a thread costs ~15 MB of RSS while it runs, and
   * its start showed as a bump in every long export). Answers the WAL frames, or null when no thread
   * is running (SQLite files only). It does not keep the threads from stopping idle: their idle time
   * counts from the last read.
   */
  checkpoint(synchronous: number): Promise<number> | null {
    if (this.closed || this.readers.length === 0 || this.options.file === undefined) return null;
    return new Promise<unknown>((resolve, reject) => {
      this.waiting.push({
        id: this.nextId++,
        sql: '',
        params: [synchronous],
        mode: 'checkpoint',
        resolve,
        reject,
      });
      this.dispatch();
    }).then((rows) => Number((rows as { frames: number }[])[0]?.frames ?? 0));
  }

  /**
   * Rows of one statement (only the first with `first`); params as TypeORM or the SQL port give them
   * (booleans become 0/1).
   */
  query(sql: string, params: readonly unknown[] = [], first = false): Promise<unknown[]> {
    return this.enqueue(sql, params, first ? 'first' : 'rows') as Promise<unknown[]>;
  }

  private enqueue(
    sql: string,
    params: readonly unknown[],
    mode: ReadMode,
    text?: TextFormat,
  ): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('the read pool is closed'));
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    return new Promise<unknown>((resolve, reject) => {
      this.waiting.push({ id: this.nextId++, sql, params, mode, text, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops every thread; reads still waiting are refused. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    for (const task of this.waiting.splice(0)) task.reject(new Error('the read pool is closed'));
    await this.stopAll();
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      const head = this.waiting[0];
      let reader = this.readers.find((r) => r.task === null) ?? null;
      if (!reader && head.mode === 'checkpoint') {
        // A checkpoint never starts a thread: it waits for a running one, or goes back to its caller.
        if (this.readers.length > 0) return;
        this.waiting.shift();
        head.reject(new Error('no reader thread is running'));
        continue;
      }
      reader ??= this.start();
      if (!reader) return;
      const task = this.waiting.shift() as Task;
      reader.task = task;
      reader.worker.ref();
      reader.worker.postMessage({
        id: task.id,
        sql: task.sql,
        params: task.params,
        mode: task.mode,
        text: task.text,
      });
    }
    if (this.readers.every((r) => r.task === null)) this.scheduleIdleStop();
  }

  private start(): Reader | null {
    if (this.closed || this.readers.length >= this.options.size) return null;
    const { postgresUrl, file } = this.options;
    const worker =
      postgresUrl === undefined
        ? new Worker(SQLITE_READER_BODY, {
            eval: true,
            workerData: {
              driver: require.resolve('better-sqlite3'),
              file,
              busyTimeoutMs: this.options.busyTimeoutMs ?? 5000,
              cacheKib: READER_CACHE_KIB,
              niceness: READER_NICENESS,
            },
          })
        : new Worker(POSTGRES_READER_BODY, {
            eval: true,
            workerData: { driver: require.resolve('pg'), url: postgresUrl, niceness: READER_NICENESS },
          });
    const reader: Reader = { worker, task: null, failure: null };
    worker.on('message', (answer: Answer) => {
      const task = reader.task;
      if (!task || task.id !== answer.id) return;
      reader.task = null;
      worker.unref();
      if ('rows' in answer) task.resolve(answer.rows);
      else if ('table' in answer) task.resolve(answer.table);
      else if ('text' in answer) task.resolve(answer.text);
      else task.reject(new ReadFailedError(answer.error.message, answer.error.code));
      this.dispatch();
    });
    worker.on('error', (error) => {
      reader.failure = error;
    });
    worker.on('exit', (code) => {
      const index = this.readers.indexOf(reader);
      if (index >= 0) this.readers.splice(index, 1);
      const task = reader.task;
      reader.task = null;
      task?.reject(reader.failure ?? new Error(`the reader thread stopped (exit code ${code})`));
      // The next waiting read starts a fresh thread in its place.
      if (!this.closed) this.dispatch();
    });
    this.readers.push(reader);
    return reader;
  }

  private scheduleIdleStop(): void {
    if (this.idleTimer || this.readers.length === 0 || this.closed) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.waiting.length === 0 && this.readers.every((r) => r.task === null)) void this.stopAll();
    }, this.options.idleMs);
    this.idleTimer.unref();
  }

  private async stopAll(): Promise<void> {
    // Out of the pool first: a read arriving while they stop starts a fresh thread.
    const stopping = this.readers.splice(0);
    await Promise.all(stopping.map((r) => r.worker.terminate()));
  }
}
