import type { HttpTestingController } from '@angular/common/http/testing';
import type { CreatedKioskDto, KioskDto, LabSettingsDto } from '@fabomatic/contracts';
import { answer, apiUnderTest } from '../core/api-test-helpers';
import { KiosksApi } from './kiosks-api';

const KIOSK = { id: 3, name: 'Hall TV' } as KioskDto;
const CREATED = { ...KIOSK, token: 't', url: 'http://lab/kiosk#token=t' } as CreatedKioskDto;
const SETTINGS: LabSettingsDto = { labName: 'Lab', kioskShowsFirstNames: true };

describe('the kiosks API client', () => {
  let api: KiosksApi;
  let http: HttpTestingController;

  beforeEach(() => ({ api, http } = apiUnderTest(KiosksApi)));
  afterEach(() => http.verify());

  it('lists kiosks and reads the lab settings for httpResources', () => {
    expect(api.listRequest()).toEqual({ url: '/api/kiosks' });
    expect(api.settingsRequest()).toEqual({ url: '/api/lab-settings' });
  });

  it('creates and revokes a kiosk', async () => {
    const created = api.create({ name: 'Hall TV' });
    expect(answer(http, 'POST', '/api/kiosks', CREATED).body).toEqual({ name: 'Hall TV' });
    await expect(created).resolves.toEqual(CREATED);
    const revoked = api.revoke(3);
    expect(answer(http, 'POST', '/api/kiosks/3/revoke', KIOSK).body).toEqual({});
    await expect(revoked).resolves.toEqual(KIOSK);
  });

  it('updates the lab settings', async () => {
    const updated = api.updateSettings({ kioskShowsFirstNames: true });
    const sent = http.expectOne({ method: 'PUT', url: '/api/lab-settings' });
    expect(sent.request.body).toEqual({ kioskShowsFirstNames: true });
    sent.flush(SETTINGS);
    await expect(updated).resolves.toEqual(SETTINGS);
  });
});
