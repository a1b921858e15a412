import type { AccessReason } from '@fabomatic/contracts';
import type { BoardUserLevel } from '@fabomatic/board-protocol';
import type { Authorization } from '../authorizations/authorization.entity';
import type { Machine } from '../machines/machine.entity';
import type { Member } from '../members/member.entity';
import type { Role } from '../roles/role.entity';

export interface AccessSubject {
  readonly member: (Member & { role: Role }) | null;
  readonly machine: Machine | null;
  readonly authorization: Authorization | null;
  readonly now: Date;
}

export type AccessDecision =
  | { readonly granted: true; readonly level: Exclude<BoardUserLevel, 0>; readonly reason: 'granted' }
  | { readonly granted: false; readonly level: 0; readonly reason: AccessReason };

const deny = (reason: AccessReason): AccessDecision => ({ granted: false, level: 0, reason });

/** The board level of a member allowed on a machine: 3 authorize all, 2 maintainer, 1 member. */
export function boardLevel(role: Role): Exclude<BoardUserLevel, 0> {
  if (role.authorizeAll) return 3;
  return role.maintenance ? 2 : 1;
}

/**
 * Whether a card may use a machine, in the legacy order staff rely on: disabled → deleted →
 * authorize all → blocked → open machine type → a member × machine authorization, not expired.
 */
export function decideAccess({ member, machine, authorization, now }: AccessSubject): AccessDecision {
  if (!machine) return deny('unknown-machine');
  if (!member) return deny('unknown-card');
  if (member.disabled) return deny('member-disabled');
  if (member.deletedAt) return deny('member-deleted');
  if (member.role.authorizeAll) return { granted: true, level: 3, reason: 'granted' };
  if (machine.blocked) return deny('machine-blocked');
  const level = boardLevel(member.role);
  if (machine.type?.accessManagement === 'open') return { granted: true, level, reason: 'granted' };
  if (!authorization) return deny('no-authorization');
  if (authorization.expiresAt && authorization.expiresAt.getTime() <= now.getTime()) {
    return deny('authorization-expired');
  }
  return { granted: true, level, reason: 'granted' };
}
