import { convertToParamMap } from '@angular/router';
import { formFields, listQueryString, patchListQuery, readListQuery, sortListQuery } from './list-query';

describe('list query in the URL', () => {
  it('keeps only known keys with values', () => {
    const params = convertToParamMap({ q: ' rossi ', page: '2', roleId: '3', evil: 'x', disabled: '' });
    expect(readListQuery(params, ['roleId', 'disabled'])).toEqual({ q: 'rossi', page: '2', roleId: '3' });
  });

  it('goes back to page 1 when anything but the page changes, and drops cleared keys', () => {
    expect(patchListQuery({ q: 'a', page: '7' }, { q: 'b' })).toEqual({ q: 'b' });
    expect(patchListQuery({ q: 'a', page: '7' }, { page: 8 })).toEqual({ q: 'a', page: '8' });
    expect(patchListQuery({ q: 'a', roleId: '2' }, { roleId: null, q: '' })).toEqual({});
    expect(patchListQuery({ page: '3' }, { page: 1 })).toEqual({});
  });

  it('keeps the cursor of a history page with its page only, and reads page 1 without one', () => {
    expect(readListQuery(convertToParamMap({ cursor: 'abc', page: '2' }), [])).toEqual({
      cursor: 'abc',
      page: '2',
    });
    expect(patchListQuery({ q: 'a' }, { page: 2, cursor: 'next' })).toEqual({
      q: 'a',
      page: '2',
      cursor: 'next',
    });
    expect(patchListQuery({ q: 'a', page: '2', cursor: 'next' }, { q: 'b' })).toEqual({ q: 'b' });
    expect(patchListQuery({ page: '3', cursor: 'x' }, { pageSize: 50 })).toEqual({ pageSize: '50' });
    expect(patchListQuery({ page: '2', cursor: 'x' }, { page: 1, cursor: 'prev' })).toEqual({});
    expect(listQueryString({ q: 'a', page: '2', cursor: 'x', pageSize: '50' })).toBe('q=a');
  });

  it('sorts ascending by a new column and flips on the same one', () => {
    expect(sortListQuery({}, 'name')).toEqual({ sort: 'name' });
    expect(sortListQuery({ sort: 'name' }, 'name')).toEqual({ sort: 'name', order: 'desc' });
    expect(sortListQuery({ sort: 'name', order: 'desc' }, 'name')).toEqual({ sort: 'name' });
    expect(sortListQuery({ sort: 'name', order: 'desc', page: '4' }, 'email')).toEqual({ sort: 'email' });
  });

  it('reads the trimmed text of a filter form, null for a field it lacks', () => {
    const form = document.createElement('form');
    form.innerHTML =
      '<input name="q" value="  rossi "><input name="from" type="date" value=""><select name="x"></select>';
    expect(formFields(form, ['q', 'from', 'to'])).toEqual({ q: 'rossi', from: '', to: null });
  });
});
