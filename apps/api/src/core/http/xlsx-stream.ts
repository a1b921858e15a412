import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import {
  XLSX_SHEET_BREAK,
  type XlsxPlacement,
  type XlsxValue,
  formatXlsxValues,
  xlsxHeaderRow,
  xmlText,
} from '../database/xlsx-records';

/** What an XLSX export holds: one sheet (more past `sheetRows`), a bold header row, widths. */
export interface XlsxBook {
  /** The first sheet's name; the next are `<name> 2`, `<name> 3`… */
  readonly name: string;
  readonly columns: readonly { readonly header: string; readonly width: number }[];
  /** Data rows a sheet holds before the next one starts (Excel's limit: 1,048,575 and the header). */
  readonly sheetRows: number;
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PACKAGE_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';

/** Fonts 0 normal and 1 bold; cell styles 0 plain, 1 bold (the header), 2 a date and time. */
const STYLES =
  `${XML_DECLARATION}<styleSheet xmlns="${MAIN_NS}">` +
  '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>' +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>' +
  '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>' +
  '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>';

const attribute = (value: string) => xmlText(value).replaceAll('"', '&quot;');

/**
 * An XLSX file written as it goes, on the event loop, in constant memory: each sheet's XML is a
 * stream into a zip (yazl) whose deflate runs in libuv's thread pool, and whose bytes are read from
 * {@link output}. Rows come as XML already made (by a reader thread, xlsx-records.ts) or as
 * JavaScript values. ExcelJS, which wrote these files before, cost a worker thread with its own heap
 * (+90 – 110 MB of RSS during a long export) and could not be loaded on the event loop (a ~630 ms
 * stall): ADR 0008.
 */
export class XlsxStream {
  private readonly zip = new ZipFile();
  private readonly mtime = new Date();
  private readonly sheetNames: string[] = [];
  private sheet: PassThrough;
  private rows = 0;

  constructor(private readonly book: XlsxBook) {
    this.sheet = this.openSheet();
  }

  /** The zip's bytes, to pipe into the response. */
  get output(): Readable {
    return this.zip.outputStream as Readable;
  }

  /** Where the next rows go: for a reader thread that makes their XML (see {@link writeXml}). */
  get placement(): XlsxPlacement {
    return { firstRow: this.rows, sheetRows: this.book.sheetRows };
  }

  /** Rows of JavaScript values, one array of cells (in column order) a row. */
  writeValues(rows: readonly (readonly XlsxValue[])[]): void {
    this.writeXml(formatXlsxValues(rows, this.rows, this.book.sheetRows), rows.length);
  }

  /**
   * `rows` rows' XML made for {@link placement} (text, or its UTF-8 bytes): a sheet break in it
   * starts the next sheet.
   */
  writeXml(xml: string | Uint8Array, rows: number): void {
    const bytes = typeof xml === 'string' ? null : Buffer.from(xml.buffer, xml.byteOffset, xml.byteLength);
    const text = typeof xml === 'string' ? xml : null;
    const length = bytes ? bytes.length : (text as string).length;
    const next = (from: number) =>
      bytes ? bytes.indexOf(0, from) : (text as string).indexOf(XLSX_SHEET_BREAK, from);
    const part = (from: number, to: number) =>
      bytes ? bytes.subarray(from, to) : (text as string).slice(from, to);
    let from = 0;
    for (let at = next(0); at !== -1; at = next(from)) {
      if (at > from) this.sheet.write(part(from, at));
      this.closeSheet();
      this.sheet = this.openSheet();
      from = at + 1;
    }
    if (from < length) this.sheet.write(from === 0 ? (bytes ?? (text as string)) : part(from, length));
    this.rows += rows;
  }

  /** Resolves once the zip has taken what was written (it waits in turn for {@link output}'s reader). */
  async drained(): Promise<void> {
    if (this.sheet.writableNeedDrain) await once(this.sheet, 'drain');
  }

  /** Ends the last sheet and writes the workbook's other parts; {@link output} ends after them. */
  end(): void {
    this.closeSheet();
    const sheets = this.sheetNames.map((name, i) => ({ name, n: i + 1 }));
    const add = (text: string, path: string) =>
      this.zip.addBuffer(Buffer.from(text), path, { mtime: this.mtime, compress: true });
    add(
      `${XML_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
        sheets
          .map(
            ({ n }) =>
              `<Override PartName="/xl/worksheets/sheet${n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
          )
          .join('') +
        '</Types>',
      '[Content_Types].xml',
    );
    add(
      `${XML_DECLARATION}<Relationships xmlns="${PACKAGE_REL_NS}">` +
        `<Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      '_rels/.rels',
    );
    add(
      `${XML_DECLARATION}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets>` +
        sheets
          .map(({ name, n }) => `<sheet name="${attribute(name)}" sheetId="${n}" r:id="rId${n}"/>`)
          .join('') +
        '</sheets></workbook>',
      'xl/workbook.xml',
    );
    add(
      `${XML_DECLARATION}<Relationships xmlns="${PACKAGE_REL_NS}">` +
        sheets
          .map(
            ({ n }) =>
              `<Relationship Id="rId${n}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${n}.xml"/>`,
          )
          .join('') +
        `<Relationship Id="rId${sheets.length + 1}" Type="${REL_NS}/styles" Target="styles.xml"/></Relationships>`,
      'xl/_rels/workbook.xml.rels',
    );
    add(STYLES, 'xl/styles.xml');
    this.zip.end();
  }

  /** Stops writing (a cancelled or failed download): the streams are destroyed, nothing is held. */
  destroy(): void {
    this.sheet.destroy();
    this.output.destroy();
  }

  private openSheet(): PassThrough {
    const n = this.sheetNames.length + 1;
    const suffix = n === 1 ? '' : ` ${n}`;
    // Excel refuses a sheet name longer than 31 characters or holding any of []:*?/\.
    const base = this.book.name.replace(/[[\]:*?/\\]/g, '-');
    this.sheetNames.push(base.slice(0, 31 - suffix.length) + suffix);
    const sheet = new PassThrough();
    // A destroyed download must not turn into an unhandled 'error' event.
    sheet.on('error', () => undefined);
    this.zip.addReadStream(sheet, `xl/worksheets/sheet${n}.xml`, { mtime: this.mtime, compress: true });
    const { columns } = this.book;
    const widths = columns
      .map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width}" customWidth="1"/>`)
      .join('');
    sheet.write(
      `${XML_DECLARATION}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">` +
        // The header row stays in view while the staff scroll.
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>' +
        `<sheetFormatPr defaultRowHeight="15"/>${columns.length > 0 ? `<cols>${widths}</cols>` : ''}<sheetData>` +
        xlsxHeaderRow(columns.map((c) => c.header)),
    );
    return sheet;
  }

  private closeSheet(): void {
    this.sheet.end('</sheetData></worksheet>');
  }
}
