import type { DataSource } from 'typeorm';
import { type ExportColumn, csvRecords } from '../http/export';
import { cellColumns, csvCell, csvFormat, formatCsvRows, spanHours } from './csv-records';
import { createDataSource, type DatabaseKind } from './data-source';
import { ReadPool } from './read-pool';
import { XLSX_SHEET_BREAK, type XlsxPlacement, formatXlsxValues } from './xlsx-records';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database';

interface Row {
  id: number;
  text: string | null;
  name: string | null;
  surname: string | null;
  startMs: number | null;
  endMs: number | null;
  flag: boolean | null;
  level: number | null;
}

const TEXTS = [
  'plain',
  '',
  null,
  '=HYPERLINK("http://x")',
  '+1',
  '-2',
  '@SUM(A1)',
  '\tTab first',
  '\rCR first',
  '＝full-width',
  '＋',
  '－x',
  '＠y',
  'comma, inside',
  'quote " inside',
  'line\nbreak',
  'carriage\rreturn',
  'Niccolò Ⅳ 😀',
  "apostrophe's",
  'ends with =',
];
const NAMES: [string | null, string | null][] = [
  ['Lucia', 'Bianchi'],
  ['Lucia', ''],
  ['', 'Bianchi'],
  [null, 'Bianchi'],
  ['Lucia', null],
  [null, null],
  ['=cmd', 'x'],
  ['Anna, Maria', 'Rossi "Junior"'],
];
const TIMES = [
  0,
  1,
  999,
  1000,
  Date.UTC(2000, 1, 29, 23, 59, 59, 999),
  Date.UTC(2026, 11, 5, 10, 0, 0, 5),
  Date.UTC(2038, 0, 19, 3, 14, 8, 120),
];
/** Span lengths in ms: half seconds, the 2.5 thousandths edge (9 s), hours, years. */
const SPANS = [0, 499, 500, 1499, 1500, 9000, 9499, 3_600_000, 5_401_234, 86_399_999, 31_536_000_000];

function rows(): Row[] {
  const out: Row[] = [];
  const count = Math.max(TEXTS.length, NAMES.length, TIMES.length * SPANS.length);
  for (let i = 0; i < count; i++) {
    const [name, surname] = NAMES[i % NAMES.length] ?? [null, null];
    const start = TIMES[Math.floor(i / SPANS.length) % TIMES.length] ?? 0;
    const span = SPANS[i % SPANS.length] ?? 0;
    out.push({
      id: i + 1,
      text: TEXTS[i % TEXTS.length] ?? null,
      name,
      surname,
      startMs: i % 13 === 5 ? null : start,
      endMs: i % 11 === 3 ? null : start + span,
      flag: i % 7 === 6 ? null : i % 2 === 0,
      level: i % 5 === 4 ? null : i - 40,
    });
  }
  return out;
}

/** The JavaScript columns the exports use for these kinds of values. */
const COLUMNS: readonly ExportColumn<Row>[] = [
  { header: 'id', value: (r) => r.id },
  { header: 'text', value: (r) => r.text },
  {
    header: 'joined',
    value: (r) => (r.name === null || r.surname === null ? null : `${r.name} ${r.surname}`.trim()),
  },
  { header: 'full', value: (r) => `${r.name ?? ''} ${r.surname ?? ''}`.trim() },
  { header: 'start', value: (r) => (r.startMs === null ? null : new Date(r.startMs)) },
  { header: 'startText', value: (r) => (r.startMs === null ? null : new Date(r.startMs).toISOString()) },
  {
    header: 'hours',
    value: (r) => (r.startMs === null || r.endMs === null ? null : spanHours(r.startMs, r.endMs)),
  },
  { header: 'flag', value: (r) => Boolean(r.flag) },
  { header: 'level', value: (r) => r.level },
  { header: 'masked', value: (r) => (r.surname === null ? null : `••••••${r.surname.slice(-4)}`) },
];

/** {@link COLUMNS} as cells. */
const CELLS = [
  csvCell.integer('"id"'),
  csvCell.text('"text"'),
  csvCell.name('"name"', '"surname"', 'null'),
  csvCell.name('"name"', '"surname"', 'empty'),
  csvCell.isoTime('"startMs"'),
  csvCell.isoTime('"startMs"'),
  csvCell.hours('"startMs"', '"endMs"'),
  csvCell.boolean('"flag"'),
  csvCell.integer('"level"'),
  csvCell.maskedCard('"surname"'),
];

const expected = () => csvRecords(COLUMNS, rows()).split('\n');

