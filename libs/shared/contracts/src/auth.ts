import type { PortalAccess } from './domain';
import { PORTAL_ACCESS_LEVELS } from './domain';

/** Header every state-changing request must carry (CSRF defence, see docs/adr/0003). */
export const CSRF_HEADER = 'x-requested-with';
export const CSRF_HEADER_VALUE = 'fabomatic';
export const SESSION_COOKIE = 'fabomatic_session';

/** Whether a portal level includes another: admin ⊃ manager ⊃ read-only ⊃ member ⊃ none. */
export function hasAccess(level: PortalAccess, required: PortalAccess): boolean {
  return PORTAL_ACCESS_LEVELS.indexOf(level) >= PORTAL_ACCESS_LEVELS.indexOf(required);
}

export interface LoginRequest {
  readonly email: string;
  readonly password: string;
}

export interface ChangePasswordRequest {
  /** Needed unless the user has no password yet (a member who signs in by emailed link). */
  readonly currentPassword?: string;
  readonly newPassword: string;
}

/** The signed-in portal user, as the SPA sees it. */
export interface CurrentUser {
  readonly id: number;
  readonly name: string;
  readonly surname: string;
  readonly email: string;
  readonly access: PortalAccess;
  readonly language: string;
  /** True until a bootstrap or reset password has been changed: only this may be done. */
  readonly mustChangePassword: boolean;
  /** Whether the user's member record has a card (a remote start logs in with it). */
  readonly hasCard: boolean;
  /** False for a member who only signs in by emailed link: they set a first password without a current one. */
  readonly hasPassword: boolean;
}

/** `POST /api/auth/magic-link`: email a sign-in link to the address, if it is a member's (always 202). */
export interface MagicLinkRequest {
  readonly email: string;
}

/** `POST /api/auth/magic-link/verify`: the token of an emailed link opens the session. */
export interface MagicLinkVerifyRequest {
  readonly token: string;
}

/** How long an emailed sign-in link stays valid. */
export const MAGIC_LINK_TTL_MINUTES = 15;

/** Where the SPA sends a user after sign-in: the members' portal below read-only, else the dashboard. */
export function homeFor(level: PortalAccess): '/me' | '/' {
  return hasAccess(level, 'read-only') ? '/' : '/me';
}

/** Minimum length of a portal password. */
export const MIN_PASSWORD_LENGTH = 10;

export interface ForgotPasswordRequest {
  readonly email: string;
}

/** `GET /api/auth/forgot`: whether reset links can be emailed at all (the lab's setting, not an address's). */
export interface ForgotPasswordOptions {
  readonly emailConfigured: boolean;
}

export interface ResetPasswordRequest {
  readonly token: string;
  readonly newPassword: string;
}

/** The lowest portal level that sees card UIDs in full; below it they are masked. */
export const FULL_CARD_UID_ACCESS: PortalAccess = 'manager';

/** A card UID as `level` may see it: in full from manager up, else its last 4 characters (`••••••a1b2`). */
export function cardUidFor<T extends string | null>(level: PortalAccess, uid: T): T {
  if (uid === null || hasAccess(level, FULL_CARD_UID_ACCESS)) return uid;
  return `••••••${uid.slice(-4)}` as T;
}
