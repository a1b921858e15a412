import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { SortOrder } from './list-columns';
import type { UrlListQuery } from './list-query';
import { fakeListQuery } from './list-test-helpers';
import { SortableTable, SortHeader } from './sort-header';

@Component({
  imports: [SortableTable, SortHeader],
  template: `
    <table [appSortable]="list()" sortDefault="name" [sortDefaultOrder]="order()" [sortMarks]="marks()">
      <thead>
        <tr>
          <th scope="col" appSortHeader="name">Name</th>
          <th scope="col" class="num" appSortHeader="hours">Hours</th>
        </tr>
      </thead>
    </table>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class Host {
  readonly list = input.required<UrlListQuery>();
  readonly order = input<SortOrder>('asc');
  readonly marks = input(true);
}

describe('sortable column headers', () => {
  const setUp = (inputs: Record<string, unknown> = {}) => {
    const list = fakeListQuery();
    const fixture = TestBed.createComponent(Host);
    fixture.componentRef.setInput('list', list);
    for (const [key, value] of Object.entries(inputs)) fixture.componentRef.setInput(key, value);
    fixture.detectChanges();
    const headers = () => [...(fixture.nativeElement as HTMLElement).querySelectorAll('th')];
    const button = (index: number) => headers()[index].querySelector('button') as HTMLButtonElement;
    const click = (index: number) => {
      button(index).click();
      fixture.detectChanges();
    };
    return { list, headers, button, click, fixture };
  };

  it('keeps the cell a column header with aria-sort, and its name in a sort button', () => {
    const { headers, button } = setUp();
    expect(headers().map((th) => th.getAttribute('scope'))).toEqual(['col', 'col']);
    expect(headers()[1].classList.contains('num')).toBe(true);
    expect(headers()[0].getAttribute('aria-sort')).toBe('ascending');
    expect(headers()[1].hasAttribute('aria-sort')).toBe(false);
    expect(button(0).type).toBe('button');
    expect(button(0).classList.contains('sort')).toBe(true);
    expect(button(0).textContent?.replace(/\s+/g, ' ').trim()).toBe('Name ▲');
    expect(button(0).querySelector('span')?.getAttribute('aria-hidden')).toBe('true');
  });

  it('sorts by a column, then the other way', () => {
    const { list, headers, click, button } = setUp();
    click(1);
    expect(list.query()).toEqual({ sort: 'hours' });
    expect(headers()[0].hasAttribute('aria-sort')).toBe(false);
    expect(headers()[1].getAttribute('aria-sort')).toBe('ascending');
    click(1);
    expect(list.query()).toEqual({ sort: 'hours', order: 'desc' });
    expect(headers()[1].getAttribute('aria-sort')).toBe('descending');
    expect(button(1).textContent).toContain('▼');
  });

  it('can leave the marks out and sort newest first by default', () => {
    const { headers, button } = setUp({ order: 'desc', marks: false });
    expect(headers()[0].getAttribute('aria-sort')).toBe('descending');
    expect(button(0).querySelector('span')).toBeNull();
    expect(button(0).textContent?.trim()).toBe('Name');
  });
});
