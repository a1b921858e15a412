import { Script } from 'node:vm';
import { CSV_FORMATTER_SOURCE, type CsvFormat } from './csv-records';

/**
 * Where a chunk of XLSX rows goes in the workbook: the index (from 0) of its first data row in the
 * whole export, and the data rows a sheet holds. A row whose index is a non-zero multiple of
 * `sheetRows` begins a new sheet: the text has a NUL before it (XML text can never hold one).
 */
export interface XlsxPlacement {
  readonly firstRow: number;
  readonly sheetRows: number;
}

/** The character marking the start of a new sheet in a chunk of rows' XML. */
export const XLSX_SHEET_BREAK = '\u0000';

/** The cell style of a date and time (xl/styles.xml of `core/http/xlsx-stream.ts`: `yyyy-mm-dd hh:mm:ss`). */
export const XLSX_DATE_STYLE = 2;
/** The cell style of the header row (bold). */
export const XLSX_HEADER_STYLE = 1;

/**
 * The XML of sheet rows (SpreadsheetML `<row>`, inline strings), as plain JavaScript source: the
 * reader threads (read-pool.ts) evaluate the same text, which must not refer to anything outside it,
 * and the event loop compiles it once for the rows it formats itself. Text is never a formula in an
 * XLSX cell (an inline string), so it is written as it is, minus the characters XML cannot hold.
 */
const XLSX_FORMATTER_SOURCE = String.raw`
const XML_UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
function xmlText(value) {
  return String(value).replace(XML_UNSAFE, '\uFFFD').replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
const columnNames = [];
function columnName(i) {
  let name = columnNames[i];
  if (name === undefined) {
    name = '';
    for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
    columnNames[i] = name;
  }
  return name;
}
// Excel refuses (repairs) a file with a cell longer than 32,767 characters: cut, and say so.
function xlsxString(ref, text, style) {
  if (text.length > 32767) text = text.slice(0, 32766) + '\u2026';
  return '<c r="' + ref + '"' + (style ? ' s="' + style + '"' : '') + ' t="inlineStr"><is><t xml:space="preserve">' + xmlText(text) + '</t></is></c>';
}
function xlsxNumber(ref, n) {
  return Number.isFinite(n) ? '<c r="' + ref + '"><v>' + n + '</v></c>' : '';
}
function xlsxBoolean(ref, b) {
  return '<c r="' + ref + '" t="b"><v>' + (b ? 1 : 0) + '</v></c>';
}
// Excel's serial date: days since 1899-12-30, in UTC like the CSV's ISO times.
function xlsxTime(ref, ms) {
  return Number.isFinite(ms) ? '<c r="' + ref + '" s="2"><v>' + (ms / 86400000 + 25569) + '</v></c>' : '';
}
/** A JavaScript value's cell: text, number, boolean, Date; nothing for null. */
function xlsxValue(ref, value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return xlsxString(ref, value, 0);
  if (typeof value === 'number') return xlsxNumber(ref, value);
  if (typeof value === 'boolean') return xlsxBoolean(ref, value);
  // Not instanceof: a Date from another realm (a vm context) is a Date too.
  if (Object.prototype.toString.call(value) === '[object Date]') return xlsxTime(ref, value.getTime());
  return xlsxString(ref, String(value), 0);
}
/** The row's start tag, after a sheet break when it begins a new sheet. */
function xlsxRowStart(index, sheetRows) {
  const inSheet = index % sheetRows;
  return (index > 0 && inSheet === 0 ? '\u0000' : '') + '<row r="' + (inSheet + 2) + '">';
}
/** Rows placed from data row 'firstRow' on: each row's cells made by 'cellsOf(row, rowNumber)'. */
function formatXlsxEach(rows, firstRow, sheetRows, cellsOf) {
  let out = '';
  for (let r = 0; r < rows.length; r++) {
    const index = firstRow + r;
    out += xlsxRowStart(index, sheetRows) + cellsOf(rows[r], (index % sheetRows) + 2) + '</row>';
  }
  return out;
}
/** Rows of JavaScript values (the exports' columns), placed from data row 'firstRow' on. */
function formatXlsxValues(rows, firstRow, sheetRows) {
  return formatXlsxEach(rows, firstRow, sheetRows, (row, number) => {
    let cells = '';
    for (let i = 0; i < row.length; i++) cells += xlsxValue(columnName(i) + number, row[i]);
    return cells;
  });
}
/** One row of cell columns (the CSV formatter's format and row) as XLSX cells. */
function xlsxCells(format, row, offset, number) {
  let cells = '';
  let c = offset;
  for (let i = 0; i < format.length; i++) {
    const ref = columnName(i) + number;
    const cell = format[i];
    const value = row[c++];
    const present = value !== null && value !== undefined;
    switch (cell.kind) {
      case 'text':
        if (present) cells += xlsxString(ref, String(value), 0);
        break;
      case 'integer':
        if (present) cells += xlsxNumber(ref, Number(value));
        break;
      case 'boolean':
        cells += xlsxBoolean(ref, present && Number(value) !== 0);
        break;
      case 'isoTime':
        if (present) cells += xlsxTime(ref, Number(value));
        break;
      case 'maskedCard':
        if (present) cells += xlsxString(ref, '\u2022\u2022\u2022\u2022\u2022\u2022' + String(value).slice(-4), 0);
        break;
      case 'hours': {
        const end = row[c++];
        if (present && end !== null && end !== undefined) {
          const seconds = Math.floor((Number(end) - Number(value) + 500) / 1000);
          cells += xlsxNumber(ref, Math.floor((seconds * 1000 + 1800) / 3600) / 1000);
        }
        break;
      }
      case 'name': {
        const surname = row[c++];
        if (cell.missing === 'null' && (!present || surname === null || surname === undefined)) break;
        cells += xlsxString(ref, ((value ?? '') + ' ' + (surname ?? '')).trim(), 0);
        break;
      }
    }
  }
  return cells;
}
/** Rows of cell columns (the CSV formatter's format and rows), as XLSX rows. */
function formatXlsxRows(format, rows, offset, firstRow, sheetRows) {
  return formatXlsxEach(rows, firstRow, sheetRows, (row, number) => xlsxCells(format, row, offset, number));
}
/** A read's rows as the records its text format asks for: CSV, or XLSX rows placed in the book. */
function formatRecords(text, rows) {
  return text.xlsx
    ? formatXlsxRows(text.format, rows, 0, text.xlsx.firstRow, text.xlsx.sheetRows)
    : formatCsvRows(text.format, rows, 0);
}`;

