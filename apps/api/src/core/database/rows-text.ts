import { Script } from 'node:vm';
import type { NumberTable } from './read-pool';

/**
 * PostgreSQL's text of numeric rows joined by `;` (`SELECT string_agg(t::text, ';') FROM (…) t`, or
 * in a reader thread the cheaper `concat('(', t."a", ',', …, ')')` of the named columns), each a
 * composite `(1,2,,4)` (an empty field is NULL, read 0), parsed into a {@link NumberTable}
 * without a string or object per value. One text value costs the driver a fraction of 100,000 rows
 * (a 10-year report: ~17 – 55 ms of CPU against 180 – 400 ms in array mode). Plain JavaScript: the
 * PostgreSQL reader threads run this very text (read-pool.ts), and the event loop its compiled copy
 * below when there is no reader thread.
 */
export const ROWS_TEXT_PARSER_SOURCE = String.raw`
function parseRowsText(text) {
  if (!text) return { columns: 0, values: new Float64Array(0) };
  const end = text.indexOf(')');
  const columns = end < 0 ? 0 : text.slice(0, end).split(',').length;
  let rows = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 59) rows++;
  const values = new Float64Array(rows * columns);
  let index = 0;
  let start = -1;
  let integer = 0;
  let negative = false;
  let plain = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 /* ( */ || c === 59 /* ; */) continue;
    if (c === 44 /* , */ || c === 41 /* ) */) {
      values[index++] = start < 0 ? 0 : plain ? (negative ? -integer : integer) : Number(text.slice(start, i));
      start = -1;
      integer = 0;
      negative = false;
      plain = true;
      continue;
    }
    if (start < 0) start = i;
    if (c >= 48 && c <= 57) integer = integer * 10 + (c - 48);
    else if (c === 45 /* - */ && i === start) negative = true;
    else plain = false;
  }
  return { columns, values };
}`;

/** The statement that reads `sql`'s rows as one text value for {@link parseRowsText}. */
export const rowsTextQuery = (sql: string): string =>
  `SELECT string_agg(t::text, ';') AS "rows" FROM (${sql}) t`;

/** {@link ROWS_TEXT_PARSER_SOURCE}'s parser, compiled once for the event loop's own reads. */
export const parseRowsText = new Script(`${ROWS_TEXT_PARSER_SOURCE}\nparseRowsText;`, {
  filename: 'rows-text-parser.js',
}).runInThisContext() as (text: string | null) => NumberTable;
