import { Worker } from 'node:worker_threads';
import { READER_NICENESS } from '../database/read-pool';

/** A cell as the writer thread receives it (structured clone keeps Dates as Dates). */
export type XlsxCell = string | number | boolean | Date | null;

/** What the writer thread makes: one sheet (more past `sheetRows`), a bold header row, widths. */
export interface XlsxBook {
  /** The first sheet's name; the next are `<name> 2`, `<name> 3`… */
  readonly name: string;
  readonly columns: readonly { readonly header: string; readonly width: number }[];
  /** Data rows a sheet holds before the next one starts (Excel's limit: 1,048,575 and the header). */
  readonly sheetRows: number;
}

/**
 * The body of an XLSX writer thread, plain JavaScript evaluated by `new Worker(code, { eval: true })`
 * like the reader threads' (read-pool.ts): the same text runs under Jest and in the built app. It
 * loads ExcelJS (never loaded on the event loop: its synchronous load alone stalled every board for
 * ~630 ms), holds the streaming WorkbookWriter, and posts the zip's bytes to the parent, one message
 * at a time: the next waits for the parent's `ack` (the response has taken them). `rows` is answered
 * with `taken` once ExcelJS and the zip have taken the rows; `end` with `done` once the last byte is
 * acknowledged.
 */
const XLSX_WRITER_BODY = `
const { parentPort, workerData } = require('node:worker_threads');
const { Writable } = require('node:stream');
// Niceness is per thread on Linux: on a busy box the boards' event loop wins the CPU over a report.
try { require('node:os').setPriority(workerData.niceness); } catch {}
const { stream } = require(workerData.exceljs);
let acknowledged = null;
function post(chunks, callback) {
  // A buffer of its own to transfer: the zip's chunks may be views of a shared pool.
  let size = 0;
  for (const chunk of chunks) size += chunk.length;
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) { bytes.set(chunk, at); at += chunk.length; }
  acknowledged = callback;
  parentPort.postMessage({ type: 'bytes', bytes: bytes.buffer }, [bytes.buffer]);
}
const out = new Writable({
  write(chunk, _encoding, callback) { post([chunk], callback); },
  writev(chunks, callback) { post(chunks.map((c) => c.chunk), callback); },
});
const needsDrain = (s) => s.writableNeedDrain ?? (s._writableState && s._writableState.needDrain) ?? false;
const drained = (s) => (s && needsDrain(s) ? new Promise((resolve) => s.once('drain', resolve)) : undefined);
const book = new stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
const { name, columns, sheetRows } = workerData.book;
let sheet = null;
let sheets = 0;
let rowsInSheet = 0;
function openSheet() {
  sheets += 1;
  const suffix = sheets === 1 ? '' : ' ' + sheets;
  // Excel refuses a sheet name longer than 31 characters.
  sheet = book.addWorksheet(name.slice(0, 31 - suffix.length) + suffix);
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  rowsInSheet = 0;
}
openSheet();
async function take(rows) {
  for (const row of rows) {
    if (rowsInSheet === sheetRows) {
      sheet.commit();
      openSheet();
    }
    sheet.addRow(row).commit();
    rowsInSheet += 1;
  }
  // ExcelJS writes into the zip without waiting: wait for the zip to take the rows (the sheet's
  // stream pipes into it) and for the parent to take the zip, so that at most a chunk is held.
  await drained(sheet.stream.pipes && sheet.stream.pipes[0]);
  await drained(out);
  parentPort.postMessage({ type: 'taken' });
}
async function finish() {
  sheet.commit();
  await book.commit();
  parentPort.postMessage({ type: 'done' });
}
let work = Promise.resolve();
parentPort.on('message', (message) => {
  if (message.type === 'ack') {
    const callback = acknowledged;
    acknowledged = null;
    if (callback) callback();
    return;
  }
  work = work
    .then(() => (message.type === 'rows' ? take(message.rows) : finish()))
    .catch((error) => parentPort.postMessage({ type: 'error', message: String((error && error.stack) || error) }));
});
`;

type WriterMessage =
  | { readonly type: 'bytes'; readonly bytes: ArrayBuffer }
  | { readonly type: 'taken' }
  | { readonly type: 'done' }
  | { readonly type: 'error'; readonly message: string };

