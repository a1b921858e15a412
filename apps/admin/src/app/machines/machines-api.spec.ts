import type { HttpTestingController } from '@angular/common/http/testing';
import type { MachineDto, MachineInput, MachineStatusDto } from '@fabomatic/contracts';
import { answer, apiUnderTest } from '../core/api-test-helpers';
import { MachinesApi } from './machines-api';

const MACHINE = { id: 3, name: 'Laser', topicId: '12' } as MachineDto;
const INPUT = { name: 'Laser', topicId: '12', typeId: null, blocked: false } as MachineInput;
const STATUS = { machineId: 3, name: 'Laser' } as MachineStatusDto;

describe('the machines API client', () => {
  let api: MachinesApi;
  let http: HttpTestingController;

  beforeEach(() => ({ api, http } = apiUnderTest(MachinesApi)));
  afterEach(() => http.verify());

  it('lists machines for an httpResource', () => {
    expect(api.listRequest({ retired: 'true' })).toEqual({
      url: '/api/machines',
      params: { retired: 'true' },
    });
  });

  it('reads, creates and updates a machine', async () => {
    const read = api.get('3');
    answer(http, 'GET', '/api/machines/3', MACHINE);
    await expect(read).resolves.toEqual(MACHINE);

    const created = api.create(INPUT);
    expect(answer(http, 'POST', '/api/machines', MACHINE).body).toEqual(INPUT);
    await expect(created).resolves.toEqual(MACHINE);

    const updated = api.update('3', INPUT);
    expect(answer(http, 'PATCH', '/api/machines/3', MACHINE).body).toEqual(INPUT);
    await expect(updated).resolves.toEqual(MACHINE);
  });

  it('reads every status card, one machine’s status and its board connection', async () => {
    const all = api.statuses();
    answer(http, 'GET', '/api/machines/status', [STATUS]);
    await expect(all).resolves.toEqual([STATUS]);

    const one = api.status(3);
    answer(http, 'GET', '/api/machines/3/status', STATUS);
    await expect(one).resolves.toEqual(STATUS);

    const connection = api.boardConnection('3');
    answer(http, 'GET', '/api/machines/3/board-connection', { topicId: '12' });
    await expect(connection).resolves.toEqual({ topicId: '12' });
  });

  it('sends a remote start and stop', async () => {
    const started = api.command('3', 'start');
    expect(answer(http, 'POST', '/api/machines/3/start').body).toEqual({});
    await expect(started).resolves.toBeUndefined();

    const stopped = api.command('3', 'stop');
    expect(answer(http, 'POST', '/api/machines/3/stop').body).toEqual({});
    await expect(stopped).resolves.toBeUndefined();
  });

  it('retires and reinstates a machine', async () => {
    const retired = api.retire(3);
    expect(answer(http, 'POST', '/api/machines/3/retire', { machine: MACHINE }).body).toEqual({});
    await expect(retired).resolves.toEqual({ machine: MACHINE });

    const reinstated = api.reinstate(3);
    expect(answer(http, 'POST', '/api/machines/3/reinstate', MACHINE).body).toEqual({});
    await expect(reinstated).resolves.toEqual(MACHINE);
  });
});
