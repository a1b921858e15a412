import { TestBed } from '@angular/core/testing';
import { AuditApi } from './audit-api';

describe('the audit API client', () => {
  it('lists audit entries for an httpResource', () => {
    const query = { entityType: 'member', from: '2026-11-01' };
    expect(TestBed.inject(AuditApi).listRequest(query)).toEqual({ url: '/api/audit', params: query });
  });
});