/**
 * The thread's heap, whatever flags the process was started with: ExcelJS and a chunk in hand use
 * ~15 – 35 MB, but under V8's defaults (a process started without bin/fabomatic.js' flags, which
 * threads inherit) a 1 M-row export's heap reached 155 MB. A small young generation keeps it at
 * ~25 MB at the same speed; the old generation's cap only stops a runaway (the export then fails,
 * never the app).
 */
const WRITER_HEAP_LIMITS = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 128 } as const;

/** The writer threads running now: a cancelled or failed export must leave none behind. */
const running = new Set<Worker>();

/** The XLSX writer threads running now (diagnostics and tests). */
export function xlsxWriterThreads(): readonly Worker[] {
  return [...running];
}

/**
 * An XLSX file made in a worker thread, so that the event loop that answers the boards only clones
 * rows out and writes bytes in. One thread per export, ended by {@link terminate} whatever the
 * outcome: idle memory is unchanged. A thread that fails or dies fails every wait.
 */
export class XlsxWriter {
  /** Resolves once the file's first bytes have been handed to `output` (the download has begun). */
  readonly started: Promise<void>;
  private readonly worker: Worker;
  private failure: Error | null = null;
  private began = false;
  private untaken = 0;
  private done = false;
  private readonly waiters = new Set<() => boolean>();

  /**
   * @param output takes the file's bytes in order; the thread sends the next only once the promise
   *   it returns has resolved (backpressure from the client).
   */
  constructor(
    book: XlsxBook,
    private readonly output: (bytes: Buffer) => Promise<void>,
  ) {
    this.worker = new Worker(XLSX_WRITER_BODY, {
      eval: true,
      resourceLimits: WRITER_HEAP_LIMITS,
      workerData: { exceljs: require.resolve('exceljs'), niceness: READER_NICENESS, book },
    });
    const worker = this.worker;
    running.add(worker);
    worker.on('message', (message: WriterMessage) => this.receive(message));
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => {
      running.delete(worker);
      if (!this.done) this.fail(new Error(`the XLSX writer thread stopped (exit code ${code})`));
    });
    this.started = this.until(() => this.began);
    // Awaited by the sink, or not at all when the export ends first: never an unhandled rejection.
    this.started.catch(() => undefined);
  }

  /** Sends a chunk's rows to the thread: cloned at once, so nothing refers to the chunk after. */
  write(rows: readonly (readonly XlsxCell[])[]): void {
    if (this.failure) return;
    this.untaken += 1;
    this.worker.postMessage({ type: 'rows', rows });
  }

  /** Resolves once the thread has taken every chunk written (rows in the zip, zip to `output`). */
  taken(): Promise<void> {
    return this.until(() => this.untaken === 0);
  }

  /** Ends the file: resolves once its last byte has been handed to `output`. */
  end(): Promise<void> {
    if (!this.failure) this.worker.postMessage({ type: 'end' });
    return this.until(() => this.done);
  }

  /** Stops the thread (after the end, a failure or a cancelled download). */
  async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  private receive(message: WriterMessage): void {
    switch (message.type) {
      case 'bytes':
        this.output(Buffer.from(message.bytes)).then(
          () => {
            this.began = true;
            this.changed();
            this.worker.postMessage({ type: 'ack' });
          },
          (error: unknown) => this.fail(error instanceof Error ? error : new Error(String(error))),
        );
        return;
      case 'taken':
        this.untaken -= 1;
        break;
      case 'done':
        this.done = true;
        break;
      case 'error':
        this.fail(new Error(`the XLSX writer thread failed: ${message.message}`));
        return;
    }
    this.changed();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.changed();
  }

  private changed(): void {
    for (const waiter of [...this.waiters]) if (waiter()) this.waiters.delete(waiter);
  }

  /** Resolves when `condition` holds; rejects once the thread has failed. */
  private until(condition: () => boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const check = () => {
        if (this.failure) reject(this.failure);
        else if (condition()) resolve();
        else return false;
        return true;
      };
      if (!check()) this.waiters.add(check);
    });
  }
}
