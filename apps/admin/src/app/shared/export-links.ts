import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, input, signal } from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';
import { type DownloadProgress, DownloadError, download, saveFile } from '../core/download';
import { exportUrl } from './list-columns';
import { type ListQuery, listQueryString } from './list-query';

type ExportState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running'; readonly progress: DownloadProgress }
  | { readonly kind: 'done'; readonly filename: string }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'failed'; readonly key: string };

/** 1234567 → "1.2 MB", in the browser's number format. */
function size(bytes: number): string {
  const [value, unit] =
    bytes >= 1e6 ? [bytes / 1e6, 'MB'] : bytes >= 1e3 ? [bytes / 1e3, 'kB'] : [bytes, 'B'];
  return `${value.toLocaleString(undefined, { maximumFractionDigits: 1 })} ${unit}`;
}

/**
 * The CSV and Excel downloads of a list, with the same filters and search as shown (paging dropped):
 * `<p class="exports" appExportLinks="/api/machines" [query]="list.query()" csv="…" xlsx="…">`.
 * Anything inside the element follows the two links.
 *
 * An export streams every row, so a big one takes a while: a click downloads it here, saying how much
 * has arrived (announced politely to screen readers) with a cancel button, then saves the file under
 * the server's name. The links stay real links (open in a new tab, copy the address).
 */
@Component({
  selector: '[appExportLinks]',
  imports: [TranslatePipe],
  template: `
    <a [href]="link('csv')" download (click)="start($event, 'csv')">{{ csv() | translate }}</a>
    <a [href]="link('xlsx')" download (click)="start($event, 'xlsx')">{{ xlsx() | translate }}</a>
    <span class="export-status" role="status" aria-live="polite">
      @switch (state().kind) {
        @case ('running') {
          @if (progress(); as p) {
            @if (p.rows !== null) {
              {{ 'export.progress-rows' | translate: { rows: p.rows.toLocaleString(), size: size(p.bytes) } }}
            } @else {
              {{ 'export.progress-bytes' | translate: { size: size(p.bytes) } }}
            }
          }
        }
        @case ('done') {
          {{ 'export.done' | translate: { file: filename() } }}
        }
        @case ('cancelled') {
          {{ 'export.cancelled' | translate }}
        }
        @case ('failed') {
          {{ failure() | translate }}
        }
      }
    </span>
    @if (state().kind === 'running') {
      <button type="button" (click)="cancel()">{{ 'export.cancel' | translate }}</button>
    }
    <ng-content />
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ExportLinks {
  /** The list's API address, such as `/api/machines`. */
  readonly base = input.required<string>({ alias: 'appExportLinks' });
  readonly query = input.required<ListQuery>();
  /** Translation keys of the two links. */
  readonly csv = input.required<string>();
  readonly xlsx = input.required<string>();

  protected readonly state = signal<ExportState>({ kind: 'idle' });
  protected readonly size = size;
  private readonly document = inject(DOCUMENT);
  private running: AbortController | null = null;

  constructor() {
    // Leaving the page stops the download (and the server's reads).
    inject(DestroyRef).onDestroy(() => this.running?.abort());
  }

  protected link(format: 'csv' | 'xlsx'): string {
    return exportUrl(this.base(), listQueryString(this.query()), format);
  }

  protected progress(): DownloadProgress | null {
    const state = this.state();
    return state.kind === 'running' ? state.progress : null;
  }

  protected filename(): string {
    const state = this.state();
    return state.kind === 'done' ? state.filename : '';
  }

  protected failure(): string {
    const state = this.state();
    return state.kind === 'failed' ? state.key : '';
  }

  protected async start(event: MouseEvent, format: 'csv' | 'xlsx'): Promise<void> {
    // Ctrl/⌘/Shift-click and the middle button keep the browser's own behaviour (new tab, window).
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    this.state.set({ kind: 'running', progress: { bytes: 0, rows: null } });
    try {
      const file = await download(this.link(format), controller.signal, (progress) => {
        if (this.running === controller) this.state.set({ kind: 'running', progress });
      });
      if (this.running !== controller) return;
      saveFile(file, this.document);
      this.state.set({ kind: 'done', filename: file.filename });
    } catch (error) {
      if (this.running !== controller) return;
      if (controller.signal.aborted) this.state.set({ kind: 'cancelled' });
      else {
        const code = error instanceof DownloadError ? error.code : null;
        this.state.set({ kind: 'failed', key: code ? `errors.${code}` : 'export.failed' });
      }
    } finally {
      if (this.running === controller) this.running = null;
    }
  }

  protected cancel(): void {
    this.running?.abort();
  }
}