/**
 * The formatters of the exports' records as one source: CSV (csv-records.ts), XLSX rows, and
 * `formatRecords(text, rows)` choosing by the read's {@link RecordsFormat}. The reader threads
 * evaluate it; {@link formatRecords} is the same text compiled here.
 */
export const RECORDS_FORMATTER_SOURCE = `${CSV_FORMATTER_SOURCE}\n${XLSX_FORMATTER_SOURCE}`;

/** How a read's rows become records: `columns` cell columns then the cursor's; XLSX when placed. */
export interface RecordsFormat {
  readonly format: CsvFormat;
  readonly columns: number;
  readonly xlsx?: XlsxPlacement;
}

/** A cell of an export's JavaScript columns. */
export type XlsxValue = string | number | boolean | Date | null;

const compiled = new Script(
  // In a function: its `const`s must not enter the context's global scope (Jest loads this module
  // once per test file in one context).
  `(() => {\n${RECORDS_FORMATTER_SOURCE}\nreturn { formatRecords, formatXlsxValues, xlsxString, xmlText, columnName };\n})()`,
  { filename: 'records-formatter.js' },
).runInThisContext() as {
  formatRecords: (text: RecordsFormat, rows: readonly (readonly unknown[])[]) => string;
  formatXlsxValues: (rows: readonly (readonly XlsxValue[])[], firstRow: number, sheetRows: number) => string;
  xlsxString: (ref: string, text: string, style: number) => string;
  xmlText: (text: string) => string;
  columnName: (index: number) => string;
};

/** The reader threads' formatter, for rows read on the main connection (the very same text). */
export const formatRecords = compiled.formatRecords;

/** Rows of JavaScript values as XLSX rows, placed from data row `firstRow` on (see {@link XlsxPlacement}). */
export const formatXlsxValues = compiled.formatXlsxValues;

/** XML text: `&`, `<`, `>` escaped, characters XML cannot hold replaced by U+FFFD. */
export const xmlText = compiled.xmlText;

/** A header row: bold inline strings in row 1. */
export function xlsxHeaderRow(headers: readonly string[]): string {
  const cells = headers.map((header, i) =>
    compiled.xlsxString(`${compiled.columnName(i)}1`, header, XLSX_HEADER_STYLE),
  );
  return `<row r="1">${cells.join('')}</row>`;
}

/** A column's letters (0 → A, 26 → AA). */
export const columnLetters = compiled.columnName;
