import { TestBed } from '@angular/core/testing';
import { ReportsApi } from './reports-api';

describe('the reports API client', () => {
  it('reads each report through an httpResource, with the period as parameters', () => {
    const api = TestBed.inject(ReportsApi);
    const period = { from: '2026-11-01', to: '2026-11-30' };
    expect(api.usageByWeekRequest(period)).toEqual({ url: '/api/reports/usage-by-week', params: period });
    expect(api.sessionsByMemberRequest({ ...period, limit: 10 })).toEqual({
      url: '/api/reports/sessions-by-member',
      params: { ...period, limit: 10 },
    });
    expect(api.busiestHoursRequest(period)).toEqual({ url: '/api/reports/busiest-hours', params: period });
    expect(api.maintenanceRequest()).toEqual({ url: '/api/reports/maintenance' });
  });
});
