import type { UrlListQuery } from './list-query';

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
