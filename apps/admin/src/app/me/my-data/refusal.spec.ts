import type { MyRefusedTapDto } from '@fabomatic/contracts';
import { refusalMessage } from './refusal';

const tap = (over: Partial<MyRefusedTapDto>): MyRefusedTapDto => ({
  id: 1,
  occurredAt: '2027-03-20T10:00:00.000Z',
  machineId: 2,
  machineName: 'LASER',
  action: 'checkuser',
  reason: 'no-authorization',
  authorizationExpiresAt: null,
  count: 1,
  ...over,
});

describe('refusalMessage', () => {
  it('says when an authorization expired, in the portal language', () => {
    const expired = tap({
      reason: 'authorization-expired',
      authorizationExpiresAt: '2027-03-12T12:00:00.000Z',
    });
    expect(refusalMessage(expired, 'en')).toEqual({
      key: 'my-data.refused.reasons.authorization-expired',
      params: { machine: 'LASER', date: 'March 12, 2027' },
    });
    expect(refusalMessage(expired, 'it').params).toEqual({ machine: 'LASER', date: '12 marzo 2027' });
  });

  it('says only that it had expired when the date is no longer known (renewed since)', () => {
    expect(refusalMessage(tap({ reason: 'authorization-expired' }), 'en')).toEqual({
      key: 'my-data.refused.reasons.authorization-expired-undated',
      params: { machine: 'LASER' },
    });
  });

  it('says when an authorization lapsed unused, and phrases the lifecycle’s refusals', () => {
    const unused = tap({
      reason: 'authorization-unused',
      authorizationExpiresAt: '2027-03-12T12:00:00.000Z',
    });
    expect(refusalMessage(unused, 'en')).toEqual({
      key: 'my-data.refused.reasons.authorization-unused',
      params: { machine: 'LASER', date: 'March 12, 2027' },
    });
    expect(refusalMessage(tap({ reason: 'authorization-unused' }), 'en').key).toBe(
      'my-data.refused.reasons.authorization-unused-undated',
    );
    for (const reason of [
      'authorization-suspended',
      'authorization-revoked',
      'authorization-pending',
    ] as const) {
      expect(refusalMessage(tap({ reason }), 'en')).toEqual({
        key: `my-data.refused.reasons.${reason}`,
        params: { machine: 'LASER' },
      });
    }
  });

  it('phrases the member’s reasons, and falls back to the staff wording for the others', () => {
    expect(refusalMessage(tap({ reason: 'unknown-card', machineName: null }), 'en')).toEqual({
      key: 'my-data.refused.reasons.unknown-card',
      params: { machine: '' },
    });
    expect(refusalMessage(tap({ reason: 'machine-out-of-order' }), 'en').key).toBe(
      'my-data.refused.reasons.machine-out-of-order',
    );
    expect(refusalMessage(tap({ reason: 'no-authorization' }), 'en').key).toBe(
      'my-data.refused.reasons.no-authorization',
    );
    expect(refusalMessage(tap({ reason: 'topic-conflict' }), 'en')).toEqual({
      key: 'access-reasons.topic-conflict',
      params: {},
    });
  });
});
