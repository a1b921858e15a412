import type { HttpTestingController } from '@angular/common/http/testing';
import type { ProblemReportDto } from '@fabomatic/contracts';
import { answer, apiUnderTest } from '../core/api-test-helpers';
import { ProblemsApi, problemFormData } from './problems-api';

const REPORT = { id: 4, machineId: 3, state: 'open' } as ProblemReportDto;

describe('the problems API client', () => {
  let api: ProblemsApi;
  let http: HttpTestingController;

  beforeEach(() => ({ api, http } = apiUnderTest(ProblemsApi)));
  afterEach(() => http.verify());

  it('lists reports for an httpResource and reads one, its photo by URL', async () => {
    expect(api.listRequest({ state: 'open' })).toEqual({ url: '/api/problems', params: { state: 'open' } });
    const one = api.get(4);
    answer(http, 'GET', '/api/problems/4', REPORT);
    await expect(one).resolves.toEqual(REPORT);
    expect(api.photoUrl(4)).toBe('/api/problems/4/photo');
  });

  it('lists a machine’s open reports, sending only the filters set', async () => {
    const page = api.list({ machineId: 3, state: 'open', severity: undefined });
    answer(http, 'GET', '/api/problems?machineId=3&state=open', { items: [REPORT], total: 1 });
    await expect(page).resolves.toEqual({ items: [REPORT], total: 1 });
  });

  it('files a report as multipart form data and tells the upload progress', async () => {
    const photo = new File([new Uint8Array([0xff, 0xd8, 0xff])], 'broken.jpg', { type: 'image/jpeg' });
    const progress: number[] = [];
    const created = api.create(
      { machineId: 3, severity: 'out-of-order', description: 'Smoke', hardLock: true },
      photo,
      (sent) => progress.push(sent),
    );
    const sent = http.expectOne({ method: 'POST', url: '/api/problems' });
    const body = sent.request.body as FormData;
    expect(body).toBeInstanceOf(FormData);
    expect(body.get('machineId')).toBe('3');
    expect(body.get('severity')).toBe('out-of-order');
    expect(body.get('description')).toBe('Smoke');
    expect(body.get('hardLock')).toBe('true');
    expect((body.get('photo') as File).name).toBe('broken.jpg');
    expect(sent.request.reportProgress).toBe(true);
    sent.event({ type: 1, loaded: 50, total: 100 });
    sent.flush(REPORT);
    await expect(created).resolves.toEqual(REPORT);
    expect(progress).toEqual([0.5]);
  });

  it('leaves out what a member does not send', () => {
    const data = problemFormData({ machineId: 3, severity: 'note', description: 'Loose belt' }, null);
    expect(data.has('hardLock')).toBe(false);
    expect(data.has('photo')).toBe(false);
  });

  it('resolves, cancels and switches the hard lock', async () => {
    const resolved = api.resolve(4, 'Replaced the fan');
    expect(answer(http, 'POST', '/api/problems/4/resolve', REPORT).body).toEqual({
      resolution: 'Replaced the fan',
    });
    await expect(resolved).resolves.toEqual(REPORT);

    const cancelled = api.cancel(4);
    expect(answer(http, 'POST', '/api/problems/4/cancel', REPORT).body).toEqual({});
    await expect(cancelled).resolves.toEqual(REPORT);

    const locked = api.setHardLock(4, true);
    expect(answer(http, 'PATCH', '/api/problems/4', REPORT).body).toEqual({ hardLock: true });
    await expect(locked).resolves.toEqual(REPORT);
  });

  it('reads the member’s own reports, as an array or a page', async () => {
    const array = api.mine();
    answer(http, 'GET', '/api/me/problems', [REPORT]);
    await expect(array).resolves.toEqual([REPORT]);

    const page = api.mine();
    answer(http, 'GET', '/api/me/problems', { items: [REPORT], total: 1 });
    await expect(page).resolves.toEqual([REPORT]);
  });

  it('reads the reportable machines and the notification setting, and changes it', async () => {
    const machines = api.reportableMachines();
    answer(http, 'GET', '/api/me/reportable-machines', []);
    await expect(machines).resolves.toEqual([]);

    const read = api.notifications();
    answer(http, 'GET', '/api/me/notifications', { machineStatus: true });
    await expect(read).resolves.toEqual({ machineStatus: true });

    const changed = api.setNotifications({ machineStatus: false });
    expect(answer(http, 'PATCH', '/api/me/notifications', { machineStatus: false }).body).toEqual({
      machineStatus: false,
    });
    await expect(changed).resolves.toEqual({ machineStatus: false });
  });

  it('asks the downtime report for an httpResource', () => {
    expect(api.downtimeRequest({ from: 'a', to: 'b' })).toEqual({
      url: '/api/reports/downtime',
      params: { from: 'a', to: 'b' },
    });
  });
});
