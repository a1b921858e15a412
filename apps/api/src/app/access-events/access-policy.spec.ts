import type { Authorization } from '../authorizations/authorization.entity';
import type { MachineType } from '../machine-types/machine-type.entity';
import type { Machine } from '../machines/machine.entity';
import type { Member } from '../members/member.entity';
import type { Role } from '../roles/role.entity';
import { decideAccess } from './access-policy';

const now = new Date('2026-06-01T10:00:00Z');
const role = (over: Partial<Role> = {}) => ({ authorizeAll: false, maintenance: false, ...over }) as Role;
const member = (over: Partial<Member> = {}, r: Role = role()) =>
  ({ id: 1, disabled: false, deletedAt: null, ...over, role: r }) as Member & { role: Role };
const type = (accessManagement: 'open' | 'authorization') => ({ accessManagement }) as MachineType;
const machine = (over: Partial<Machine> = {}) =>
  ({ id: 7, blocked: false, type: type('authorization'), ...over }) as Machine;
const auth = (expiresAt: Date | null = null) => ({ expiresAt }) as Authorization;

describe('decideAccess', () => {
  it('grants an authorized member level 1, a maintainer 2, authorize-all 3', () => {
    expect(decideAccess({ member: member(), machine: machine(), authorization: auth(), now })).toEqual({
      granted: true,
      level: 1,
      reason: 'granted',
    });
    expect(
      decideAccess({
        member: member({}, role({ maintenance: true })),
        machine: machine(),
        authorization: auth(),
        now,
      }),
    ).toMatchObject({ granted: true, level: 2 });
    expect(
      decideAccess({
        member: member({}, role({ authorizeAll: true })),
        machine: machine(),
        authorization: null,
        now,
      }),
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
        { member: member({ deletedAt: now }), machine: machine(), authorization: auth(), now },
        'member-deleted',
      ],
      [
        { member: member(), machine: machine({ blocked: true }), authorization: auth(), now },
        'machine-blocked',
      ],
      [{ member: member(), machine: machine(), authorization: null, now }, 'no-authorization'],
      [
        { member: member(), machine: machine(), authorization: auth(new Date(now.getTime() - 1)), now },
        'authorization-expired',
      ],
    ];
    for (const [subject, reason] of cases)
      expect(decideAccess(subject)).toEqual({ granted: false, level: 0, reason });
  });

  it('lets authorize-all through a blocked machine, but not a disabled one', () => {
    const admin = role({ authorizeAll: true });
    expect(
      decideAccess({
        member: member({}, admin),
        machine: machine({ blocked: true }),
        authorization: null,
        now,
      }),
    ).toMatchObject({ granted: true, level: 3 });
    expect(
      decideAccess({
        member: member({ disabled: true }, admin),
        machine: machine(),
        authorization: null,
        now,
      }),
    ).toMatchObject({ granted: false, reason: 'member-disabled' });
  });

  it('needs no authorization on an open machine type, still honours blocked', () => {
    const open = machine({ type: type('open') });
    expect(decideAccess({ member: member(), machine: open, authorization: null, now })).toMatchObject({
      granted: true,
    });
    expect(
      decideAccess({
        member: member(),
        machine: { ...open, blocked: true },
        authorization: null,
        now,
      }),
    ).toMatchObject({ granted: false, reason: 'machine-blocked' });
  });

  it('accepts an authorization that expires in the future', () => {
    expect(
      decideAccess({
        member: member(),
        machine: machine(),
        authorization: auth(new Date(now.getTime() + 1000)),
        now,
      }),
    ).toMatchObject({ granted: true });
  });
});
