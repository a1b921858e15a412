import { Script } from 'node:vm';

/**
 * One field of a CSV record, as data: what a column of the long history exports holds, named by
 * the SQL expressions it reads. On SQLite the reader thread ({@link CSV_FORMATTER_SOURCE}) or the
 * main connection ({@link formatCsvRows}) makes the records from them: field for field what
 * `csvField` writes for the export's JavaScript columns, which a test checks on tricky values.
 */
export type CsvCell =
  /** Text: a leading formula character escaped with `'`, quoted as needed. */
  | { readonly kind: 'text'; readonly sql: string }
  /** An integer as its digits. */
  | { readonly kind: 'integer'; readonly sql: string }
  /** A boolean (0/1 on SQLite) as `true`/`false`; NULL reads false. */
  | { readonly kind: 'boolean'; readonly sql: string }
  /** A card UID shown to a level below manager: `••••••` and its last four characters, as text. */
  | { readonly kind: 'maskedCard'; readonly sql: string }
  /** Epoch milliseconds as `toISOString()` writes them. */
  | { readonly kind: 'isoTime'; readonly sql: string }
  /** The hours between two epoch-millisecond times ({@link spanHours}); empty without an end. */
  | { readonly kind: 'hours'; readonly start: string; readonly end: string }
  /**
   * `name surname`, trimmed, then as text. A missing part (a member gone) makes the field empty
   * (`missing: 'null'`) or counts as an empty string (`missing: 'empty'`).
   */
  | {
      readonly kind: 'name';
      readonly name: string;
      readonly surname: string;
      readonly missing: 'null' | 'empty';
    };

export const csvCell = {
  text: (sql: string): CsvCell => ({ kind: 'text', sql }),
  integer: (sql: string): CsvCell => ({ kind: 'integer', sql }),
  boolean: (sql: string): CsvCell => ({ kind: 'boolean', sql }),
  isoTime: (sql: string): CsvCell => ({ kind: 'isoTime', sql }),
  maskedCard: (sql: string): CsvCell => ({ kind: 'maskedCard', sql }),
  hours: (start: string, end: string): CsvCell => ({ kind: 'hours', start, end }),
  name: (name: string, surname: string, missing: 'null' | 'empty'): CsvCell => ({
    kind: 'name',
    name,
    surname,
    missing,
  }),
};

/** The SQL columns a record's cells read, in order (SQLite: the reader thread formats them). */
export function cellColumns(cells: readonly CsvCell[]): string[] {
  return cells.flatMap((cell) => {
    switch (cell.kind) {
      case 'hours':
        return [cell.start, cell.end];
      case 'name':
        return [cell.name, cell.surname];
      case 'text':
      case 'integer':
      case 'boolean':
      case 'isoTime':
      case 'maskedCard':
        return [cell.sql];
    }
  });
}

/** What the formatter needs of the cells: their kinds (columns are read in order). */
export type CsvFormat = readonly { readonly kind: CsvCell['kind']; readonly missing?: 'null' | 'empty' }[];

export const csvFormat = (cells: readonly CsvCell[]): CsvFormat =>
  cells.map((cell) =>
    cell.kind === 'name' ? { kind: cell.kind, missing: cell.missing } : { kind: cell.kind },
  );

/**
 * Hours of a span as the exports write them: whole seconds rounded half up, then thousandths of an
 * hour rounded half up, in integers (the thread's formatter computes the same digits).
 */
export function spanHours(startMs: number, endMs: number): number {
  const seconds = Math.floor((endMs - startMs + 500) / 1000);
  return Math.floor((seconds * 1000 + 1800) / 3600) / 1000;
}

/**
 * The formatter of rows of cell columns into CSV records, as plain JavaScript source: the reader
 * threads (read-pool.ts) evaluate the same text, which must not refer to anything outside it.
 * `formatCsvRows(format, rows, offset)` formats each row's columns from `offset` on.
 */
export const CSV_FORMATTER_SOURCE = String.raw`
function csvText(value) {
  const text = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(value) ? "'" + value : value;
  return /[",\n\r]/.test(text) ? '"' + text.replaceAll('"', '""') + '"' : text;
}
function formatCsvRows(format, rows, offset) {
  let out = '';
  for (const row of rows) {
    let c = offset;
    for (let i = 0; i < format.length; i++) {
      if (i > 0) out += ',';
      const cell = format[i];
      const value = row[c++];
      switch (cell.kind) {
        case 'text':
          if (value !== null && value !== undefined) out += csvText(String(value));
          break;
        case 'integer':
          if (value !== null && value !== undefined) out += String(value);
          break;
        case 'boolean':
          out += value !== null && value !== undefined && Number(value) !== 0 ? 'true' : 'false';
          break;
        case 'isoTime':
          if (value !== null && value !== undefined) out += new Date(Number(value)).toISOString();
          break;
        case 'maskedCard':
          if (value !== null && value !== undefined) out += csvText('\u2022\u2022\u2022\u2022\u2022\u2022' + String(value).slice(-4));
          break;
        case 'hours': {
          const end = row[c++];
          if (value !== null && value !== undefined && end !== null && end !== undefined) {
            const seconds = Math.floor((Number(end) - Number(value) + 500) / 1000);
            out += String(Math.floor((seconds * 1000 + 1800) / 3600) / 1000);
          }
          break;
        }
        case 'name': {
          const surname = row[c++];
          if (cell.missing === 'null' && (value === null || value === undefined || surname === null || surname === undefined)) break;
          out += csvText(((value ?? '') + ' ' + (surname ?? '')).trim());
          break;
        }
      }
    }
    out += '\n';
  }
  return out;
}`;

type FormatRows = (format: CsvFormat, rows: readonly (readonly unknown[])[], offset: number) => string;

const compiled = new Script(`${CSV_FORMATTER_SOURCE}\n({ formatCsvRows, csvText });`, {
  filename: 'csv-formatter.js',
}).runInThisContext() as { formatCsvRows: FormatRows; csvText: (text: string) => string };

/**
 * {@link CSV_FORMATTER_SOURCE}'s formatter, for rows read on the main connection: the very text the
 * reader threads run (compiled once, like their body), so the two cannot drift apart.
 */
export const formatCsvRows: FormatRows = compiled.formatCsvRows;

/**
 * A text CSV field: a leading formula character (ASCII or full-width `=`, `+`, `-`, `@`, a tab, a
 * carriage return) escaped with `'`, so a board's version string or a member's name typed as
 * `=HYPERLINK(…)` is shown, never run (OWASP "CSV injection"); quoted when it holds a quote, a comma
 * or a line break (RFC 4180). The reader threads' formatter uses the same function.
 */
export const csvText: (text: string) => string = compiled.csvText;
