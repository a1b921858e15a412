import { computed, inject, type Signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, type ParamMap, Router } from '@angular/router';
import { DEFAULT_PAGE_SIZE } from '@fabomatic/contracts';

/**
 * A list's query as the API takes it: `page`, `pageSize`, `sort`, `order`, `q`, the `cursor` of a
 * history list's page, and the list's filters.
 */
export type ListQuery = Readonly<Record<string, string>>;
export type ListQueryPatch = Readonly<Record<string, string | number | boolean | null | undefined>>;

const PAGING_KEYS = ['page', 'pageSize', 'sort', 'order', 'q', 'cursor'] as const;

/** The list query held in URL params: only the known keys, empty values dropped. */
export function readListQuery(params: ParamMap, filters: readonly string[]): ListQuery {
  const query: Record<string, string> = {};
  for (const key of [...PAGING_KEYS, ...filters]) {
    const value = params.get(key)?.trim();
    if (value) query[key] = value;
  }
  return query;
}

/**
 * A query with a change applied: null, undefined and '' remove a key, and any change other than
 * the page itself goes back to the first page (page 7 of an old search means nothing). A cursor
 * belongs to the page it was given with: any other change drops it, and so does the first page
 * (read without one, it also shows what arrived since).
 */
export function patchListQuery(query: ListQuery, patch: ListQueryPatch): ListQuery {
  const next: Record<string, string> = { ...query };
  if (!('page' in patch)) delete next['page'];
  if (!('cursor' in patch)) delete next['cursor'];
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || value === undefined || value === '') delete next[key];
    else next[key] = String(value);
  }
  if (next['page'] === '1') {
    delete next['page'];
    delete next['cursor'];
  }
  return next;
}

/** Sorting by a column: a new column sorts ascending, the same column again flips the order. */
export function sortListQuery(query: ListQuery, key: string): ListQuery {
  const descending = query['sort'] === key && query['order'] !== 'desc';
  return patchListQuery(query, { sort: key, order: descending ? 'desc' : null });
}

/** `a=1&b=2`, for links such as exports that carry the same filters (paging dropped). */
export function listQueryString(
  query: ListQuery,
  omit: readonly string[] = ['page', 'pageSize', 'cursor'],
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (!omit.includes(key)) params.set(key, value);
  return params.toString();
}

/** The trimmed text of the named fields of a submitted filter form, as a change ('' clears a key). */
export function formFields(form: HTMLFormElement, keys: readonly string[]): ListQueryPatch {
  const data = new FormData(form);
  const patch: Record<string, string | null> = {};
  for (const key of keys) {
    const value = data.get(key);
    patch[key] = typeof value === 'string' ? value.trim() : null;
  }
  return patch;
}

export interface UrlListQuery {
  /** The query in the URL now. */
  readonly query: Signal<ListQuery>;
  readonly page: Signal<number>;
  readonly pageSize: Signal<number>;
  /** Applies a change by navigating: reload and the back button keep the list as it was. */
  update(patch: ListQueryPatch): void;
  sortBy(key: string): void;
  /** The submit of a filter form: applies the text of its `keys` fields (`q` alone by default). */
  search(event: Event, keys?: readonly string[]): void;
  /** The change of a filter select (or input): sets `key` to its value, '' clearing it. */
  filter(key: string, event: Event): void;
}

/** The list query of the current route, kept in its URL query params. Call in an injection context. */
export function injectListQuery(filters: readonly string[]): UrlListQuery {
  const route = inject(ActivatedRoute);
  const router = inject(Router);
  const params = toSignal(route.queryParamMap, { requireSync: true });
  const query = computed(() => readListQuery(params(), filters), {
    equal: (a, b) => listQueryString(a, []) === listQueryString(b, []),
  });
  const go = (next: ListQuery) => void router.navigate([], { relativeTo: route, queryParams: next });
  return {
    query,
    page: computed(() => Math.max(1, Number(query()['page']) || 1)),
    pageSize: computed(() => Number(query()['pageSize']) || DEFAULT_PAGE_SIZE),
    update: (patch) => go(patchListQuery(query(), patch)),
    sortBy: (key) => go(sortListQuery(query(), key)),
    search: (event, keys = ['q']) => {
      event.preventDefault();
      go(patchListQuery(query(), formFields(event.target as HTMLFormElement, keys)));
    },
    filter: (key, event) =>
      go(patchListQuery(query(), { [key]: (event.target as HTMLInputElement | HTMLSelectElement).value })),
  };
}
