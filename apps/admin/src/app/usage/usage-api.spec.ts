import type { HttpTestingController } from '@angular/common/http/testing';
import type { UsageSessionDto, UsageSessionInput } from '@fabomatic/contracts';
import { answer, apiUnderTest } from '../core/api-test-helpers';
import { UsageApi } from './usage-api';

const SESSION = { id: 21, memberId: 7, machineId: 3 } as UsageSessionDto;

describe('the usage API client', () => {
  let api: UsageApi;
  let http: HttpTestingController;

  beforeEach(() => ({ api, http } = apiUnderTest(UsageApi)));
  afterEach(() => http.verify());

  it('lists sessions for an httpResource', () => {
    expect(api.listRequest({ memberId: 7, sort: 'startedAt', order: 'desc' })).toEqual({
      url: '/api/usage',
      params: { memberId: 7, sort: 'startedAt', order: 'desc' },
    });
  });

  it('reads a page of sessions with the query as parameters', async () => {
    const page = { items: [SESSION], total: 1, page: 1, pageSize: 100 };
    const listed = api.list({ memberId: 7, open: true, pageSize: 100 });
    answer(http, 'GET', '/api/usage?memberId=7&open=true&pageSize=100', page);
    await expect(listed).resolves.toEqual(page);
  });

  it('creates, updates and deletes a session', async () => {
    const input: UsageSessionInput = {
      memberId: 7,
      machineId: 3,
      startedAt: '2026-12-01T09:00:00.000Z',
      endedAt: '2026-12-01T10:00:00.000Z',
    };
    const created = api.create(input);
    expect(answer(http, 'POST', '/api/usage', SESSION).body).toEqual(input);
    await expect(created).resolves.toEqual(SESSION);

    const updated = api.update(21, { startedAt: '2026-12-01T09:30:00.000Z' });
    expect(answer(http, 'PATCH', '/api/usage/21', SESSION).body).toEqual({
      startedAt: '2026-12-01T09:30:00.000Z',
    });
    await expect(updated).resolves.toEqual(SESSION);

    const removed = api.remove(21);
    answer(http, 'DELETE', '/api/usage/21', { meterSecondsRemoved: 3600 });
    await expect(removed).resolves.toEqual({ meterSecondsRemoved: 3600 });
  });
});
