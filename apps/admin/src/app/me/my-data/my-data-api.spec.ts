import type { HttpTestingController } from '@angular/common/http/testing';
import type { MyAuthorizationsDto } from '@fabomatic/contracts';
import { answer, apiUnderTest } from '../../core/api-test-helpers';
import { MyDataApi, myDataCsvUrl, MY_DATA_JSON_URL } from './my-data-api';

describe('the my-data API client', () => {
  let api: MyDataApi;
  let http: HttpTestingController;

  beforeEach(() => ({ api, http } = apiUnderTest(MyDataApi)));
  afterEach(() => http.verify());

  it('reads the standing of the signed-in member', async () => {
    const standing = { authorizeAll: false, authorizations: [] } as unknown as MyAuthorizationsDto;
    const read = api.authorizations();
    answer(http, 'GET', '/api/me/authorizations', standing);
    await expect(read).resolves.toEqual(standing);
    expect(api.authorizationsRequest()).toEqual({ url: '/api/me/authorizations', params: {} });
  });

  it('pages sessions and refused taps for an httpResource, never with a member id', () => {
    expect(api.sessionsRequest({ machineId: 3, from: '2026-01-01' })).toEqual({
      url: '/api/me/sessions',
      params: { machineId: 3, from: '2026-01-01' },
    });
    expect(api.refusedRequest({ cursor: 'abc' })).toEqual({
      url: '/api/me/refused',
      params: { cursor: 'abc' },
    });
  });

  it('names the downloads of the right of access', () => {
    expect(MY_DATA_JSON_URL).toBe('/api/me/data.json');
    expect(myDataCsvUrl('access-events')).toBe('/api/me/data/access-events.csv');
  });
});
