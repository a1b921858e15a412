import type { HttpTestingController } from '@angular/common/http/testing';
import type { KioskStatusDto } from '@fabomatic/contracts';
import { answer, apiUnderTest } from '../core/api-test-helpers';
import { KioskApi } from './kiosk-api';

const STATUS: KioskStatusDto = { labName: 'Lab', machines: [] };

describe('the kiosk API client', () => {
  let api: KioskApi;
  let http: HttpTestingController;

  beforeEach(() => ({ api, http } = apiUnderTest(KioskApi)));
  afterEach(() => http.verify());

  it('reads the status with the kiosk token in Authorization', async () => {
    const status = api.status('abc');
    expect(answer(http, 'GET', '/api/kiosk/status', STATUS).headers.get('authorization')).toBe('Kiosk abc');
    await expect(status).resolves.toEqual(STATUS);
  });
});
