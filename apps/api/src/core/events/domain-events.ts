import type { LiveEventMap } from '@fabomatic/contracts';

/**
 * What changed, told after the change is committed. The board directory and the maintenance cache
 * forget what they kept; the live gateway re-checks sockets. A `null` id means "several, or not
 * worth telling apart" (an import, a purge, a restore): subscribers forget everything.
 */
export interface ChangeEventMap {
  /** A member's card, role, state or existence changed (`null`: several, an import or a purge). */
  'member-changed': { readonly memberId: number | null };
  /** A role's levels changed, or it was deleted. */
  'role-changed': { readonly roleId: number };
  /**
   * What a member's portal sessions may see may have narrowed (password changed, disabled, deleted,
   * role changed; `null`: everyone's, a role's level changed): the live gateway re-checks their
   * sockets at once instead of at its next round. This instance only: sockets on another instance
   * follow at their next round (at most a minute).
   */
  'portal-access-changed': { readonly memberId: number | null };
  /** A machine was created, changed, retired, reinstated or deleted (`removed`). */
  'machine-changed': { readonly machineId: number; readonly removed?: boolean };
  /** A machine type was renamed or deleted (its machines' boards show the type). */
  'machine-type-changed': { readonly typeId: number };
  /** A board was bound to a machine or unbound from it. */
  'board-changed': { readonly boardId: number };
  /** A member's authorization on a machine was granted, changed or revoked (`null`: several). */
  'authorization-changed': { readonly memberId: number | null; readonly machineId: number | null };
  /** A maintenance plan or intervention of a machine changed through the portal. */
  'plan-changed': { readonly machineId: number };
  /** A machine's sessions were edited through the portal (created, corrected, deleted, closed). */
  'sessions-edited': { readonly machineId: number };
}

/**
 * Every domain event: the changes above and the live events dashboards receive (session started
 * or stopped, access decided as `access-event`, maintenance recorded...), whose names are listed
 * once, in contracts (LIVE_EVENT_NAMES). Only the live ones leave the process (scale-out relay).
 */
export interface DomainEventMap extends LiveEventMap, ChangeEventMap {}

export type DomainEventName = keyof DomainEventMap;

/** Events a transaction produced, published by the UnitOfWork once (and only if) it commits. */
export interface PendingEvents {
  publish<K extends DomainEventName>(name: K, payload: DomainEventMap[K]): void;
}
