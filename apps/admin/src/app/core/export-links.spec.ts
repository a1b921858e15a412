import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { TestBed } from '@angular/core/testing';
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
