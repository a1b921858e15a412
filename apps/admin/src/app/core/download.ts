/** What a download has received so far: bytes, and rows when they can be counted (CSV). */
export interface DownloadProgress {
  readonly bytes: number;
  readonly rows: number | null;
}

/** A finished download: the server's file name and the file. */
export interface DownloadedFile {
  readonly filename: string;
  readonly blob: Blob;
}

/** A refusal from the API before the file started (its translatable code), or a broken download. */
export class DownloadError extends Error {
  constructor(readonly code: string | null) {
    super(code ?? 'download failed');
    this.name = 'DownloadError';
  }
}

const NEWLINE = 0x0a;

/** The file name of `content-disposition: attachment; filename="usage-2026-01-31.csv"`. */
export function attachmentName(header: string | null, fallback: string): string {
  const match = /filename="?([^";]+)"?/i.exec(header ?? '');
  return match?.[1]?.trim() || fallback;
}

/**
 * Downloads `url` chunk by chunk, reporting progress, so that a long export shows how far it is
 * and can be cancelled (`signal`). A download cut short (the server gave up, the network broke)
 * rejects: a partial file is never saved. CSV rows are counted as lines after the header.
 */
export async function download(
  url: string,
  signal: AbortSignal,
  onProgress: (progress: DownloadProgress) => void,
): Promise<DownloadedFile> {
  const response = await fetch(url, { signal, credentials: 'same-origin' });
  if (!response.ok || !response.body) {
    const body = (await response.json().catch(() => null)) as { code?: unknown } | null;
    throw new DownloadError(typeof body?.code === 'string' ? body.code : null);
  }
  const type = response.headers.get('content-type') ?? '';
  const csv = type.startsWith('text/csv');
  const reader = response.body.getReader();
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let bytes = 0;
  let lines = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    bytes += value.byteLength;
    if (csv) for (const byte of value) if (byte === NEWLINE) lines++;
    onProgress({ bytes, rows: csv ? Math.max(0, lines - 1) : null });
  }
  const fallback = url.includes('format=xlsx') ? 'export.xlsx' : 'export.csv';
  return {
    filename: attachmentName(response.headers.get('content-disposition'), fallback),
    blob: new Blob(parts, { type }),
  };
}

/** Hands a downloaded file to the browser, under the server's name. */
export function saveFile(file: DownloadedFile, document: Document): void {
  const url = URL.createObjectURL(file.blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = file.filename;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file once the click's default action ran.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
