import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';
import { explainError } from '../core/api-error';
import { ListPager } from './list-pager';
import type { UrlListQuery } from './list-query';
import { MessagePipe } from './message';

/** Query keys that page or order a list without narrowing it. */
const PAGING_ONLY = new Set(['page', 'pageSize', 'sort', 'order', 'cursor']);

/** What a list page loads: a page of items (an `httpResource` of `Page<T>`). */
export interface ListResource {
  error(): unknown;
  hasValue(): boolean;
  value():
    | {
        readonly items: readonly unknown[];
        readonly total: number;
        readonly totalExact?: boolean;
        readonly nextCursor?: string | null;
        readonly prevCursor?: string | null;
      }
    | undefined;
  reload(): unknown;
}

/**
 * The states of a loaded list around its table: the load error with a retry button, loading, the
 * empty message, or the content (the table) followed by the pager.
 */
@Component({
  selector: 'app-list-state',
  imports: [TranslatePipe, MessagePipe, ListPager],
  styleUrl: './page.css',
  styles: `
    :host {
      display: contents;
    }
  `,
  template: `
    @if (resource().error(); as error) {
      <p class="error" role="alert">
        {{ loadError() | translate }} {{ explainError(error) | message }}
        <button type="button" (click)="resource().reload()">{{ retry() | translate }}</button>
      </p>
    } @else if (page(); as page) {
      @if (page.items.length === 0 && empty()) {
        <p class="empty" role="status">{{ (searched() ? emptySearch() : empty()) | translate }}</p>
      } @else {
        <ng-content />
      }
      <app-list-pager
        [page]="list().page()"
        [pageSize]="list().pageSize()"
        [total]="page.total"
        [totalExact]="page.totalExact ?? true"
        [nextCursor]="page.nextCursor"
        [prevCursor]="page.prevCursor"
        [pageOf]="pageOf()"
        (pageChange)="list().update({ page: $event.page, cursor: $event.cursor })"
        (pageSizeChange)="list().update({ pageSize: $event })"
      />
    } @else {
      <p role="status">{{ loading() | translate }}</p>
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ListState {
  readonly resource = input.required<ListResource>();
  /** The list whose paging the pager changes. */
  readonly list = input.required<UrlListQuery>();
  /** Translation keys: before the reason of a load error, its retry button, while loading. */
  readonly loadError = input.required<string>();
  readonly retry = input('paging.retry');
  readonly loading = input('paging.loading');
  /**
   * Translation key shown instead of the content when the list is empty and nothing is searched or
   * filtered ("no members yet"); none: the content shows.
   */
  readonly empty = input<string>();
  /** Translation key shown instead when a search or filter is set and nothing matches it. */
  readonly emptySearch = input('activity.empty');
  /** Whether the list's query narrows it (a search text or a filter, not just paging and order). */
  protected readonly searched = computed(() =>
    Object.keys(this.list().query()).some((key) => !PAGING_ONLY.has(key)),
  );
  /** Translation key of the pager's "page 1 of 3 (42 …)". */
  readonly pageOf = input('paging.page-of');
  protected readonly explainError = explainError;
  /** The last page loaded. */
  protected readonly page = computed(() => {
    const resource = this.resource();
    return resource.hasValue() ? resource.value() : undefined;
  });
}
