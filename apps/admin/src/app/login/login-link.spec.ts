import { linkToken } from './login-link';

describe('sign-in link token', () => {
  it('is read from the fragment first, then from the query', () => {
    expect(linkToken('token=abc_DEF-123', null)).toBe('abc_DEF-123');
    expect(linkToken('token=from-fragment', 'from-query')).toBe('from-fragment');
    expect(linkToken(null, 'from-query')).toBe('from-query');
    expect(linkToken('', null)).toBeNull();
    expect(linkToken('other=1', null)).toBeNull();
  });
});
