import {
  type CertificationFacts,
  certificationRefusal,
  certificationState,
  effectiveExpiry,
  endAfterDays,
  localDay,
  mayManage,
  NO_POLICY,
  reminderDue,
  startOfLocalDay,
  transition,
} from './certification';

const ROME = 'Europe/Rome';
const at = (iso: string) => Date.parse(iso);
const facts = (overrides: Partial<CertificationFacts> = {}): CertificationFacts => ({
  status: 'active',
  expiresAt: null,
  lastUsedAt: null,
  grantedAt: at('2027-01-10T10:00:00Z'),
  exempt: false,
  ...overrides,
});

describe('lab days', () => {
  it('starts a day at local midnight on either side of a daylight-saving change', () => {
    const spring = localDay(ROME, at('2027-03-28T12:00:00Z'));
    expect(new Date(startOfLocalDay(ROME, spring)).toISOString()).toBe('2027-03-27T23:00:00.000Z');
    expect(new Date(startOfLocalDay(ROME, spring + 1)).toISOString()).toBe('2027-03-28T22:00:00.000Z');
    const autumn = localDay(ROME, at('2027-10-31T12:00:00Z'));
    expect(new Date(startOfLocalDay(ROME, autumn)).toISOString()).toBe('2027-10-30T22:00:00.000Z');
    expect(new Date(startOfLocalDay(ROME, autumn + 1)).toISOString()).toBe('2027-10-31T23:00:00.000Z');
  });

  it('ends a span of days at the local midnight after its last day', () => {
    // Granted in the evening of 1 March local (UTC still 1 March), 30 days: through 31 March.
    const end = endAfterDays(ROME, at('2027-03-01T20:00:00Z'), 30);
    expect(new Date(end).toISOString()).toBe('2027-03-31T22:00:00.000Z');
    // 23:30 local on 1 March is 22:30 UTC: still 1 March in the lab.
    expect(endAfterDays(ROME, at('2027-03-01T22:30:00Z'), 30)).toBe(end);
  });
});

describe('effective expiry', () => {
  const decay = { validityDays: null, decayDays: 90, reminderDays: [30, 7, 1] };

  it('never expires without a date or a policy, nor for staff', () => {
    expect(effectiveExpiry(facts(), NO_POLICY, ROME)).toBeNull();
    expect(
      effectiveExpiry(facts({ exempt: true, expiresAt: at('2027-02-01T00:00:00Z') }), decay, ROME),
    ).toBeNull();
  });

  it('counts decay from the last use, or from the grant when never used, and takes the earlier end', () => {
    expect(effectiveExpiry(facts(), decay, ROME)).toEqual({
      at: endAfterDays(ROME, at('2027-01-10T10:00:00Z'), 90),
      cause: 'disuse',
    });
    const used = facts({ lastUsedAt: at('2027-05-01T08:00:00Z'), expiresAt: at('2027-06-01T00:00:00Z') });
    expect(effectiveExpiry(used, decay, ROME)).toEqual({ at: at('2027-06-01T00:00:00Z'), cause: 'validity' });
  });

  it('restarts decay at a renewal even after an older use', () => {
    const renewed = facts({ lastUsedAt: at('2027-01-20T08:00:00Z'), grantedAt: at('2027-03-01T08:00:00Z') });
    expect(effectiveExpiry(renewed, decay, ROME)?.at).toBe(
      endAfterDays(ROME, at('2027-03-01T08:00:00Z'), 90),
    );
  });

  it('is renewed by a session: a later use moves the decay end', () => {
    const before = effectiveExpiry(facts({ lastUsedAt: at('2027-02-01T08:00:00Z') }), decay, ROME);
    const after = effectiveExpiry(facts({ lastUsedAt: at('2027-04-01T08:00:00Z') }), decay, ROME);
    expect(after!.at - before!.at).toBeGreaterThan(55 * 86_400_000);
  });
});

