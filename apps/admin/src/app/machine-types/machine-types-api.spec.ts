import type { HttpTestingController } from '@angular/common/http/testing';
import type { MachineTypeDto, MachineTypeInput } from '@fabomatic/contracts';
import { answer, apiUnderTest } from '../core/api-test-helpers';
import { MachineTypesApi } from './machine-types-api';

const TYPE = { id: 4, name: 'Laser cutter' } as MachineTypeDto;
const INPUT = { name: 'Laser cutter' } as MachineTypeInput;

describe('the machine types API client', () => {
  let api: MachineTypesApi;
  let http: HttpTestingController;

  beforeEach(() => ({ api, http } = apiUnderTest(MachineTypesApi)));
  afterEach(() => http.verify());

  it('lists machine types for an httpResource', () => {
    expect(api.listRequest({ pageSize: 100 })).toEqual({
      url: '/api/machine-types',
      params: { pageSize: 100 },
    });
  });

  it('reads, creates and updates a machine type', async () => {
    const read = api.get('4');
    answer(http, 'GET', '/api/machine-types/4', TYPE);
    await expect(read).resolves.toEqual(TYPE);

    const created = api.create(INPUT);
    expect(answer(http, 'POST', '/api/machine-types', TYPE).body).toEqual(INPUT);
    await expect(created).resolves.toEqual(TYPE);

    const updated = api.update('4', INPUT);
    expect(answer(http, 'PATCH', '/api/machine-types/4', TYPE).body).toEqual(INPUT);
    await expect(updated).resolves.toEqual(TYPE);
  });
});
