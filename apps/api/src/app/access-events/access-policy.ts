import type { AccessReason } from '@fabomatic/contracts';
import type { BoardUserLevel } from '@fabomatic/board-protocol';
import type { CardHolder, Grant, MachineProfile } from '../boards/board-directory';

export interface AccessSubject {
  readonly member: CardHolder | null;
  readonly machine: MachineProfile | null;
  readonly authorization: Grant | null;
  /** Epoch ms. */
  readonly now: number;
}

export type AccessDecision =
  | { readonly granted: true; readonly level: Exclude<BoardUserLevel, 0>; readonly reason: 'granted' }
  | { readonly granted: false; readonly level: 0; readonly reason: AccessReason };

const deny = (reason: AccessReason): AccessDecision => ({ granted: false, level: 0, reason });

/** The board level of a member allowed on a machine: 3 authorize all, 2 maintainer, 1 member. */
function boardLevel(rights: Pick<CardHolder, 'authorizeAll' | 'maintenance'>): Exclude<BoardUserLevel, 0> {
  if (rights.authorizeAll) return 3;
  return rights.maintenance ? 2 : 1;
}

/**
 * Whether a card may use a machine: disabled → deleted → retired → blocked → hard-locked out of
 * order → authorize all → open machine type → a member × machine authorization, not expired → out
 * of order (members refused, staff of level ≥ 2 pass in to repair). A blocked (or retired, or
 * hard-locked) machine refuses everyone, "authorize all" roles included: its board does so whatever
 * it is told about a card (`checkmachine` `allowed:false`), so the decision recorded says the same.
 */
export function decideAccess({ member, machine, authorization, now }: AccessSubject): AccessDecision {
  if (!machine) return deny('unknown-machine');
  if (!member) return deny('unknown-card');
  if (member.disabled) return deny('member-disabled');
  if (member.deleted) return deny('member-deleted');
  if (machine.retired) return deny('machine-retired');
  if (machine.blocked) return deny('machine-blocked');
  if (machine.hardLock) return deny('machine-out-of-order');
  if (member.authorizeAll) return { granted: true, level: 3, reason: 'granted' };
  const level = boardLevel(member);
  if (machine.accessManagement !== 'open') {
    if (!authorization) return deny('no-authorization');
    if (authorization.expiresAt !== null && authorization.expiresAt <= now)
      return deny('authorization-expired');
  }
  if (machine.outOfOrder && level < 2) return deny('machine-out-of-order');
  return { granted: true, level, reason: 'granted' };
}
