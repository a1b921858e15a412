import { ariaSort, exportUrl, sortMark } from './list-columns';

describe('list columns', () => {
  it('says which column sorts the list, and how', () => {
    expect(ariaSort({ sort: 'email' }, 'email')).toBe('ascending');
    expect(ariaSort({ sort: 'email', order: 'desc' }, 'email')).toBe('descending');
    expect(ariaSort({ sort: 'email' }, 'name', 'name')).toBeNull();
  });

  it('falls back on the default column when the query names none', () => {
    expect(ariaSort({}, 'name', 'name')).toBe('ascending');
    expect(ariaSort({ order: 'desc' }, 'name', 'name')).toBe('descending');
    expect(ariaSort({}, 'email', 'name')).toBeNull();
    expect(ariaSort({}, 'name')).toBeNull();
  });

  it('keeps a descending default whatever the order says', () => {
    expect(ariaSort({}, 'startedAt', 'startedAt', 'desc')).toBe('descending');
    expect(ariaSort({ order: 'asc' }, 'startedAt', 'startedAt', 'desc')).toBe('descending');
    expect(ariaSort({ sort: 'startedAt' }, 'startedAt', 'startedAt', 'desc')).toBe('ascending');
  });

  it('marks the sorted column and builds export links', () => {
    expect([sortMark('ascending'), sortMark('descending'), sortMark(null)]).toEqual(['▲', '▼', '']);
    expect(exportUrl('/api/machines', '', 'csv')).toBe('/api/machines/export?format=csv');
    expect(exportUrl('/api/machines', 'q=a&typeId=2', 'xlsx')).toBe(
      '/api/machines/export?format=xlsx&q=a&typeId=2',
    );
  });
});
