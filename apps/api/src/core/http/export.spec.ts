import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Response } from 'express';
import { Metrics } from '../metrics/metrics';
import Database from 'better-sqlite3';
import { stringify } from 'csv-stringify/sync';
import { Workbook } from 'exceljs';
import {
  csvRecords,
  type ExportColumn,
  type ExportFormat,
  ExportStreams,
  type KeysetOrder,
  keysetAfter,
  keysetChunks,
  keysetOrderBy,
} from './export';

interface Row {
  readonly n: number;
}
const COLUMNS: readonly ExportColumn<Row>[] = [{ header: 'n', value: (r) => r.n }];

/** A source that yields `good` chunks, then fails (a database error halfway through an export). */
async function* failingAfter(good: number): AsyncGenerator<readonly Row[]> {
  for (let chunk = 0; chunk < good; chunk++)
    yield Array.from({ length: 500 }, (_, i) => ({ n: chunk * 500 + i }));
  throw new Error('the database went away');
}

/** A bare HTTP server handing its response to ExportStreams (express's methods added as used). */
async function serve(
  format: ExportFormat,
  source: () => AsyncIterable<readonly Row[]>,
): Promise<{ url: string; server: Server; sent: Promise<unknown> }> {
  let settle: (value: unknown) => void = () => undefined;
  const sent = new Promise((resolve) => (settle = resolve));
  const streams = new ExportStreams(new Metrics(), 500);
  const server = createServer((_, raw) => {
    const response = Object.assign(raw, {
      status(code: number) {
        raw.statusCode = code;
        return response;
      },
      set(name: string, value: string) {
        raw.setHeader(name, value);
        return response;
      },
    }) as unknown as Response;
    streams.send(response, format, 'test', COLUMNS, source()).then(
      () => settle('resolved'),
      (error: unknown) => {
        settle(error);
        raw.statusCode = 500;
        raw.end('error page');
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server, sent };
}

describe('ExportStreams', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  });

  it.each<ExportFormat>(['csv', 'xlsx'])(
    'a %s export failing after its first bytes is a failed download, never a short file',
    async (format) => {
      const { url, server } = await serve(format, () => failingAfter(3));
      servers.push(server);
      const response = await fetch(url);
      expect(response.status).toBe(200);
      await expect(response.arrayBuffer()).rejects.toThrow();
    },
  );

  it('a large XLSX arrives whole, chunk after chunk, while the client sets the pace', async () => {
    async function* rows() {
      for (let chunk = 0; chunk < 100; chunk++)
        yield Array.from({ length: 500 }, (_, i) => ({ n: chunk * 500 + i }));
    }
    const { url, server, sent } = await serve('xlsx', rows);
    servers.push(server);
    const response = await fetch(url);
    const reader = response.body?.getReader();
    const parts: Uint8Array[] = [];
    for (let read = await reader?.read(); read && !read.done; read = await reader?.read()) {
      parts.push(read.value as Uint8Array);
      // A slow client: the server has to wait for it.
      if (parts.length % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(await sent).toBe('resolved');
    const book = new Workbook();
    await book.xlsx.load(new Uint8Array(Buffer.concat(parts)).buffer);
    const values: unknown[] = [];
    book.worksheets[0]?.eachRow((row) => values.push(row.getCell(1).value));
    expect(values).toEqual(['n', ...Array.from({ length: 50_000 }, (_, i) => i)]);
  }, 30_000);

  it('a failure before the first byte is an ordinary error response', async () => {
    const { url, server, sent } = await serve('csv', () => failingAfter(0));
    servers.push(server);
    const response = await fetch(url);
    expect(response.status).toBe(500);
    expect(await response.text()).toBe('error page');
    expect(await sent).toBeInstanceOf(Error);
  });

  it('an XLSX download the client abandons stops reading rows and ends the export', async () => {
    let chunksRead = 0;
    async function* rows() {
      for (let chunk = 0; chunk < 10_000; chunk++) {
        chunksRead += 1;
        yield Array.from({ length: 500 }, (_, i) => ({ n: chunk * 500 + i }));
      }
    }
    const { url, server, sent } = await serve('xlsx', rows);
    servers.push(server);
    const controller = new AbortController();
    const response = await fetch(url, { signal: controller.signal });
    const reader = response.body?.getReader();
    await reader?.read();
    controller.abort();
    expect(await sent).toBe('resolved');
    const read = chunksRead;
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Stopped well before the end, and nothing goes on reading after.
    expect(read).toBeLessThan(10_000);
    expect(chunksRead).toBe(read);
  });

  it('a complete export ends cleanly, with the BOM and every row', async () => {
    async function* rows() {
      yield [{ n: 1 }, { n: 2 }];
      yield [{ n: 3 }];
    }
    const { url, server, sent } = await serve('csv', rows);
    servers.push(server);
    const response = await fetch(url);
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="test-\d{4}-\d\d-\d\d\.csv"$/,
    );
    // The BOM (which fetch's text() would hide) tells Excel the file is UTF-8.
    expect(Buffer.from(await response.arrayBuffer()).toString('utf8')).toBe('\uFEFFn\n1\n2\n3\n');
    expect(await sent).toBe('resolved');
  });
});

describe('CSV records', () => {
  it('are what csv-stringify writes with the options exports use, formulas escaped', () => {
    type Cell = string | number | boolean | Date | null;
    const samples: Cell[] = [
      '', 'a', 'a,b', 'say "hi"', 'x\ny', 'x\ry', ' lead', 'é ü', '"', ',', 'a""b', "'=1", '\t',
      '=HYPERLINK("http://x","y")', '+1', '-x', '@SUM(A1)', '\r1', '\uFF1D1', 'a=b', '1-2',
      0, -1.5, 1e21, Number.NaN, true, false, null, new Date(0), new Date(1_733_390_000_123),
    ]; // prettier-ignore
    const rows = Array.from({ length: 1000 }, (_, i) =>
      Array.from({ length: 5 }, (_, j) => samples[(i * 7 + j * 13 + ((i * j) % 5)) % samples.length] ?? null),
    );
    const columns: ExportColumn<Cell[]>[] = [0, 1, 2, 3, 4].map((j) => ({
      header: `c${j}`,
      value: (r) => r[j],
    }));
    const cast = { date: (d: Date) => d.toISOString(), boolean: (b: boolean) => (b ? 'true' : 'false') };
    expect(csvRecords(columns, rows)).toBe(stringify(rows, { cast, escape_formulas: true }));
    expect(csvRecords(columns, [['=1+1', -3, '@x', 'plain', null]])).toBe("'=1+1,-3,'@x,plain,\n");
  });
});

describe('keyset reads', () => {
  // Ties, NULLs and values in a scrambled insertion order.
  const KEYS = ['b', null, 'a', 'b', null, 'c', 'a', 'b', null, 'a', 'c', 'b', null];
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT)');
  const insert = db.prepare('INSERT INTO t (k) VALUES (?)');
  for (const k of KEYS) insert.run(k);
  afterAll(() => db.close());

  const read = async (order: KeysetOrder, chunk: number) => {
    const chunks = keysetChunks<{ id: number; k: string | null }>(
      (after, limit) => {
        const [where, params] = after ? keysetAfter(order, after) : ['1 = 1', []];
        const by = keysetOrderBy(order)
          .map(([sql, direction]) => `${sql} ${direction}`)
          .join(', ');
        const rows = db
          .prepare(`SELECT id, k FROM t WHERE ${where} ORDER BY ${by} LIMIT ?`)
          .all(...params, limit);
        return Promise.resolve(rows as { id: number; k: string | null }[]);
      },
      (row) => [row.k, row.id],
      chunk,
    );
    const ids: number[] = [];
    for await (const rows of chunks) ids.push(...rows.map((r) => r.id));
    return ids;
  };
  const expected = (direction: 'ASC' | 'DESC') => {
    const rank = (k: string | null) => (k === null ? '' : `~${k}`);
    const ids = KEYS.map((k, i) => ({ k: rank(k), id: i + 1 })).sort(
      (a, b) => a.k.localeCompare(b.k) || a.id - b.id,
    );
    return (direction === 'ASC' ? ids : ids.reverse()).map((r) => r.id);
  };

  it.each(['ASC', 'DESC'] as const)(
    'reads a nullable key %s in chunks: every row once, NULLs lowest',
    async (direction) => {
      const order: KeysetOrder = { keys: [{ sql: 'k', nullable: true }], id: 'id', direction };
      for (const chunk of [1, 2, 3, 5, 20]) expect(await read(order, chunk)).toEqual(expected(direction));
    },
  );

  it.each(['ASC', 'DESC'] as const)(
    'reads a key without NULLs %s in chunks, ties by id',
    async (direction) => {
      db.exec("UPDATE t SET k = 'n' WHERE k IS NULL");
      const order: KeysetOrder = { keys: ['k'], id: 'id', direction };
      const sorted = KEYS.map((k, i) => ({ k: k ?? 'n', id: i + 1 })).sort(
        (a, b) => a.k.localeCompare(b.k) || a.id - b.id,
      );
      const ids = (direction === 'ASC' ? sorted : sorted.reverse()).map((r) => r.id);
      for (const chunk of [1, 2, 4, 20]) expect(await read(order, chunk)).toEqual(ids);
    },
  );
});
