import { TestBed } from '@angular/core/testing';
import { AccessEventsApi } from './access-events-api';

describe('the access events API client', () => {
  it('lists access events for an httpResource', () => {
    const query = { machineId: '3', granted: 'false' };
    expect(TestBed.inject(AccessEventsApi).listRequest(query)).toEqual({
      url: '/api/access-events',
      params: query,
    });
  });
});
