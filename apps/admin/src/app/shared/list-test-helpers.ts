import { computed, signal } from '@angular/core';
import { type ListQuery, patchListQuery, sortListQuery, type UrlListQuery } from './list-query';

/** A `UrlListQuery` held in a signal instead of the URL, for unit tests of list pieces. */
export function fakeListQuery(initial: ListQuery = {}): UrlListQuery & { set(query: ListQuery): void } {
  const query = signal(initial);
  return {
    query,
    page: computed(() => Number(query()['page']) || 1),
    pageSize: computed(() => Number(query()['pageSize']) || 25),
    update: (patch) => query.set(patchListQuery(query(), patch)),
    sortBy: (key) => query.set(sortListQuery(query(), key)),
    search: () => undefined,
    filter: () => undefined,
    set: (next) => query.set(next),
  };
}
