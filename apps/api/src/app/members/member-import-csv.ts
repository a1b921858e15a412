import { HttpStatus } from '@nestjs/common';
import {
  MAX_MEMBER_IMPORT_ROWS,
  MEMBER_IMPORT_COLUMNS,
  type MemberImportColumn,
  type MemberImportProblem,
} from '@fabomatic/contracts';
import { CsvError, parse } from 'csv-parse/sync';
import { ApiError } from '../../core/http/api-error';

/** One member row of the file: its values by column, as written (not yet trimmed or checked). */
export interface MemberCsvRow {
  /** As a spreadsheet numbers it: the header is row 1. */
  readonly row: number;
  readonly values: Readonly<Partial<Record<MemberImportColumn, string>>>;
  /** Whether the row has values beyond the header's columns. */
  readonly tooManyValues: boolean;
}

export interface MembersCsv {
  readonly columns: ReadonlySet<MemberImportColumn>;
  /** Problems of the header row itself (unknown, repeated or missing columns). */
  readonly headerProblems: readonly MemberImportProblem[];
  readonly rows: readonly MemberCsvRow[];
}

/** Other spellings of a column's header, after {@link headerKey}. */
const ALIASES: Readonly<Record<string, MemberImportColumn>> = {
  'card uid': 'card',
  carduid: 'card',
  weeklysummary: 'weekly summary',
  'receive weekly summary': 'weekly summary',
};
/** Columns of the members export that an import skips (so an edited export imports again). */
const IGNORED = new Set(['id', 'portal access', 'deleted at', 'created at']);
/** Delimiters a header line may use: Italian Excel exports use `;`. */
const DELIMITERS = [',', ';', '\t'] as const;

const csvInvalid = (message: string) => new ApiError(HttpStatus.BAD_REQUEST, 'CSV_INVALID', message);

/** A header as compared: any case, with `_`, `-` and runs of spaces alike. */
const headerKey = (header: string) =>
  header
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');

/**
 * Reads an uploaded members CSV: UTF-8 with or without BOM (a file that is not UTF-8 is read as
 * Windows-1252, what Excel's plain "CSV" saves), delimiter `,`, `;` or tab found in the header line,
 * quoted fields. Blank rows are skipped. Throws CSV_INVALID (not text, or unreadable quoting),
 * CSV_NO_ROWS and CSV_TOO_MANY_ROWS; what is wrong inside rows is left to the caller.
 */
export function readMembersCsv(body: Buffer): MembersCsv {
  const text = decode(body);
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: delimiterOf(text),
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: false,
    });
  } catch (error) {
    if (error instanceof CsvError) throw csvInvalid(`not a readable CSV file: ${error.message}`);
    throw error;
  }
  const [header, ...memberRecords] = records;
  if (!header || isBlank(header)) throw noRows('the file has no header row');
  const { positions, problems } = readHeader(header);
  const rows: MemberCsvRow[] = [];
  memberRecords.forEach((record, index) => {
    if (isBlank(record)) return;
    const values: Partial<Record<MemberImportColumn, string>> = {};
    let tooManyValues = false;
    record.forEach((value, i) => {
      const column = positions[i];
      if (column) values[column] = value;
      else if (column === undefined && value.trim() !== '') tooManyValues = true;
    });
    rows.push({ row: index + 2, values, tooManyValues });
  });
  if (rows.length === 0) throw noRows('the file has a header but no member rows');
  if (rows.length > MAX_MEMBER_IMPORT_ROWS) {
    throw new ApiError(
      HttpStatus.PAYLOAD_TOO_LARGE,
      'CSV_TOO_MANY_ROWS',
      `the file has ${rows.length} member rows: at most ${MAX_MEMBER_IMPORT_ROWS} at a time`,
    );
  }
  const columns = new Set(positions.filter((p): p is MemberImportColumn => typeof p === 'string'));
  return { columns, headerProblems: problems, rows };
}

const noRows = (message: string) => new ApiError(HttpStatus.BAD_REQUEST, 'CSV_NO_ROWS', message);

/** The text of the file, refusing what is not text (a spreadsheet, an image, a database). */
function decode(body: Buffer): string {
  if (body.includes(0)) throw csvInvalid('not a CSV file: it holds binary data');
  let text: string;
  try {
    // Strips a UTF-8 BOM.
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    text = new TextDecoder('windows-1252').decode(body);
  }
  // eslint-disable-next-line no-control-regex -- control characters are what tells binary data
  if (/[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) {
    throw csvInvalid('not a CSV file: it holds binary data');
  }
  return text;
}

/** The delimiter the header line uses most, outside quotes (`,` when it has none). */
function delimiterOf(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && counts.has(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best: string = DELIMITERS[0];
  for (const delimiter of DELIMITERS) {
    if ((counts.get(delimiter) ?? 0) > (counts.get(best) ?? 0)) best = delimiter;
  }
  return best;
}

/**
 * The column of each position of the header: a column, `null` for one the import skips, or
 * `undefined` for an empty header (a value below it is one too many).
 */
function readHeader(header: readonly string[]): {
  positions: (MemberImportColumn | null | undefined)[];
  problems: MemberImportProblem[];
} {
  const known = new Set<string>(MEMBER_IMPORT_COLUMNS);
  const seen = new Set<MemberImportColumn>();
  const problems: MemberImportProblem[] = [];
  const positions = header.map((raw) => {
    const key = headerKey(raw);
    if (key === '') return undefined;
    if (IGNORED.has(key)) return null;
    const column = ALIASES[key] ?? (known.has(key) ? (key as MemberImportColumn) : null);
    if (!column) {
      problems.push({ row: 1, column: raw.trim(), code: 'UNKNOWN_COLUMN' });
      return null;
    }
    if (seen.has(column)) {
      problems.push({ row: 1, column, code: 'DUPLICATE_COLUMN', value: raw.trim() });
      return null;
    }
    seen.add(column);
    return column;
  });
  return { positions, problems };
}

function isBlank(record: readonly string[]): boolean {
  return record.every((value) => value.trim() === '');
}
