import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideTranslateService } from '@ngx-translate/core';
import { fakeListQuery } from './list-test-helpers';
import { type ListResource, ListState } from './list-state';

type Loaded = {
  items: readonly string[];
  total: number;
  totalExact?: boolean;
  nextCursor?: string | null;
  prevCursor?: string | null;
};

/** A resource whose state the test sets. */
function fakeResource() {
  const value = signal<Loaded | undefined>(undefined);
  const error = signal<unknown>(undefined);
  let reloads = 0;
  const resource: ListResource = {
    error,
    value,
    hasValue: () => value() !== undefined,
    reload: () => ++reloads,
  };
  return { resource, value, error, reloads: () => reloads };
}

@Component({
  imports: [ListState],
  template: `
    <app-list-state
      [resource]="source.resource"
      [list]="list"
      loadError="x.load-error"
      retry="x.retry"
      loading="x.loading"
      empty="x.empty"
      emptySearch="x.no-match"
    >
      <table>
        <caption>
          Rows
        </caption>
      </table>
    </app-list-state>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class Host {
  readonly source = fakeResource();
  readonly list = fakeListQuery({ page: '2', pageSize: '10' });
}

describe('list state', () => {
  const setUp = () => {
    TestBed.configureTestingModule({ providers: [provideTranslateService()] });
    const fixture = TestBed.createComponent(Host);
    fixture.detectChanges();
    const root = fixture.nativeElement as HTMLElement;
    const text = (selector: string) => root.querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim();
    return { fixture, root, text, host: fixture.componentInstance };
  };

  it('says it is loading until the first page comes', () => {
    const { root, text } = setUp();
    expect(text('[role="status"]')).toBe('x.loading');
    expect(root.querySelector('table')).toBeNull();
    expect(root.querySelector('app-list-pager')).toBeNull();
  });

  it('shows the content and the pager of a loaded page', () => {
    const { fixture, root, host } = setUp();
    host.source.value.set({ items: ['a', 'b'], total: 42 });
    fixture.detectChanges();
    expect(root.querySelector('table caption')?.textContent?.trim()).toBe('Rows');
    expect(root.querySelector('[role="status"]')).toBeNull();
    const next = [...root.querySelectorAll('app-list-pager button')].at(-1) as HTMLButtonElement;
    next.click();
    expect(host.list.query()).toEqual({ page: '3', pageSize: '10' });
  });

  it('pages a history list by its cursors, without a page count when it stopped counting', () => {
    const { fixture, root, text, host } = setUp();
    const buttons = () => [...root.querySelectorAll('app-list-pager button')] as HTMLButtonElement[];
    host.source.value.set({
      items: ['a'],
      total: 1000,
      totalExact: false,
      nextCursor: 'n2',
      prevCursor: 'p2',
    });
    fixture.detectChanges();
    expect(text('app-list-pager span')).toBe('paging.page-of-many');
    buttons().at(-1)?.click();
    expect(host.list.query()).toEqual({ page: '3', pageSize: '10', cursor: 'n2' });
    host.list.set({ page: '2', pageSize: '10', cursor: 'x' });
    buttons()[0]?.click();
    // Back to the first page: read afresh, without a cursor.
    expect(host.list.query()).toEqual({ pageSize: '10' });
    host.source.value.set({ items: ['a'], total: 3, totalExact: true, nextCursor: null, prevCursor: null });
    fixture.detectChanges();
    expect(buttons().map((b) => b.disabled)).toEqual([true, true]);
    expect(text('app-list-pager span')).toBe('paging.page-of');
  });

  it('says the list is empty instead of the content, keeping the pager', () => {
    const { fixture, root, text, host } = setUp();
    host.source.value.set({ items: [], total: 0 });
    fixture.detectChanges();
    expect(text('p.empty[role="status"]')).toBe('x.empty');
    expect(root.querySelector('table')).toBeNull();
    expect(root.querySelector('app-list-pager')).not.toBeNull();
  });

  it('says "nothing matches" instead when a search or filter is set', () => {
    const { fixture, text, host } = setUp();
    host.source.value.set({ items: [], total: 0 });
    host.list.set({ pageSize: '10', sort: 'name', order: 'desc' });
    fixture.detectChanges();
    expect(text('p.empty[role="status"]')).toBe('x.empty');
    host.list.set({ pageSize: '10', q: 'rossi' });
    fixture.detectChanges();
    expect(text('p.empty[role="status"]')).toBe('x.no-match');
    host.list.set({ machineId: '3' });
    fixture.detectChanges();
    expect(text('p.empty[role="status"]')).toBe('x.no-match');
  });

  it('shows a load error as an alert with a retry button', () => {
    const { fixture, root, text, host } = setUp();
    host.source.error.set(new Error('down'));
    fixture.detectChanges();
    expect(text('p.error[role="alert"]')).toBe('x.load-error errors.INTERNAL_ERROR x.retry');
    (root.querySelector('p.error button') as HTMLButtonElement).click();
    expect(host.source.reloads()).toBe(1);
    expect(root.querySelector('table')).toBeNull();
  });
});
