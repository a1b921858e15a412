import type { AuthorizationDto } from '@fabomatic/contracts';
import { actionsFor, mayManage, needsReason, stateBadge, type CertificationViewer } from './certification';

const row = (over: Partial<AuthorizationDto> = {}) => ({
  memberId: 7,
  machineTypeId: 2,
  state: 'active' as const,
  expiryCause: null,
  ...over,
});
const trainer: CertificationViewer = { memberId: 3, access: 'member', trainerOf: new Set([2]) };
const manager: CertificationViewer = { memberId: 3, access: 'manager', trainerOf: new Set() };

describe('certification rows in the portal', () => {
  it('labels an expiry by disuse apart from one by validity', () => {
    expect(stateBadge(row({ state: 'expired', expiryCause: 'disuse' }))).toEqual({
      key: 'expired-unused',
      tone: 'bad',
    });
    expect(stateBadge(row({ state: 'expired', expiryCause: 'validity' }))).toEqual({
      key: 'expired',
      tone: 'bad',
    });
    expect(stateBadge(row({ state: 'expiring' })).tone).toBe('warn');
  });

  it('offers the actions of the state to managers and to trainers of the type, never on their own', () => {
    expect(actionsFor(manager, row())).toEqual(['renew', 'suspend', 'revoke']);
    expect(actionsFor(trainer, row({ state: 'suspended' }))).toEqual(['reinstate', 'revoke']);
    expect(actionsFor(trainer, row({ state: 'revoked' }))).toEqual([]);
    expect(actionsFor(trainer, row({ machineTypeId: 5 }))).toEqual([]);
    expect(actionsFor(trainer, row({ memberId: 3 }))).toEqual([]);
    expect(mayManage(manager, row({ memberId: 3, machineTypeId: null }))).toBe(true);
    expect(mayManage({ ...trainer, access: 'read-only' }, row({ machineTypeId: null }))).toBe(false);
  });

  it('asks a reason to suspend or revoke only', () => {
    expect(['renew', 'suspend', 'reinstate', 'revoke'].filter((a) => needsReason(a as never))).toEqual([
      'suspend',
      'revoke',
    ]);
  });
});
