import { HttpStatus } from '@nestjs/common';
import type { AuthorizationChange, StoredAuthorizationState } from '@fabomatic/contracts';
import type { EntityManager } from 'typeorm';
import { ApiError } from '../../core/http/api-error';
import { MachineType } from '../machine-types/machine-type.entity';
import { Machine } from '../machines/machine.entity';
import { AuthorizationChangeEntry } from './authorization-change.entity';
import { Authorization } from './authorization.entity';
import {
  endAfterDays,
  type LifecycleAction,
  needsReason,
  NO_POLICY,
  type Policy,
  transition,
} from './certification';

/**
 * The one writer of an authorization's lifecycle (issue 15): grants, renewals, suspensions,
 * reinstatements and revocations go through here, inside the caller's transaction, so that every
 * change leaves its history row and the validity end follows the machine type's policy.
 * The caller publishes `authorization-changed` (the boards' directory) and records the audit entry.
 */

/** `30,7,1` → [30, 7, 1]: the reminder steps of a policy, largest first, positive and unique. */
export function parseReminderDays(stored: string): number[] {
  const days = stored
    .split(',')
    .map((part) => Number(part.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
  return [...new Set(days)].sort((a, b) => b - a);
}

export function policyOf(
  type: Pick<MachineType, 'validityDays' | 'decayDays' | 'reminderDays'> | null,
): Policy {
  if (!type) return NO_POLICY;
  return {
    validityDays: type.validityDays,
    decayDays: type.decayDays,
    reminderDays: parseReminderDays(type.reminderDays),
  };
}

/** The policy of a machine's type, and the type (null for a machine without one). */
export async function machinePolicy(
  em: EntityManager,
  machineId: number,
): Promise<{ readonly typeId: number | null; readonly policy: Policy }> {
  const machine = await em.findOne(Machine, { where: { id: machineId }, relations: { type: true } });
  const type = machine?.type ?? null;
  return { typeId: type?.id ?? null, policy: policyOf(type) };
}

export interface LifecycleContext {
  /** The member acting (staff or trainer); null for the system (import, a job). */
  readonly actorId: number | null;
  readonly now: Date;
  /** LAB_TIME_ZONE: validity counts whole lab days. */
  readonly timeZone: string;
}

/** A lifecycle action refused by the rules (409), with the state it was asked in. */
function invalidTransition(status: StoredAuthorizationState, action: LifecycleAction): ApiError {
  return new ApiError(
    HttpStatus.CONFLICT,
    'AUTHORIZATION_TRANSITION_INVALID',
    `a ${status} authorization cannot be changed by ${action}`,
    { state: [status], action: [action] },
  );
}

export function reasonRequired(): ApiError {
  return new ApiError(HttpStatus.BAD_REQUEST, 'AUTHORIZATION_REASON_REQUIRED', 'a reason is required', {
    reason: ['required'],
  });
}

const CHANGE_OF: Record<LifecycleAction, AuthorizationChange> = {
  grant: 'granted',
  renew: 'renewed',
  suspend: 'suspended',
  reinstate: 'reinstated',
  revoke: 'revoked',
};

/**
 * Applies `action` to a loaded authorization and records it. A grant or renewal restarts the
 * validity (`validityDays` from now, in lab days) unless `expiresAt` is given (staff may set a date);
 * suspend and revoke need a reason.
 */
export async function applyLifecycle(
  em: EntityManager,
  authorization: Authorization,
  action: LifecycleAction,
  context: LifecycleContext,
  options: { readonly reason?: string | null; readonly expiresAt?: Date | null } = {},
): Promise<Authorization> {
  const reason = options.reason?.trim() || null;
  if (needsReason(action) && reason === null) throw reasonRequired();
  const to = transition(authorization.status, action);
  if (to === null) throw invalidTransition(authorization.status, action);
  const from = authorization.status;
  authorization.status = to;
  if (action === 'grant' || action === 'renew') {
    const { policy } = await machinePolicy(em, authorization.machineId);
    authorization.grantedAt = context.now;
    authorization.grantedById = context.actorId;
    authorization.expiresAt =
      options.expiresAt !== undefined
        ? options.expiresAt
        : policy.validityDays === null
          ? null
          : new Date(endAfterDays(context.timeZone, context.now.getTime(), policy.validityDays));
  }
  const saved = await em.save(authorization);
  await recordChange(em, saved, CHANGE_OF[action], from, reason, context);
  return saved;
}

/**
 * Grants `memberId` on `machineId`: creates the authorization, or grants again a pending or revoked
 * one. An active or suspended one is returned unchanged (`created: false`): a grant never overrides a
 * suspension.
 */
export async function grantAuthorization(
  em: EntityManager,
  memberId: number,
  machineId: number,
  context: LifecycleContext,
  options: { readonly expiresAt?: Date | null; readonly change?: 'granted' | 'imported' } = {},
): Promise<{ readonly authorization: Authorization; readonly changed: boolean }> {
  const existing = await em.findOneBy(Authorization, { memberId, machineId });
  if (existing) {
    if (existing.status === 'active' || existing.status === 'suspended')
      return { authorization: existing, changed: false };
    return { authorization: await applyLifecycle(em, existing, 'grant', context, options), changed: true };
  }
  const { policy } = await machinePolicy(em, machineId);
  const expiresAt =
    options.expiresAt !== undefined
      ? options.expiresAt
      : policy.validityDays === null
        ? null
        : new Date(endAfterDays(context.timeZone, context.now.getTime(), policy.validityDays));
  const created = await em.save(
    em.create(Authorization, {
      memberId,
      machineId,
      expiresAt,
      status: 'active',
      grantedAt: context.now,
      grantedById: context.actorId,
      lastUsedAt: null,
    }),
  );
  await recordChange(em, created, options.change ?? 'granted', null, null, context);
  return { authorization: created, changed: true };
}

/** A pending authorization for a training request (refused at the tap until granted). */
export async function requestAuthorization(
  em: EntityManager,
  memberId: number,
  machineId: number,
  context: LifecycleContext,
): Promise<Authorization> {
  const existing = await em.findOneBy(Authorization, { memberId, machineId });
  if (existing) return existing;
  const created = await em.save(
    em.create(Authorization, {
      memberId,
      machineId,
      expiresAt: null,
      status: 'pending',
      grantedAt: null,
      grantedById: null,
      lastUsedAt: null,
    }),
  );
  await recordChange(em, created, 'requested', null, null, context);
  return created;
}

export async function recordChange(
  em: EntityManager,
  authorization: Authorization,
  change: AuthorizationChange,
  from: StoredAuthorizationState | null,
  reason: string | null,
  context: LifecycleContext,
): Promise<void> {
  await em.insert(AuthorizationChangeEntry, {
    authorizationId: authorization.id,
    memberId: authorization.memberId,
    machineId: authorization.machineId,
    at: context.now,
    change,
    fromStatus: from,
    toStatus: authorization.status,
    reason,
    actorId: context.actorId,
    expiresAt: authorization.expiresAt,
  });
}
