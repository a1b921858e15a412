import type { HttpTestingController } from '@angular/common/http/testing';
import type { SetupProgressDto } from '@fabomatic/contracts';
import { answer, apiUnderTest } from '../core/api-test-helpers';
import { SetupApi } from './setup-api';

describe('the first-start checklist’s API client', () => {
  let api: SetupApi;
  let http: HttpTestingController;

  beforeEach(() => ({ api, http } = apiUnderTest(SetupApi)));
  afterEach(() => http.verify());

  it('reads the setup progress', async () => {
    const progress: SetupProgressDto = { steps: [], complete: true };
    const read = api.progress();
    answer(http, 'GET', '/api/setup/progress', progress);
    await expect(read).resolves.toEqual(progress);
  });
});
