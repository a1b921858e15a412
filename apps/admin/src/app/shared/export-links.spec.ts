import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { attachmentName } from '../core/download';
import { provideTranslateService } from '@ngx-translate/core';
import { ExportLinks } from './export-links';
import type { ListQuery } from './list-query';

@Component({
  imports: [ExportLinks],
  template: `
    <p class="exports" appExportLinks="/api/usage" [query]="query()" csv="x.export-csv" xlsx="x.export-xlsx">
      <button type="button">Add</button>
    </p>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class Host {
  readonly query = input<ListQuery>({});
}

describe('export links', () => {
  it('downloads what the list shows, without paging, and keeps what follows them', () => {
    TestBed.configureTestingModule({ providers: [provideTranslateService()] });
    const fixture = TestBed.createComponent(Host);
    fixture.componentRef.setInput('query', { q: 'rossi', page: '3', pageSize: '50', sort: 'name' });
    fixture.detectChanges();
    const host = (fixture.nativeElement as HTMLElement).querySelector('p.exports') as HTMLElement;
    const links = [...host.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual([
      '/api/usage/export?format=csv&q=rossi&sort=name',
      '/api/usage/export?format=xlsx&q=rossi&sort=name',
    ]);
    expect(links.every((a) => a.hasAttribute('download'))).toBe(true);
    expect(links.map((a) => a.textContent)).toEqual(['x.export-csv', 'x.export-xlsx']);
    expect(host.lastElementChild?.textContent).toBe('Add');

    fixture.componentRef.setInput('query', {});
    fixture.detectChanges();
    expect(host.querySelector('a')?.getAttribute('href')).toBe('/api/usage/export?format=csv');
  });
});

describe('export download', () => {
  const encoder = new TextEncoder();
  let pull: ((chunk: string | null) => void) | null = null;
  let fail: ((error: Error) => void) | null = null;

  /** A streamed response whose chunks the test hands over one by one. */
  function streamed(headers: Record<string, string>): Response {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        pull = (chunk) => (chunk === null ? controller.close() : controller.enqueue(encoder.encode(chunk)));
        fail = (error) => controller.error(error);
      },
    });
    return new Response(body, { status: 200, headers });
  }

  function setUp(response: () => Response | Promise<Response>) {
    vi.stubGlobal(
      'fetch',
      vi.fn((_url: string, init: RequestInit) => {
        init.signal?.addEventListener('abort', () => fail?.(new DOMException('aborted', 'AbortError')));
        return Promise.resolve(response());
      }),
    );
    TestBed.configureTestingModule({ providers: [provideTranslateService()] });
    const fixture = TestBed.createComponent(Host);
    fixture.detectChanges();
    const host = fixture.nativeElement as HTMLElement;
    const status = () => host.querySelector('[role="status"]')?.textContent?.trim();
    // The user's click on the CSV link (a real event: the anchors' click() is watched below).
    const clickCsv = () =>
      host.querySelector('a')?.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
    const settle = async () => {
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
      fixture.detectChanges();
    };
    return { fixture, host, status, settle, clickCsv };
  }

  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it("shows rows and bytes as they arrive, then saves the file under the server's name", async () => {
    const saved: { name: string; blob: Blob }[] = [];
    vi.stubGlobal(
      'URL',
      Object.assign(class extends URL {}, {
        createObjectURL: (blob: Blob) => {
          saved.push({ name: '', blob });
          return 'blob:test';
        },
        revokeObjectURL: () => undefined,
      }),
    );
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      const last = saved.at(-1);
      if (last && this.href === 'blob:test') last.name = this.download;
    });
    const { host, status, settle, clickCsv } = setUp(() =>
      streamed({
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="usage-2026-01-31.csv"',
      }),
    );
    clickCsv();
    await settle();
    expect(status()).toBe('export.progress-bytes');
    expect(host.querySelector('button')?.textContent).toBe('export.cancel');
    pull?.('\uFEFFMember,Machine\nLucia,Prusa\n');
    await settle();
    expect(status()).toBe('export.progress-rows');
    pull?.('Mario,Laser\n');
    pull?.(null);
    await settle();
    expect(status()).toBe('export.done');
    expect(saved.map((s) => s.name)).toEqual(['usage-2026-01-31.csv']);
    // Byte for byte, BOM included (Blob.text() would drop it).
    const bytes = await saved[0]?.blob.arrayBuffer();
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)).toBe(
      '\uFEFFMember,Machine\nLucia,Prusa\nMario,Laser\n',
    );
    expect(host.querySelectorAll('button')).toHaveLength(1);
  });

  it('cancels a download: nothing is saved', async () => {
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click');
    const { host, status, settle, clickCsv } = setUp(() =>
      streamed({ 'content-type': 'application/octet-stream' }),
    );
    clickCsv();
    await settle();
    pull?.('PK');
    await settle();
    (host.querySelector('button') as HTMLButtonElement).click();
    await settle();
    expect(status()).toBe('export.cancelled');
    // No file handed to the browser.
    expect(click).not.toHaveBeenCalled();
  });

  it('a download the server breaks off is a failure, never a saved file', async () => {
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click');
    const { status, settle, clickCsv } = setUp(() => streamed({ 'content-type': 'text/csv' }));
    clickCsv();
    await settle();
    pull?.('a\n1\n');
    fail?.(new TypeError('network error'));
    await settle();
    expect(status()).toBe('export.failed');
    expect(click).not.toHaveBeenCalled();
  });

  it('a refusal before the download shows the translated error', async () => {
    const { status, settle, clickCsv } = setUp(
      () => new Response(JSON.stringify({ code: 'FORBIDDEN' }), { status: 403 }),
    );
    clickCsv();
    await settle();
    expect(status()).toBe('errors.FORBIDDEN');
  });

  it('reads the file name from content-disposition', () => {
    expect(attachmentName('attachment; filename="roles-2026-01-31.xlsx"', 'x')).toBe('roles-2026-01-31.xlsx');
    expect(attachmentName(null, 'export.csv')).toBe('export.csv');
  });
});
