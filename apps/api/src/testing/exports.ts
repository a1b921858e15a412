import { CSRF_HEADER, CSRF_HEADER_VALUE, SESSION_COOKIE } from '@fabomatic/contracts';
import { parse } from 'csv-parse/sync';
import { Workbook } from 'exceljs';
import type { ApiClient } from './api-client';

/** Rows of a CSV export (BOM, quoted fields), keyed by the header row. */
export function csvRows(text: string): Record<string, string>[] {
  return parse<Record<string, string>>(text, { bom: true, columns: true, skip_empty_lines: true });
}

/** The rows of the first sheet of an XLSX export, as arrays of cell values. */
export async function xlsxRows(response: Response): Promise<unknown[][]> {
  const book = new Workbook();
  await book.xlsx.load(await response.arrayBuffer());
  const rows: unknown[][] = [];
  book.worksheets[0]?.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

/** Every sheet of an XLSX export: its name, its rows as arrays of cell values, its header's font. */
export async function xlsxSheets(
  response: Response,
): Promise<{ name: string; rows: unknown[][]; headerBold: boolean }[]> {
  const book = new Workbook();
  await book.xlsx.load(await response.arrayBuffer());
  return book.worksheets.map((sheet) => {
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    return { name: sheet.name, rows, headerBold: sheet.getCell('A1').font?.bold === true };
  });
}

/** Downloads `path` in a fresh session of `account` (the raw response, for binary bodies). */
export async function download(
  baseUrl: string,
  account: { readonly email: string; readonly changedTo: string },
  path: string,
): Promise<Response> {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [CSRF_HEADER]: CSRF_HEADER_VALUE },
    body: JSON.stringify({ email: account.email, password: account.changedTo }),
  });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!cookie) throw new Error(`login failed: ${login.status}`);
  return fetch(`${baseUrl}${path}`, { headers: { cookie } });
}

/** A CSV export as records (fails the test on an error status). */
export async function csvExport(client: ApiClient, path: string): Promise<Record<string, string>[]> {
  const response = await client.get<string>(path);
  if (response.status !== 200 || !response.headers.get('content-type')?.startsWith('text/csv')) {
    throw new Error(`export failed: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return csvRows(response.body);
}

/** An XLSX export read back with ExcelJS: its content type and its first sheet's rows. */
export async function xlsxExport(
  client: ApiClient,
  baseUrl: string,
  path: string,
): Promise<{ contentType: string | null; rows: unknown[][] }> {
  const response = await fetch(baseUrl + path, { headers: { cookie: client.cookie } });
  return { contentType: response.headers.get('content-type'), rows: await xlsxRows(response) };
}
