/**
 * The lab's kiosk screen (issue 14): a read-only, full-screen view of the machines for a TV, opened
 * with a revocable token instead of a staff login. Staff (manager and up) create and revoke kiosks;
 * only the SHA-256 of each token is stored.
 */

/** What a kiosk tile says about a machine, by priority (in use first). */
export const KIOSK_STATES = [
  'in-use',
  'out-of-order',
  'blocked',
  'maintenance-due',
  'offline',
  'free',
] as const;
export type KioskState = (typeof KIOSK_STATES)[number];

/** `Authorization: Kiosk <token>` on `GET /api/kiosk/status`. */
export const KIOSK_AUTH_SCHEME = 'Kiosk';
/** The socket.io handshake field (`auth: { kioskToken }`) of a kiosk's live socket on /api/live. */
export const KIOSK_HANDSHAKE_FIELD = 'kioskToken';
/** The one event a kiosk socket receives: a tile changed. */
export const KIOSK_MACHINE_EVENT = 'kiosk-machine';
/** Sent to a kiosk socket just before it is closed because its token was revoked. */
export const KIOSK_REVOKED_EVENT = 'kiosk-revoked';
export const KIOSK_NAME_MAX = 60;

/** A kiosk as staff see it (never its token). */
export interface KioskDto {
  readonly id: number;
  readonly name: string;
  /** Who created it (a name), null when that member is gone. */
  readonly createdBy: string | null;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

export interface KioskInput {
  readonly name: string;
}

/** The answer to `POST /api/kiosks`: the token and the screen's URL, shown this once. */
export interface CreatedKioskDto extends KioskDto {
  readonly token: string;
  /** `<PUBLIC_URL>/kiosk#token=<token>` (the fragment never reaches a server log). */
  readonly url: string;
}

/** One machine on the kiosk screen: only what the screen shows. */
export interface KioskMachineDto {
  readonly machineId: number;
  readonly name: string;
  readonly typeName: string | null;
  readonly state: KioskState;
  /** ISO time the state began when known (a session's start, the board's last message…), else null. */
  readonly since: string | null;
  /** The first name of who uses it, only while in use and when the lab setting allows it. */
  readonly firstName: string | null;
}

/** `GET /api/kiosk/status`. */
export interface KioskStatusDto {
  readonly labName: string | null;
  readonly machines: readonly KioskMachineDto[];
}

/** The lab's settings kept in the database, editable by managers (`GET/PUT /api/lab-settings`). */
export interface LabSettingsDto {
  /** Shown on the kiosk screen; null when unset. */
  readonly labName: string | null;
  /** Whether the kiosk shows the first name of who uses a machine (default off). */
  readonly kioskShowsFirstNames: boolean;
}

export const LAB_NAME_MAX = 80;