describe('state and refusal at the tap', () => {
  const decay = { validityDays: null, decayDays: 30, reminderDays: [7, 1] };
  const used = facts({ lastUsedAt: at('2027-03-01T09:00:00Z') });
  const end = endAfterDays(ROME, at('2027-03-01T09:00:00Z'), 30);

  it('is active, then expiring inside the reminder window, then expired by disuse', () => {
    expect(certificationState(used, decay, ROME, at('2027-03-10T09:00:00Z'))).toBe('active');
    expect(certificationState(used, decay, ROME, end - 3 * 86_400_000)).toBe('expiring');
    expect(certificationState(used, decay, ROME, end - 1)).toBe('expiring');
    expect(certificationState(used, decay, ROME, end)).toBe('expired');
    expect(certificationRefusal(used, decay, ROME, end - 1)).toBeNull();
    expect(certificationRefusal(used, decay, ROME, end)).toBe('authorization-unused');
  });

  it('refuses by the stored state first, with its own reason', () => {
    expect(certificationRefusal(facts({ status: 'pending' }), NO_POLICY, ROME, 0)).toBe(
      'authorization-pending',
    );
    expect(certificationRefusal(facts({ status: 'suspended' }), NO_POLICY, ROME, 0)).toBe(
      'authorization-suspended',
    );
    expect(certificationRefusal(facts({ status: 'revoked' }), NO_POLICY, ROME, 0)).toBe(
      'authorization-revoked',
    );
    const dated = facts({ expiresAt: at('2027-02-01T00:00:00Z') });
    expect(certificationRefusal(dated, NO_POLICY, ROME, at('2027-02-01T00:00:00Z'))).toBe(
      'authorization-expired',
    );
  });
});

describe('reminders', () => {
  const policy = { validityDays: null, decayDays: null, reminderDays: [30, 7, 1] };

  it('fall on the right lab day across a daylight-saving change', () => {
    // Valid through 3 April local (expires 00:00 on 4 April, 22:00 UTC on 3 April in summer time).
    const auth = facts({ expiresAt: at('2027-04-03T22:00:00Z') });
    // 7 days before: 27 March local, the day before the clocks go forward (28 March).
    expect(reminderDue(auth, policy, ROME, at('2027-03-27T07:00:00Z'))).toBe(7);
    expect(reminderDue(auth, policy, ROME, at('2027-03-26T22:59:00Z'))).toBeNull(); // 26 March local
    expect(reminderDue(auth, policy, ROME, at('2027-03-27T23:30:00Z'))).toBeNull(); // 28 March local
    // 1 day before: 2 April local, late evening, after the change.
    expect(reminderDue(auth, policy, ROME, at('2027-04-02T21:30:00Z'))).toBe(1);
    // 30 days before: 4 March local (winter time).
    expect(reminderDue(auth, policy, ROME, at('2027-03-04T00:30:00Z'))).toBe(30);
  });

  it('are not sent for staff, suspended or expired authorizations', () => {
    const auth = facts({ expiresAt: at('2027-04-03T22:00:00Z') });
    const day = at('2027-03-27T07:00:00Z');
    expect(reminderDue({ ...auth, exempt: true }, policy, ROME, day)).toBeNull();
    expect(reminderDue({ ...auth, status: 'suspended' }, policy, ROME, day)).toBeNull();
    expect(reminderDue(auth, policy, ROME, at('2027-04-05T07:00:00Z'))).toBeNull();
  });
});

describe('lifecycle', () => {
  it('moves only along its transitions; revoked is final but for a new grant', () => {
    expect(transition('pending', 'grant')).toBe('active');
    expect(transition('active', 'suspend')).toBe('suspended');
    expect(transition('suspended', 'reinstate')).toBe('active');
    expect(transition('suspended', 'renew')).toBeNull();
    expect(transition('revoked', 'reinstate')).toBeNull();
    expect(transition('revoked', 'grant')).toBe('active');
    expect(transition('active', 'grant')).toBeNull();
  });

  it('lets trainers act only on their types and never on themselves; managers everywhere', () => {
    const trainer = { memberId: 7, manager: false, trainerOf: new Set([2]) };
    expect(mayManage(trainer, 8, 2)).toBe(true);
    expect(mayManage(trainer, 8, 3)).toBe(false);
    expect(mayManage(trainer, 7, 2)).toBe(false);
    expect(mayManage(trainer, 8, null)).toBe(false);
    expect(mayManage({ memberId: 1, manager: true, trainerOf: new Set() }, 8, 3)).toBe(true);
  });
});