describe.each<DatabaseKind>(['sqlite', 'postgres'])('CSV records on %s', (kind) => {
  let scratch: ScratchDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    scratch = await createScratchDatabase(kind);
    dataSource = createDataSource({ DATABASE_URL: scratch.url, SQLITE_SYNCHRONOUS: 'NORMAL' });
    await dataSource.initialize();
    const flag = kind === 'sqlite' ? 'INTEGER' : 'BOOLEAN';
    await dataSource.query(
      `CREATE TABLE "values" ("id" INTEGER PRIMARY KEY, "text" TEXT, "name" TEXT, "surname" TEXT,
        "startMs" BIGINT, "endMs" BIGINT, "flag" ${flag}, "level" INTEGER)`,
    );
    for (const r of rows()) {
      const params = [r.id, r.text, r.name, r.surname, r.startMs, r.endMs, r.flag, r.level];
      await dataSource.query(
        kind === 'sqlite'
          ? 'INSERT INTO "values" VALUES (?, ?, ?, ?, ?, ?, ?, ?)'
          : 'INSERT INTO "values" VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        kind === 'sqlite' ? params.map((p) => (typeof p === 'boolean' ? Number(p) : p)) : params,
      );
    }
  });

  afterAll(async () => {
    await dataSource?.destroy().catch(() => undefined);
    await scratch?.drop();
  });

  /** Every row's cell columns then its id (the cursor), as records made by the reader thread. */
  const readValues = (pool: ReadPool, xlsx?: XlsxPlacement) => {
    const columns = cellColumns(CELLS);
    return pool.text(`SELECT ${columns.join(', ')}, "id" AS "c0" FROM "values" ORDER BY "id"`, [], {
      format: csvFormat(CELLS),
      columns: columns.length,
      ...(xlsx ? { xlsx } : {}),
    });
  };

  /** A reader thread on the scratch database, as the app runs them. */
  const readerPool = () =>
    kind === 'sqlite'
      ? new ReadPool({ file: scratch.url.replace(/^sqlite:/, ''), size: 1, idleMs: 1000 })
      : new ReadPool({ postgresUrl: scratch.url, size: 1, idleMs: 1000 });

  it('made from the cell columns are the same records', async () => {
    const columns = cellColumns(CELLS);
    const read = await dataSource.query<Record<string, unknown>[]>(
      `SELECT ${columns.map((c, i) => `${c} AS "f${i}"`).join(', ')} FROM "values" ORDER BY "id"`,
    );
    // PostgreSQL gives bigints as strings and booleans as booleans; the formatter takes both.
    const text = formatCsvRows(
      csvFormat(CELLS),
      read.map((row) => Object.values(row)),
      0,
    );
    expect(text.split('\n')).toEqual(expected());
  });

  it('made in a reader thread are the same records, with the cursor of the last row', async () => {
    const pool = readerPool();
    try {
      const chunk = await readValues(pool);
      // UTF-8 bytes moved from the thread, not a string copied into the event loop's heap.
      expect(ArrayBuffer.isView(chunk.text)).toBe(true);
      expect(new TextDecoder().decode(chunk.text as Uint8Array).split('\n')).toEqual(expected());
      expect(chunk.rows).toBe(rows().length);
      expect(Number(chunk.last?.[0])).toBe(rows().length);
      // A reader thread only reads: a write is refused and changes nothing.
      await expect(pool.all(`UPDATE "values" SET "text" = 'changed' RETURNING "id"`)).rejects.toThrow(
        /read-only|readonly|only run a query that returns rows/i,
      );
      const [unchanged] = await dataSource.query<{ n: number | string }[]>(
        `SELECT count(*) AS "n" FROM "values" WHERE "text" = 'changed'`,
      );
      expect(Number(unchanged?.n)).toBe(0);
    } finally {
      await pool.close();
    }
  });

  it('made as XLSX rows in a reader thread are the rows of the JavaScript columns', async () => {
    const pool = readerPool();
    try {
      // Placed from the export's 8th data row, in sheets of 10: a sheet break after 3 rows, then every 10.
      const chunk = await readValues(pool, { firstRow: 7, sheetRows: 10 });
      // The ISO-text column is a time cell in XLSX, as the Date column is.
      const values = rows().map((r) => COLUMNS.map((c, i) => (i === 5 ? COLUMNS[4] : c)?.value(r) ?? null));
      // As UTF-8 bytes, moved out of the thread.
      expect(typeof chunk.text !== 'string' && ArrayBuffer.isView(chunk.text)).toBe(true);
      const text = new TextDecoder().decode(chunk.text as Uint8Array);
      expect(text).toBe(formatXlsxValues(values, 7, 10));
      expect(text.split(XLSX_SHEET_BREAK).map((part) => part.split('</row>').length - 1)).toEqual([
        3,
        ...Array.from({ length: Math.floor((rows().length - 3) / 10) }, () => 10),
        (rows().length - 3) % 10,
      ]);
    } finally {
      await pool.close();
    }
  });
});

describe('spanHours', () => {
  it('rounds whole seconds, then thousandths of an hour, half up', () => {
    expect(spanHours(0, 9000)).toBe(0.003); // 9 s = 2.5 thousandths: up, not float's 2.4999…
    expect(spanHours(0, 499)).toBe(0);
    expect(spanHours(0, 500)).toBe(0); // 1 s = 0.28 thousandths
    expect(spanHours(0, 1800)).toBe(0.001); // 2 s = 0.56 thousandths
    expect(spanHours(0, 3_600_000)).toBe(1);
    expect(spanHours(0, 5_401_234)).toBe(1.5);
  });
});
