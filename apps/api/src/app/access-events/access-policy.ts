import type { AccessReason } from '@fabomatic/contracts';
import type { BoardUserLevel } from '@fabomatic/board-protocol';
import { certificationRefusal } from '../authorizations/certification';
import type { CardHolder, Grant, MachineProfile } from '../boards/board-directory';

export interface AccessSubject {
  readonly member: CardHolder | null;
  readonly machine: MachineProfile | null;
  readonly authorization: Grant | null;
  /** Epoch ms. */
  readonly now: number;
  /** LAB_TIME_ZONE: validity and usage decay count whole lab days. */
  readonly timeZone: string;
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
 * order → authorize all → open machine type → a member × machine authorization in force (not
 * pending, suspended or revoked, and not expired by validity or by disuse: certification.ts;
 * maintainers, board level 2, are exempt from expiry but not from a suspension or revocation) → out
 * of order (members refused, staff of level ≥ 2 pass in to repair). A blocked (or retired, or
 * hard-locked) machine refuses everyone, "authorize all" roles included: its board does so whatever
 * it is told about a card (`checkmachine` `allowed:false`), so the decision recorded says the same.
 */
export function decideAccess({
  member,
  machine,
  authorization,
  now,
  timeZone,
}: AccessSubject): AccessDecision {
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
    const refusal = certificationRefusal(
      { ...authorization, exempt: level >= 2 },
      machine.policy,
      timeZone,
      now,
    );
    if (refusal !== null) return deny(refusal);
  }
  if (machine.outOfOrder && level < 2) return deny('machine-out-of-order');
  return { granted: true, level, reason: 'granted' };
}
