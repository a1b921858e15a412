import type { CardHolder, Grant, MachineProfile } from '../boards/board-directory';
import { NO_POLICY } from '../authorizations/certification';
import { decideAccess as decide, type AccessSubject } from './access-policy';

const decideAccess = (subject: Omit<AccessSubject, 'timeZone'>) =>
  decide({ ...subject, timeZone: 'Europe/Rome' });

const now = Date.parse('2026-06-01T10:00:00Z');
const member = (over: Partial<CardHolder> = {}): CardHolder => ({
  id: 1,
  name: 'Mario',
  surname: 'Rossi',
  disabled: false,
  deleted: false,
  authorizeAll: false,
  maintenance: false,
  ...over,
});
const machine = (over: Partial<MachineProfile> = {}): MachineProfile => ({
  id: 7,
  topicId: '7',
  name: 'Laser',
  blocked: false,
  retired: false,
  typeId: 1,
  autoLogoffMinutes: 1440,
  graceMinutes: 2,
  accessManagement: 'authorization',
  policy: NO_POLICY,
  outOfOrder: false,
  hardLock: false,
  ...over,
});
const auth = (expiresAt: number | null = null): Grant => ({
  status: 'active',
  expiresAt,
  grantedAt: null,
  lastUsedAt: null,
});

describe('decideAccess', () => {
  it('grants an authorized member level 1, a maintainer 2, authorize-all 3', () => {
    expect(decideAccess({ member: member(), machine: machine(), authorization: auth(), now })).toEqual({
      granted: true,
      level: 1,
      reason: 'granted',
    });
    expect(
      decideAccess({ member: member({ maintenance: true }), machine: machine(), authorization: auth(), now }),
    ).toMatchObject({ granted: true, level: 2 });
    expect(
      decideAccess({ member: member({ authorizeAll: true }), machine: machine(), authorization: null, now }),
    ).toMatchObject({ granted: true, level: 3 });
  });

  it('denies with the reason staff need to see', () => {
    const cases: [Parameters<typeof decideAccess>[0], string][] = [
      [{ member: null, machine: machine(), authorization: null, now }, 'unknown-card'],
      [{ member: member(), machine: null, authorization: auth(), now }, 'unknown-machine'],
      [
        { member: member({ disabled: true }), machine: machine(), authorization: auth(), now },
        'member-disabled',
      ],
      [
        { member: member({ deleted: true }), machine: machine(), authorization: auth(), now },
        'member-deleted',
      ],
      [
        { member: member(), machine: machine({ blocked: true }), authorization: auth(), now },
        'machine-blocked',
      ],
      [{ member: member(), machine: machine(), authorization: null, now }, 'no-authorization'],
      [{ member: member(), machine: machine(), authorization: auth(now - 1), now }, 'authorization-expired'],
    ];
    for (const [subject, reason] of cases)
      expect(decideAccess(subject)).toEqual({ granted: false, level: 0, reason });
  });

  it('refuses authorize-all on a blocked or retired machine (its board refuses everyone), and a disabled one', () => {
    const admin = { authorizeAll: true };
    expect(
      decideAccess({ member: member(admin), machine: machine({ blocked: true }), authorization: null, now }),
    ).toEqual({ granted: false, level: 0, reason: 'machine-blocked' });
    expect(
      decideAccess({ member: member(admin), machine: machine({ retired: true }), authorization: null, now }),
    ).toEqual({ granted: false, level: 0, reason: 'machine-retired' });
    expect(
      decideAccess({ member: member(admin), machine: machine(), authorization: null, now }),
    ).toMatchObject({ granted: true, level: 3 });
    expect(
      decideAccess({
        member: member({ ...admin, disabled: true }),
        machine: machine(),
        authorization: null,
        now,
      }),
    ).toMatchObject({ granted: false, reason: 'member-disabled' });
  });

  it('needs no authorization on an open machine type, still honours blocked', () => {
    const open = machine({ accessManagement: 'open' });
    expect(decideAccess({ member: member(), machine: open, authorization: null, now })).toMatchObject({
      granted: true,
    });
    expect(
      decideAccess({ member: member(), machine: { ...open, blocked: true }, authorization: null, now }),
    ).toMatchObject({ granted: false, reason: 'machine-blocked' });
  });

  it('accepts an authorization that expires in the future', () => {
    expect(
      decideAccess({ member: member(), machine: machine(), authorization: auth(now + 1000), now }),
    ).toMatchObject({ granted: true });
  });

  it('refuses a pending, suspended, revoked or expired certification with its own reason', () => {
    const decaying = machine({ policy: { validityDays: null, decayDays: 30, reminderDays: [] } });
    const day = 24 * 3600 * 1000;
    const cases: [Grant, string][] = [
      [{ ...auth(), status: 'pending' }, 'authorization-pending'],
      [{ ...auth(), status: 'suspended' }, 'authorization-suspended'],
      [{ ...auth(), status: 'revoked' }, 'authorization-revoked'],
      [{ ...auth(), grantedAt: now - 60 * day, lastUsedAt: now - 40 * day }, 'authorization-unused'],
    ];
    for (const [authorization, reason] of cases)
      expect(decideAccess({ member: member(), machine: decaying, authorization, now })).toEqual({
        granted: false,
        level: 0,
        reason,
      });
    const used = { ...auth(), grantedAt: now - 60 * day, lastUsedAt: now - 2 * day };
    expect(decideAccess({ member: member(), machine: decaying, authorization: used, now })).toMatchObject({
      granted: true,
    });
  });

  it('exempts maintainers from expiry, not from a suspension', () => {
    const maintainer = member({ maintenance: true });
    expect(
      decideAccess({ member: maintainer, machine: machine(), authorization: auth(now - 1), now }),
    ).toMatchObject({ granted: true, level: 2 });
    expect(
      decideAccess({
        member: maintainer,
        machine: machine(),
        authorization: { ...auth(), status: 'suspended' },
        now,
      }),
    ).toMatchObject({ granted: false, reason: 'authorization-suspended' });
  });

  it('refuses members on a machine out of order, lets staff (level ≥ 2) in, and nobody under a hard lock', () => {
    const out = machine({ outOfOrder: true });
    expect(decideAccess({ member: member(), machine: out, authorization: auth(), now })).toEqual({
      granted: false,
      level: 0,
      reason: 'machine-out-of-order',
    });
    expect(
      decideAccess({ member: member({ maintenance: true }), machine: out, authorization: auth(), now }),
    ).toMatchObject({ granted: true, level: 2 });
    expect(
      decideAccess({ member: member({ authorizeAll: true }), machine: out, authorization: null, now }),
    ).toMatchObject({ granted: true, level: 3 });
    // Not authorized at all: that is the reason, not the outage.
    expect(decideAccess({ member: member(), machine: out, authorization: null, now })).toMatchObject({
      reason: 'no-authorization',
    });
    const locked = machine({ outOfOrder: true, hardLock: true });
    for (const who of [member(), member({ maintenance: true }), member({ authorizeAll: true })])
      expect(decideAccess({ member: who, machine: locked, authorization: auth(), now })).toMatchObject({
        granted: false,
        reason: 'machine-out-of-order',
      });
  });
});
