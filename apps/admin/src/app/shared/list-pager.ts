import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';

const PAGE_SIZES = [10, 25, 50, 100] as const;

/** Where the pager goes: a page number, and for a history list the cursor that reads it. */
export interface PageMove {
  readonly page: number;
  readonly cursor?: string;
}

/**
 * Previous/next and page size of a server-side paged list; the page that owns the list applies the
 * changes. History lists (the API gives cursors) go next/previous by cursor, and may say only that
 * there are more than `total` rows (`totalExact` false): then the pager shows no page count.
 */
@Component({
  selector: 'app-list-pager',
  imports: [TranslatePipe],
  template: `
    <nav class="pager" [attr.aria-label]="'paging.label' | translate">
      <button type="button" [disabled]="!hasPrevious()" (click)="go(-1)">
        {{ 'paging.previous' | translate }}
      </button>
      @if (totalExact()) {
        <span>{{ pageOf() | translate: { page: page(), pages: pages(), total: total() } }}</span>
      } @else {
        <span>{{ 'paging.page-of-many' | translate: { page: page(), total: total() } }}</span>
      }
      <button type="button" [disabled]="!hasNext()" (click)="go(1)">
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
      background: var(--surface);
      color: var(--accent);
      cursor: pointer;
    }
    button:disabled {
      opacity: 0.5;
      cursor: default;
    }
    select {
      padding: 0.4rem;
      border: 1px solid var(--control-border);
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
  /** False when the list stopped counting: `total` is a lower bound. */
  readonly totalExact = input(true);
  /** A history list's cursors (null at an end); undefined: the list pages by number. */
  readonly nextCursor = input<string | null | undefined>(undefined);
  readonly prevCursor = input<string | null | undefined>(undefined);
  readonly pageChange = output<PageMove>();
  readonly pageSizeChange = output<number>();
  protected readonly sizes = PAGE_SIZES;
  protected readonly pages = computed(() => Math.max(1, Math.ceil(this.total() / this.pageSize())));
  protected readonly hasPrevious = computed(() => {
    const cursor = this.prevCursor();
    return cursor === undefined ? this.page() > 1 : cursor !== null;
  });
  protected readonly hasNext = computed(() => {
    const cursor = this.nextCursor();
    return cursor === undefined ? this.page() < this.pages() : cursor !== null;
  });

  protected go(step: 1 | -1): void {
    const cursor = step === 1 ? this.nextCursor() : this.prevCursor();
    const page = Math.max(1, this.page() + step);
    this.pageChange.emit(typeof cursor === 'string' ? { page, cursor } : { page });
  }

  protected setSize(event: Event): void {
    this.pageSizeChange.emit(Number((event.target as HTMLSelectElement).value));
  }
}
