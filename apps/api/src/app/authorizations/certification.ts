import type {
  AccessReason,
  AuthorizationState,
  CertificationPolicyDto,
  ExpiryCause,
  StoredAuthorizationState,
} from '@fabomatic/contracts';
import { DAY_MS, zoneOffset } from '../reports/time-zone';

/**
 * The certification lifecycle's pure rules (issue 15), shared by the board's decision, the portal's
 * views, the reminders and the trainers' permissions. Days are the lab's calendar days
 * (`LAB_TIME_ZONE`): a 23- or 25-hour day at a daylight-saving change is still one day.
 */

/** An authorization as the rules need it; times are epoch ms. */
export interface CertificationFacts {
  readonly status: StoredAuthorizationState;
  /** The validity end set at grant or renewal (policy `validityDays`) or by staff; null: none. */
  readonly expiresAt: number | null;
  /** Last session started on any machine of the type; null: never used (decay counts from grant). */
  readonly lastUsedAt: number | null;
  /** When it was granted or last renewed; null for rows that never were (pending). */
  readonly grantedAt: number | null;
  /** Staff roles (board level ≥ 2) never expire. */
  readonly exempt: boolean;
}

export type Policy = Pick<CertificationPolicyDto, 'validityDays' | 'decayDays' | 'reminderDays'>;

export const NO_POLICY: Policy = { validityDays: null, decayDays: null, reminderDays: [] };

/** The lab-local calendar day (days since 1970-01-01 local) of an instant. */
export function localDay(timeZone: string, at: number): number {
  return Math.floor((at + zoneOffset(timeZone, at)) / DAY_MS);
}

/** The instant a lab-local day starts (00:00 local; the first instant of it at a DST gap). */
export function startOfLocalDay(timeZone: string, day: number): number {
  const wall = day * DAY_MS;
  let at = wall - zoneOffset(timeZone, wall);
  // The offset at the guess may differ from the offset at the true instant (a change that day).
  at = wall - zoneOffset(timeZone, at);
  return localDay(timeZone, at) < day ? at + (wall - (at + zoneOffset(timeZone, at))) : at;
}

/**
 * The end of a span of whole lab days: the start of the day after `days` days counted from the day
 * of `from`, e.g. granted on 3 March with 365 days → valid through 3 March next year, expires at
 * 00:00 on 4 March local.
 */
export function endAfterDays(timeZone: string, from: number, days: number): number {
  return startOfLocalDay(timeZone, localDay(timeZone, from) + days + 1);
}

/** When the authorization stops granting, and why; null when it never expires. */
export function effectiveExpiry(
  facts: CertificationFacts,
  policy: Policy,
  timeZone: string,
): { readonly at: number; readonly cause: ExpiryCause } | null {
  if (facts.exempt) return null;
  let best: { at: number; cause: ExpiryCause } | null =
    facts.expiresAt === null ? null : { at: facts.expiresAt, cause: 'validity' };
  // Decay counts from the later of the last use and the grant (a renewal restarts it too).
  const since =
    facts.lastUsedAt === null || facts.grantedAt === null
      ? (facts.lastUsedAt ?? facts.grantedAt)
      : Math.max(facts.lastUsedAt, facts.grantedAt);
  if (policy.decayDays !== null && since !== null) {
    const at = endAfterDays(timeZone, since, policy.decayDays);
    if (best === null || at < best.at) best = { at, cause: 'disuse' };
  }
  return best;
}

/** The state shown and decided on at `now`. */
export function certificationState(
  facts: CertificationFacts,
  policy: Policy,
  timeZone: string,
  now: number,
): AuthorizationState {
  if (facts.status !== 'active') return facts.status;
  return activeState(effectiveExpiry(facts, policy, timeZone), policy, timeZone, now);
}

/**
 * The state at `now` of an active authorization whose effective expiry is `expiry`: for callers
 * that show the expiry too and so have it already.
 */
