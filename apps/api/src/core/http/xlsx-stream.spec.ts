import { Workbook } from 'exceljs';
import { type XlsxValue, formatRecords } from '../database/xlsx-records';
import { csvCell, csvFormat } from '../database/csv-records';
import { type XlsxBook, XlsxStream } from './xlsx-stream';

/** The file's bytes, read from the stream as a client would. */
async function bytesOf(xlsx: XlsxStream, write: () => Promise<void>): Promise<Buffer> {
  const parts: Buffer[] = [];
  xlsx.output.on('data', (part: Buffer) => parts.push(part));
  const ended = new Promise((resolve) => xlsx.output.on('end', resolve));
  await write();
  xlsx.end();
  await ended;
  return Buffer.concat(parts);
}

async function sheetsOf(bytes: Buffer) {
  const book = new Workbook();
  await book.xlsx.load(new Uint8Array(bytes).buffer);
  return book.worksheets.map((sheet) => {
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    return { name: sheet.name, rows, headerBold: sheet.getCell('A1').font?.bold === true };
  });
}

/** The sheets of a book written a chunk of values at a time, waiting for the zip between chunks. */
async function sheetsWritten(book: XlsxBook, chunks: readonly (readonly (readonly XlsxValue[])[])[]) {
  const xlsx = new XlsxStream(book);
  const bytes = await bytesOf(xlsx, async () => {
    for (const chunk of chunks) {
      xlsx.writeValues(chunk);
      await xlsx.drained();
    }
  });
  return sheetsOf(bytes);
}

describe('XlsxStream', () => {
  it('writes values Excel reads back as they were: text, numbers, booleans, dates, empty cells', async () => {
    const started = new Date('2026-03-01T08:30:15.123Z');
    const [sheet, ...more] = await sheetsWritten(
      {
        name: 'usage',
        columns: ['member', 'hours', 'replay', 'started', 'note'].map((header) => ({ header, width: 14 })),
        sheetRows: 1_048_575,
      },
      [
        [
          ['Lucía <Martínez> & co', 1.25, true, started, null],
          ['=HYPERLINK("x")', 0, false, null, '  spaced\tand\u0001control\ud800'],
        ],
      ],
    );
    expect(more).toHaveLength(0);
    expect(sheet?.name).toBe('usage');
    expect(sheet?.headerBold).toBe(true);
    expect(sheet?.rows).toEqual([
      ['member', 'hours', 'replay', 'started', 'note'],
      ['Lucía <Martínez> & co', 1.25, true, started],
      // A formula typed as text stays text; characters XML cannot hold become U+FFFD.
      ['=HYPERLINK("x")', 0, false, undefined, '  spaced\tand\ufffdcontrol\ufffd'],
    ]);
  });

  it('cuts a text longer than an Excel cell holds, and says so with an ellipsis', async () => {
    const [sheet] = await sheetsWritten(
      { name: 'audit', columns: [{ header: 'details', width: 40 }], sheetRows: 10 },
      [[['x'.repeat(40_000)], ['y'.repeat(32_767)]]],
    );
    expect(sheet?.rows.slice(1)).toEqual([['x'.repeat(32_766) + '\u2026'], ['y'.repeat(32_767)]]);
  });

  it('continues on a new sheet, with the header, once a sheet is full', async () => {
    // Chunks that end exactly at a sheet's end, and chunks that straddle one.
    const sheets = await sheetsWritten(
      { name: 'access-events', columns: [{ header: 'n', width: 12 }], sheetRows: 3 },
      [
        [0, 1, 2],
        [3, 4],
        [5, 6, 7, 8, 9],
      ].map((chunk) => chunk.map((n) => [n])),
    );
    expect(sheets.map((s) => s.name)).toEqual([
      'access-events',
      'access-events 2',
      'access-events 3',
      'access-events 4',
    ]);
    expect(sheets.map((s) => s.rows)).toEqual([
      [['n'], [0], [1], [2]],
      [['n'], [3], [4], [5]],
      [['n'], [6], [7], [8]],
      [['n'], [9]],
    ]);
    expect(sheets.every((s) => s.headerBold)).toBe(true);
  });

  it("takes the reader threads' rows as they made them, placed where the book is", async () => {
    const format = csvFormat([
      csvCell.name('m.name', 'm.surname', 'null'),
      csvCell.isoTime('s.startedAt'),
      csvCell.hours('s.startedAt', 's.endedAt'),
      csvCell.boolean('s.replay'),
      csvCell.maskedCard('m.cardUid'),
      csvCell.integer('s.id'),
    ]);
    const at = Date.UTC(2026, 0, 2, 3, 4, 5);
    const rows = Array.from({ length: 5 }, (_, i) => [
      'Ada',
      'Lovelace',
      at,
      // The hours cell reads its own start and end.
      at,
      at + 5_400_000,
      i % 2,
      'A1B2C3D4',
      i,
    ]);
    const xlsx = new XlsxStream({
      name: 'usage',
      columns: ['member', 'started', 'hours', 'replay', 'card', 'id'].map((header) => ({
        header,
        width: 12,
      })),
      sheetRows: 4,
    });
    const bytes = await bytesOf(xlsx, async () => {
      for (const chunk of [rows.slice(0, 2), rows.slice(2)]) {
        xlsx.writeXml(formatRecords({ format, columns: 6, xlsx: xlsx.placement }, chunk), chunk.length);
        await xlsx.drained();
      }
    });
    const sheets = await sheetsOf(bytes);
    const expected = rows.map((_, i) => ['Ada Lovelace', new Date(at), 1.5, i % 2 === 1, '••••••C3D4', i]);
    expect(sheets.map((s) => s.rows.slice(1))).toEqual([expected.slice(0, 4), expected.slice(4)]);
  });
});
