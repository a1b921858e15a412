import type { HttpTestingController } from '@angular/common/http/testing';
import type { FleetBoardDto, IssuedBoardAccountDto } from '@fabomatic/contracts';
import { answer, apiUnderTest } from '../core/api-test-helpers';
import { BoardsApi } from './boards-api';

const BOARD = { id: 6, topicId: '12', serial: 'AABBCCDDEE12' } as FleetBoardDto;
const ISSUED = {
  topicId: '12',
  username: 'board-12',
  password: 'secret',
} as unknown as IssuedBoardAccountDto;

describe('the boards API client', () => {
  let api: BoardsApi;
  let http: HttpTestingController;

  beforeEach(() => ({ api, http } = apiUnderTest(BoardsApi)));
  afterEach(() => http.verify());

  it('lists boards and broker accounts for httpResources', () => {
    expect(api.listRequest({ assigned: 'false' })).toEqual({
      url: '/api/boards',
      params: { assigned: 'false' },
    });
    expect(api.accountsRequest()).toEqual({ url: '/api/board-accounts' });
  });

  it('binds a board to a machine, replacing its board when asked, and unbinds it', async () => {
    const bound = api.bind(6, { machineId: 3 });
    expect(answer(http, 'POST', '/api/boards/6/bind', BOARD).body).toEqual({ machineId: 3 });
    await expect(bound).resolves.toEqual(BOARD);

    const replaced = api.bind(6, { machineId: 3, replace: true });
    expect(answer(http, 'POST', '/api/boards/6/bind', BOARD).body).toEqual({ machineId: 3, replace: true });
    await replaced;

    const unbound = api.unbind(6);
    expect(answer(http, 'POST', '/api/boards/6/unbind', BOARD).body).toEqual({});
    await expect(unbound).resolves.toEqual(BOARD);
  });

  it('issues, rotates and revokes a broker account', async () => {
    const issued = api.issueAccount('12');
    expect(answer(http, 'POST', '/api/board-accounts/12', ISSUED).body).toEqual({});
    await expect(issued).resolves.toEqual(ISSUED);

    const rotated = api.rotateAccount('12');
    expect(answer(http, 'POST', '/api/board-accounts/12/rotate', ISSUED).body).toEqual({});
    await expect(rotated).resolves.toEqual(ISSUED);

    const revoked = api.revokeAccount('12');
    answer(http, 'DELETE', '/api/board-accounts/12', null);
    await expect(revoked).resolves.toBeUndefined();
  });
});
