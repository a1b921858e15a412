import { HttpClient, httpResource } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { getRequest } from './api-request';
import { answer, apiUnderTest } from './api-test-helpers';

describe('a feature client’s request for an httpResource', () => {
  it('is a GET of the URL with the query as parameters', async () => {
    const { http } = apiUnderTest(HttpClient);
    const resource = TestBed.runInInjectionContext(() =>
      httpResource<{ total: number }>(() => getRequest('/api/things', { q: 'ada', page: 2, open: true })),
    );
    TestBed.tick();
    answer(http, 'GET', '/api/things?q=ada&page=2&open=true', { total: 1 });
    await Promise.resolve();
    TestBed.tick();
    expect(resource.value()).toEqual({ total: 1 });
    http.verify();
  });

  it('copies the query, so a later change to it is not sent', () => {
    const query: Record<string, string> = { q: 'ada' };
    const request = getRequest('/api/things', query);
    query['q'] = 'bob';
    expect(request).toEqual({ url: '/api/things', params: { q: 'ada' } });
  });
});