export function activeState(
  expiry: { readonly at: number } | null,
  policy: Policy,
  timeZone: string,
  now: number,
): 'active' | 'expiring' | 'expired' {
  if (expiry === null) return 'active';
  if (expiry.at <= now) return 'expired';
  const window = Math.max(0, ...policy.reminderDays);
  return window > 0 && localDay(timeZone, now) >= localDay(timeZone, expiry.at) - window
    ? 'expiring'
    : 'active';
}

/** The board's refusal for an authorization that does not grant at `now`, else null. */
export function certificationRefusal(
  facts: CertificationFacts,
  policy: Policy,
  timeZone: string,
  now: number,
): AccessReason | null {
  switch (facts.status) {
    case 'pending':
      return 'authorization-pending';
    case 'suspended':
      return 'authorization-suspended';
    case 'revoked':
      return 'authorization-revoked';
    case 'active': {
      const expiry = effectiveExpiry(facts, policy, timeZone);
      if (expiry === null || expiry.at > now) return null;
      return expiry.cause === 'disuse' ? 'authorization-unused' : 'authorization-expired';
    }
  }
}

/**
 * The reminder due on the lab day of `now`, if any: the number of days before expiry it stands for
 * (one of `policy.reminderDays`), counted in lab days so that a DST change moves no reminder.
 */
export function reminderDue(
  facts: CertificationFacts,
  policy: Policy,
  timeZone: string,
  now: number,
): number | null {
  if (facts.status !== 'active') return null;
  const expiry = effectiveExpiry(facts, policy, timeZone);
  if (expiry === null || expiry.at <= now) return null;
  // The last valid day is the day before the expiry instant (which is 00:00 of the next day).
  const daysLeft = localDay(timeZone, expiry.at - 1) - localDay(timeZone, now);
  return policy.reminderDays.includes(daysLeft) ? daysLeft : null;
}

export type LifecycleAction = 'grant' | 'renew' | 'suspend' | 'reinstate' | 'revoke';

/** The stored state each action moves from, and to. Revoked is final (a new grant starts over). */
const TRANSITIONS: Record<
  LifecycleAction,
  { from: readonly StoredAuthorizationState[]; to: StoredAuthorizationState }
> = {
  grant: { from: ['pending', 'revoked'], to: 'active' },
  renew: { from: ['active'], to: 'active' },
  suspend: { from: ['active'], to: 'suspended' },
  reinstate: { from: ['suspended'], to: 'active' },
  revoke: { from: ['pending', 'active', 'suspended'], to: 'revoked' },
};

/** The state `action` leads to from `status`, or null when it does not apply. */
export function transition(
  status: StoredAuthorizationState,
  action: LifecycleAction,
): StoredAuthorizationState | null {
  const rule = TRANSITIONS[action];
  return rule.from.includes(status) ? rule.to : null;
}

/** Suspending and revoking need a reason; the others may carry one. */
export function needsReason(action: LifecycleAction): boolean {
  return action === 'suspend' || action === 'revoke';
}

/** Who acts on an authorization: staff by portal level, or a member by their trainer grants. */
export interface CertificationActor {
  readonly memberId: number;
  /** Manager or admin: may act everywhere. */
  readonly manager: boolean;
  /** Machine types the actor trains (active trainer grants). */
  readonly trainerOf: ReadonlySet<number>;
}

/**
 * Whether `actor` may grant, renew, suspend, reinstate or revoke an authorization of `memberId` for
 * a machine of type `machineTypeId`: managers and admins everywhere; trainers only for the types
 * they train (a machine without a type is theirs to manage by no one but staff), never their own.
 */
export function mayManage(
  actor: CertificationActor,
  memberId: number,
  machineTypeId: number | null,
): boolean {
  if (actor.manager) return true;
  if (memberId === actor.memberId) return false;
  return machineTypeId !== null && actor.trainerOf.has(machineTypeId);
}
