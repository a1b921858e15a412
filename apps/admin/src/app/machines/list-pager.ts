import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';
import type { UrlListQuery } from '../core/list-query';

const PAGE_SIZES = [10, 25, 50, 100] as const;

/** Previous/next and page size of a list kept in the URL (the machines-side lists share it). */
@Component({
  selector: 'app-list-pager',
  imports: [TranslatePipe],
  styleUrl: './machines.css',
  template: `
    <nav class="pager" [attr.aria-label]="'machines.list.paging' | translate">
      <button
        type="button"
        [disabled]="list().page() <= 1"
        (click)="list().update({ page: list().page() - 1 })"
      >
        {{ 'machines.list.previous' | translate }}
      </button>
      <span>{{
        'machines.list.page-of' | translate: { page: list().page(), pages: pages(), total: total() }
      }}</span>
      <button
        type="button"
        [disabled]="list().page() >= pages()"
        (click)="list().update({ page: list().page() + 1 })"
      >
        {{ 'machines.list.next' | translate }}
      </button>
      <label>
        {{ 'machines.list.page-size' | translate }}
        <select (change)="setSize($event)">
          @for (size of sizes; track size) {
            <option [value]="size" [selected]="list().pageSize() === size">{{ size }}</option>
          }
        </select>
      </label>
    </nav>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ListPager {
  readonly list = input.required<UrlListQuery>();
  readonly total = input.required<number>();
  protected readonly sizes = PAGE_SIZES;
  protected readonly pages = computed(() => Math.max(1, Math.ceil(this.total() / this.list().pageSize())));

  protected setSize(event: Event): void {
    this.list().update({ pageSize: (event.target as HTMLSelectElement).value });
  }
}

/** `aria-sort` of a column header, given the list's default sort key. */
export function ariaSort(
  list: UrlListQuery,
  column: string,
  byDefault: string,
): 'ascending' | 'descending' | null {
  const query = list.query();
  if ((query['sort'] ?? byDefault) !== column) return null;
  return query['order'] === 'desc' ? 'descending' : 'ascending';
}

/** The arrow shown beside a sorted column header. */
export function sortMark(sort: 'ascending' | 'descending' | null): string {
  return sort === 'ascending' ? '▲' : sort === 'descending' ? '▼' : '';
}

/** The export link of a list: the same filters and search, without paging. */
export function exportUrl(base: string, filters: string, format: 'csv' | 'xlsx'): string {
  return `${base}/export?format=${format}${filters ? `&${filters}` : ''}`;
}
