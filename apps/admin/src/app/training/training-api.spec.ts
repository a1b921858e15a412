import type { HttpTestingController } from '@angular/common/http/testing';
import { answer, apiUnderTest } from '../core/api-test-helpers';
import { TrainingApi } from './training-api';

describe('the training API client', () => {
  let api: TrainingApi;
  let http: HttpTestingController;

  beforeEach(() => ({ api, http } = apiUnderTest(TrainingApi)));
  afterEach(() => http.verify());

  it('asks for training and cancels a request', async () => {
    const asked = api.ask({ machineTypeId: 3, note: 'evenings' });
    const post = http.expectOne('/api/me/training-requests');
    expect(post.request.method).toBe('POST');
    expect(post.request.body).toEqual({ machineTypeId: 3, note: 'evenings' });
    post.flush({ id: 1 });
    expect(await asked).toEqual({ id: 1 });

    const cancelled = api.cancel(1);
    answer(http, 'POST', '/api/me/training-requests/1/cancel', { id: 1, state: 'cancelled' });
    expect(await cancelled).toEqual({ id: 1, state: 'cancelled' });
  });

  it('reads the queue and the sessions of a type', async () => {
    const queue = api.queue(4);
    answer(http, 'GET', '/api/training-requests?machineTypeId=4', []);
    expect(await queue).toEqual([]);
    const sessions = api.sessions(4);
    answer(http, 'GET', '/api/training-sessions?machineTypeId=4', []);
    expect(await sessions).toEqual([]);
  });

  it('records outcomes and starts a machine for a trainee', async () => {
    const recorded = api.recordOutcomes(7, {
      outcomes: [{ memberId: 5, outcome: 'qualified' }],
      machineIds: [2],
    });
    answer(http, 'POST', '/api/training-sessions/7/outcomes', { id: 7 });
    expect(await recorded).toEqual({ id: 7 });
    const started = api.supervisedStart(2, 5);
    const post = http.expectOne('/api/machines/2/supervised-start');
    expect(post.request.body).toEqual({ traineeId: 5 });
    post.flush({ machineId: 2, command: 'start', uid: 'aa', accessEventId: 1 });
    expect(await started).toMatchObject({ command: 'start' });
  });
});
