/**
 * Portal access levels, lowest first. `none`: the role's members cannot sign in at all; `member`: the
 * members' own portal only (their standing, sessions, refused taps, problem reports), no staff page.
 */
export const PORTAL_ACCESS_LEVELS = ['none', 'member', 'read-only', 'manager', 'admin'] as const;
export type PortalAccess = (typeof PORTAL_ACCESS_LEVELS)[number];

/** `authorization`: a member × machine authorization is needed; `open`: any active member may use. */
export const ACCESS_MANAGEMENT = ['authorization', 'open'] as const;
export type AccessManagement = (typeof ACCESS_MANAGEMENT)[number];

export const INTERVENTION_SOURCES = ['board', 'manual', 'import'] as const;
export type InterventionSource = (typeof INTERVENTION_SOURCES)[number];

/**
 * Why a usage session ended: the member logged out (`stopuse`), another member logged in on the same
 * machine (`superseded`), no heartbeat for too long (`orphan`), or staff closed/entered it (`manual`).
 */
export const SESSION_END_REASONS = ['stopuse', 'superseded', 'orphan', 'manual', 'import'] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

/** What a board or a person asked for, recorded as an access event. */
export const ACCESS_ACTIONS = [
  'checkmachine',
  'checkuser',
  'inuse',
  'startuse',
  'stopuse',
  'maintenance',
  'remote-start',
  'remote-stop',
  /** A board's `alive`, recorded only when it raises an alert (a board moved or replaced). */
  'alive',
] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

/** The reason of a decision, shown translated to staff (`access-reasons.<reason>`). */
export const ACCESS_REASONS = [
  'granted',
  'unknown-card',
  'unknown-machine',
  'member-disabled',
  'member-deleted',
  'no-authorization',
  'authorization-expired',
  /** Refused: the authorization expired because the machine type was not used for its decay days. */
  'authorization-unused',
  /** Refused: the authorization is suspended (a reason is recorded in its history). */
  'authorization-suspended',
  /** Refused: the authorization was revoked. */
  'authorization-revoked',
  /** Refused: training was requested, the authorization is not granted yet. */
  'authorization-pending',
  'machine-blocked',
  /** Refused: the machine is retired (kept for its history, out of service). */
  'machine-retired',
  /** Refused: an open out-of-order problem report (members; staff pass unless it is a hard lock). */
  'machine-out-of-order',
  'maintenance-recorded',
  'nothing-due',
  'not-a-maintainer',
  'command-sent',
  /** Refused: a query on a board topic held by another broker connection (a forged board). */
  'topic-conflict',
  /** Refused: an `alive` with the serial of a board bound to a machine on another topic. */
  'board-bound-elsewhere',
  /** Alert: an `alive` on a machine's topic from another serial than the board bound there. */
  'board-serial-mismatch',
] as const;
export type AccessReason = (typeof ACCESS_REASONS)[number];

/** Machine status on the dashboard, by priority (legacy order). */
export const MACHINE_STATUSES = [
  'in-use',
  'blocked',
  'out-of-order',
  'maintenance',
  'offline',
  'free',
] as const;
export type MachineStatus = (typeof MACHINE_STATUSES)[number];

export interface RoleDto {
  readonly id: number;
  readonly name: string;
  readonly authorizeAll: boolean;
  readonly maintenance: boolean;
  readonly portalAccess: PortalAccess;
  readonly reserved: boolean;
  readonly memberCount: number;
}

export interface RoleInput {
  readonly name: string;
  readonly authorizeAll: boolean;
  readonly maintenance: boolean;
  readonly portalAccess: PortalAccess;
}
