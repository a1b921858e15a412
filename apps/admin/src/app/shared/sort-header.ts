import { ChangeDetectionStrategy, Component, computed, Directive, inject, input } from '@angular/core';
import { ariaSort, type SortOrder, sortMark } from './list-columns';
import type { UrlListQuery } from './list-query';

/**
 * A table whose headers sort a list kept in the URL: `<table [appSortable]="list" sortDefault="name">`.
 * Its `th[appSortHeader]` cells read how the list is sorted from here.
 */
@Directive({ selector: 'table[appSortable]' })
export class SortableTable {
  readonly list = input.required<UrlListQuery>({ alias: 'appSortable' });
  /** The column the API sorts by when the URL names none. */
  readonly sortDefault = input<string>();
  /** The order of that default sort when the URL names no column (`desc`: newest first). */
  readonly sortDefaultOrder = input<SortOrder>('asc');
  /** Whether the sorted column shows ▲ or ▼ beside its name. */
  readonly sortMarks = input(true);

  ariaSort(column: string): ReturnType<typeof ariaSort> {
    return ariaSort(this.list().query(), column, this.sortDefault(), this.sortDefaultOrder());
  }

  sortBy(column: string): void {
    this.list().sortBy(column);
  }
}

/**
 * A sortable column header: `<th scope="col" appSortHeader="name">Name</th>` inside a
 * `table[appSortable]`. Its content becomes a button that sorts by the column (again: the other way),
 * and the cell carries `aria-sort` while the list is sorted by it.
 */
@Component({
  selector: 'th[appSortHeader]',
  host: { '[attr.aria-sort]': 'sort()' },
  styleUrl: './page.css',
  template: `
    <button type="button" class="sort" (click)="table.sortBy(column())">
      <ng-content />
      @if (table.sortMarks()) {
        &ngsp;<span aria-hidden="true">{{ mark() }}</span>
      }
    </button>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SortHeader {
  protected readonly table = inject(SortableTable);
  readonly column = input.required<string>({ alias: 'appSortHeader' });
  protected readonly sort = computed(() => this.table.ariaSort(this.column()));
  protected readonly mark = computed(() => sortMark(this.sort()));
}
