import type { AccessAction, AccessReason, AccessManagement } from './domain';
import type { Page } from './paging';

/**
 * The members' own data (issue 14, `/api/me/…`): every route answers for the signed-in user only,
 * whose id comes from the session, never from the request.
 */

/**
 * What an authorization does at the board now, in the order the board decides: a retired or blocked
 * machine refuses everyone; else an authorization pending (training asked for), suspended or revoked
 * refuses; else an expired one (by its validity or by disuse: `expiresAt` is then the date the board
 * applied) refuses; else it grants.
 */
export const MY_AUTHORIZATION_STATES = [
  'active',
  'expired',
  'pending',
  'suspended',
  'revoked',
  'machine-blocked',
  'machine-retired',
] as const;
export type MyAuthorizationState = (typeof MY_AUTHORIZATION_STATES)[number];

export interface MyAuthorizationDto {
  readonly id: number;
  readonly machineId: number;
  readonly machineName: string;
  /** The machine type's name, null when the machine has none. */
  readonly machineType: string | null;
  /** When the authorization was given. */
  readonly since: string;
  /** Null: it never expires. */
  readonly expiresAt: string | null;
  readonly state: MyAuthorizationState;
}

/** A machine in service the member has no authorization for (or that is open to everyone). */
export interface MyMachineDto {
  readonly machineId: number;
  readonly machineName: string;
  readonly machineType: string | null;
  readonly accessManagement: AccessManagement;
  /** Blocked: the board refuses everyone for now. */
  readonly blocked: boolean;
}

/** `GET /api/me/authorizations`: the member's standing at the machines. */
export interface MyAuthorizationsDto {
  /** The role may use every machine in service (board level 3): no authorization is needed. */
  readonly authorizeAll: boolean;
  /** A disabled member is refused at every machine. */
  readonly disabled: boolean;
  readonly authorizations: readonly MyAuthorizationDto[];
  /** Machines in service needing an authorization the member lacks (empty with `authorizeAll`). */
  readonly notAuthorized: readonly MyMachineDto[];
  /** Machines whose type is open to every active member. */
  readonly open: readonly MyMachineDto[];
}

export interface MySessionDto {
  readonly id: number;
  readonly machineId: number;
  readonly machineName: string;
  readonly startedAt: string;
  readonly endedAt: string | null;
  /** Null while the session is open. */
  readonly durationSeconds: number | null;
  readonly open: boolean;
}

/** `GET /api/me/sessions?from&to&machineId&cursor`: a keyset page, newest first, and the filter's total. */
export interface MySessionPage extends Page<MySessionDto> {
  /** Closed sessions the filter selects, summed (every page, not just this one). */
  readonly totalSeconds: number;
  readonly totalSessions: number;
}

export interface MySessionQuery {
  readonly from?: string;
  readonly to?: string;
  readonly machineId?: number;
  readonly cursor?: string;
  readonly pageSize?: number;
}

/** A tap (or board request) refused: what the portal phrases as a plain sentence. */
export interface MyRefusedTapDto {
  readonly id: number;
  readonly occurredAt: string;
  readonly machineId: number | null;
  readonly machineName: string | null;
  readonly action: AccessAction;
  readonly reason: AccessReason;
  /**
   * `authorization-expired` or `authorization-unused`: when the authorization had expired, by its
   * validity or by disuse (null when it has since been renewed or deleted).
   */
  readonly authorizationExpiresAt: string | null;
  /** Taps this row stands for (an unknown card tapped again within 10 s adds one). */
  readonly count: number;
}

/**
 * The datasets of the right of access (GDPR art. 15): `GET /api/me/data.json` holds them all, each
 * also one CSV (`GET /api/me/data/<dataset>.csv`).
 */
export const MY_DATA_DATASETS = [
  'profile',
  'authorizations',
  'sessions',
  'access-events',
  'problem-reports',
  'audit',
] as const;
export type MyDataDataset = (typeof MY_DATA_DATASETS)[number];
