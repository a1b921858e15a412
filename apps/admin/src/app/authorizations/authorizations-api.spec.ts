import type { HttpTestingController } from '@angular/common/http/testing';
import type { BulkAuthorizationResult } from '@fabomatic/contracts';
import { answer, apiUnderTest } from '../core/api-test-helpers';
import { AuthorizationsApi } from './authorizations-api';

describe('the authorizations API client', () => {
  let api: AuthorizationsApi;
  let http: HttpTestingController;

  beforeEach(() => ({ api, http } = apiUnderTest(AuthorizationsApi)));
  afterEach(() => http.verify());

  it('lists authorizations for an httpResource', () => {
    expect(api.listRequest({ memberId: 7, pageSize: 5 })).toEqual({
      url: '/api/authorizations',
      params: { memberId: 7, pageSize: 5 },
    });
  });

  it('authorizes several members on a machine at once', async () => {
    const body = { machineId: 3, memberIds: [7, 8], expiresAt: '2027-01-01T00:00:00.000Z' };
    const result = { created: 2 } as unknown as BulkAuthorizationResult;
    const added = api.addBulk(body);
    expect(answer(http, 'POST', '/api/authorizations/bulk', result).body).toEqual(body);
    await expect(added).resolves.toEqual(result);
  });

  it('changes an expiry, clears it, and deletes an authorization', async () => {
    const changed = api.setExpiry(11, '2027-01-01T00:00:00.000Z');
    expect(answer(http, 'PATCH', '/api/authorizations/11').body).toEqual({
      expiresAt: '2027-01-01T00:00:00.000Z',
    });
    await expect(changed).resolves.toBeUndefined();

    const cleared = api.setExpiry(11, null);
    expect(answer(http, 'PATCH', '/api/authorizations/11').body).toEqual({ expiresAt: null });
    await cleared;

    const removed = api.remove(11);
    answer(http, 'DELETE', '/api/authorizations/11', null);
    await expect(removed).resolves.toBeUndefined();
  });
});
