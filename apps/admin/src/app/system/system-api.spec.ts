import type { HttpTestingController } from '@angular/common/http/testing';
import { CSRF_HEADER, CSRF_HEADER_VALUE, type RestoreResult } from '@fabomatic/contracts';
import { answer, apiUnderTest } from '../core/api-test-helpers';
import { SystemApi } from './system-api';

describe('the system API client', () => {
  let api: SystemApi;
  let http: HttpTestingController;

  beforeEach(() => ({ api, http } = apiUnderTest(SystemApi)));
  afterEach(() => http.verify());

  it('reads the app’s state and log through httpResources', () => {
    expect(api.infoRequest()).toEqual({ url: '/api/system' });
    expect(api.logsRequest()).toEqual({ url: '/api/system/logs' });
  });

  it('sends a backup’s bytes as they are, with the CSRF header', async () => {
    const backup = new Uint8Array([1, 2, 3]).buffer;
    const result = { restarting: true } as RestoreResult;
    const restored = api.restore(backup);
    const sent = answer(http, 'POST', '/api/system/restore', result);
    expect(sent.body).toBe(backup);
    expect(sent.headers.get('content-type')).toBe('application/octet-stream');
    expect(sent.headers.get(CSRF_HEADER)).toBe(CSRF_HEADER_VALUE);
    await expect(restored).resolves.toEqual(result);
  });

  it('tells whether the app answers ready', async () => {
    const up = api.ready();
    answer(http, 'GET', '/ready', { status: 'ok' });
    await expect(up).resolves.toBe(true);

    const down = api.ready();
    http.expectOne('/ready').flush(null, { status: 503, statusText: 'Service Unavailable' });
    await expect(down).resolves.toBe(false);
  });
});
