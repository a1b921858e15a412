import type { HttpTestingController } from '@angular/common/http/testing';
import type { RoleDto, RoleInput } from '@fabomatic/contracts';
import { answer, apiUnderTest } from '../core/api-test-helpers';
import { RolesApi } from './roles-api';

const ROLE = { id: 2, name: 'Member', portalAccess: 'none' } as RoleDto;
const INPUT = { name: 'Member', portalAccess: 'none' } as RoleInput;

describe('the roles API client', () => {
  let api: RolesApi;
  let http: HttpTestingController;

  beforeEach(() => ({ api, http } = apiUnderTest(RolesApi)));
  afterEach(() => http.verify());

  it('lists roles for an httpResource', () => {
    expect(api.listRequest({ pageSize: 100 })).toEqual({ url: '/api/roles', params: { pageSize: 100 } });
  });

  it('reads, creates, updates and deletes a role', async () => {
    const read = api.get('2');
    answer(http, 'GET', '/api/roles/2', ROLE);
    await expect(read).resolves.toEqual(ROLE);

    const created = api.create(INPUT);
    expect(answer(http, 'POST', '/api/roles', ROLE).body).toEqual(INPUT);
    await expect(created).resolves.toEqual(ROLE);

    const updated = api.update('2', INPUT);
    expect(answer(http, 'PATCH', '/api/roles/2', ROLE).body).toEqual(INPUT);
    await expect(updated).resolves.toEqual(ROLE);

    const removed = api.remove(2);
    answer(http, 'DELETE', '/api/roles/2', null);
    await expect(removed).resolves.toBeUndefined();
  });
});
