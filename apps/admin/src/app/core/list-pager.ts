import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';

const PAGE_SIZES = [10, 25, 50, 100] as const;

/** Previous/next and page size of a server-side paged list; the page that owns the list applies the changes. */
@Component({
  selector: 'app-list-pager',
  imports: [TranslatePipe],
  template: `
    <nav class="pager" [attr.aria-label]="'paging.label' | translate">
      <button type="button" [disabled]="page() <= 1" (click)="pageChange.emit(page() - 1)">
        {{ 'paging.previous' | translate }}
      </button>
      <span>{{ pageOf() | translate: { page: page(), pages: pages(), total: total() } }}</span>
      <button type="button" [disabled]="page() >= pages()" (click)="pageChange.emit(page() + 1)">
        {{ 'paging.next' | translate }}
      </button>
      <label>
        {{ 'paging.page-size' | translate }}
        <select (change)="setSize($event)">
          @for (size of sizes; track size) {
            <option [value]="size" [selected]="pageSize() === size">{{ size }}</option>
          }
        </select>
      </label>
    </nav>
  `,
  styles: `
    .pager {
      display: flex;
      flex-wrap: wrap;
      gap: 0.75rem;
      align-items: flex-end;
      margin: 1rem 0;
    }
    label {
      display: flex;
      flex-direction: column;
      gap: 0.2rem;
    }
    button {
      padding: 0.45rem 0.9rem;
      border: 1px solid var(--accent);
      border-radius: 0.4rem;
      background: #fff;
      color: var(--accent);
      cursor: pointer;
    }
    button:disabled {
      opacity: 0.5;
      cursor: default;
    }
    select {
      padding: 0.4rem;
      border: 1px solid #6b7280;
      border-radius: 0.3rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ListPager {
  readonly page = input.required<number>();
  readonly pageSize = input.required<number>();
  readonly total = input.required<number>();
  /** Translation key of "page 1 of 3 (42 …)", for a list that names what it counts. */
  readonly pageOf = input('paging.page-of');
  readonly pageChange = output<number>();
  readonly pageSizeChange = output<number>();
  protected readonly sizes = PAGE_SIZES;
  protected readonly pages = computed(() => Math.max(1, Math.ceil(this.total() / this.pageSize())));

  protected setSize(event: Event): void {
    this.pageSizeChange.emit(Number((event.target as HTMLSelectElement).value));
  }
}
