import type { ListQuery } from './list-query';

export type SortOrder = 'asc' | 'desc';
export type AriaSort = 'ascending' | 'descending' | null;

/**
 * `aria-sort` of a column header. With no `sort` in the query the list is sorted by `byDefault`
 * (if any), in the query's `order` or, when `defaultOrder` is `desc`, always descending.
 */
export function ariaSort(
  query: ListQuery,
  column: string,
  byDefault?: string,
  defaultOrder: SortOrder = 'asc',
): AriaSort {
  const sort = query['sort'];
  if (sort === undefined) {
    if (column !== byDefault) return null;
    if (defaultOrder === 'desc') return 'descending';
  } else if (sort !== column) {
    return null;
  }
  return query['order'] === 'desc' ? 'descending' : 'ascending';
}

/** The arrow shown beside a sorted column header. */
export function sortMark(sort: AriaSort): string {
  return sort === 'ascending' ? '▲' : sort === 'descending' ? '▼' : '';
}

/** The export link of a list: the same filters and search, without paging. */
export function exportUrl(base: string, filters: string, format: 'csv' | 'xlsx'): string {
  return `${base}/export?format=${format}${filters ? `&${filters}` : ''}`;
}
