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

  it('renews, suspends with a reason, reads the history and the trainee list', async () => {
    const renewed = api.transition(11, 'renew');
    expect(answer(http, 'POST', '/api/authorizations/11/renew', { id: 11 }).body).toEqual({});
    await renewed;
    const suspended = api.transition(11, 'suspend', 'dirty lens');
    expect(answer(http, 'POST', '/api/authorizations/11/suspend', { id: 11 }).body).toEqual({
      reason: 'dirty lens',
    });
    await suspended;
    const history = api.history(11);
    answer(http, 'GET', '/api/authorizations/11/history', []);
    await expect(history).resolves.toEqual([]);
    expect(api.traineesRequest({ state: 'expired' })).toEqual({
      url: '/api/me/trainees',
      params: { state: 'expired' },
    });
  });

  it('lists, adds and removes the trainers of a machine type', async () => {
    expect(api.trainersRequest(4)).toEqual({ url: '/api/trainers', params: { machineTypeId: 4 } });
    const added = api.addTrainer({ memberId: 7, machineTypeId: 4 });
    expect(answer(http, 'POST', '/api/trainers', { id: 2 }).body).toEqual({ memberId: 7, machineTypeId: 4 });
    await added;
    const revoked = api.revokeTrainer(2);
    answer(http, 'POST', '/api/trainers/2/revoke', { id: 2 });
    await revoked;
  });
});
