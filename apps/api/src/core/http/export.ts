import { ApiPropertyOptional } from './openapi';
import { IsIn, IsOptional } from 'class-validator';
import type { Response } from 'express';

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Most rows one export carries (a lab's whole history fits; a runaway query does not). */
export const MAX_EXPORT_ROWS = 100_000;

/** `?format=csv|xlsx`, added to a list's query DTO by its export endpoint. */
export class ExportFormatDto {
  @ApiPropertyOptional({ enum: EXPORT_FORMATS, default: 'csv' })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format?: ExportFormat;
}

export interface ExportColumn<T> {
  readonly header: string;
  readonly value: (row: T) => string | number | boolean | Date | null | undefined;
}

/**
 * Sends rows as a CSV or XLSX download. The columns are chosen by each list: never password hashes
 * or secrets. ExcelJS is loaded only when an XLSX is asked for (it is large; idle memory matters).
 */
export async function sendExport<T>(
  response: Response,
  format: ExportFormat,
  name: string,
  columns: readonly ExportColumn<T>[],
  rows: readonly T[],
): Promise<void> {
  const stamp = new Date().toISOString().slice(0, 10);
  const values = rows.map((row) => columns.map((c) => c.value(row) ?? null));
  if (format === 'csv') {
    const { stringify } = await import('csv-stringify/sync');
    const csv = stringify([columns.map((c) => c.header), ...values], {
      cast: { date: (d) => d.toISOString(), boolean: (b) => (b ? 'true' : 'false') },
    });
    response
      .status(200)
      .set('content-type', 'text/csv; charset=utf-8')
      .set('content-disposition', `attachment; filename="${name}-${stamp}.csv"`)
      .send(`\uFEFF${csv}`);
    return;
  }
  const { Workbook } = await import('exceljs');
  const workbook = new Workbook();
  const sheet = workbook.addWorksheet(name);
  sheet.columns = columns.map((c) => ({ header: c.header, width: Math.max(12, c.header.length + 2) }));
  sheet.getRow(1).font = { bold: true };
  for (const row of values) sheet.addRow(row);
  const buffer = await workbook.xlsx.writeBuffer();
  response
    .status(200)
    .set('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .set('content-disposition', `attachment; filename="${name}-${stamp}.xlsx"`)
    .send(Buffer.from(buffer));
}
