import type { PortalAccess } from './domain';
import type { AuthorizationState, ExpiryCause } from './training';

/** Languages of the portal and of emails a member may choose. */
export const MEMBER_LANGUAGES = ['en', 'it'] as const;
export type MemberLanguage = (typeof MEMBER_LANGUAGES)[number];

/** The name a GDPR-erased member keeps (their history stays, no longer personal). */
export const ERASED_MEMBER_NAME = 'Erased';

/** Most members one bulk authorization may name. */
export const MAX_BULK_AUTHORIZATIONS = 500;

/** A member as the portal sees it: never the password hash, only whether there is one. */
export interface MemberDto {
  readonly id: number;
  readonly name: string;
  readonly surname: string;
  readonly email: string | null;
  readonly cardUid: string | null;
  readonly roleId: number;
  readonly roleName: string;
  /** The portal access the member's role gives. */
  readonly portalAccess: PortalAccess;
  readonly disabled: boolean;
  readonly deleted: boolean;
  readonly deletedAt: string | null;
  /** Personal data erased (GDPR): cannot be restored. */
  readonly erased: boolean;
  readonly hasPassword: boolean;
  readonly receiveWeeklySummary: boolean;
  readonly language: MemberLanguage;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface MemberInput {
  readonly name: string;
  readonly surname?: string;
  readonly email?: string | null;
  readonly roleId: number;
  /** 8, 14 or 20 hex chars, either case; stored lower-case. */
  readonly cardUid?: string | null;
  readonly disabled?: boolean;
  readonly receiveWeeklySummary?: boolean;
  readonly language?: MemberLanguage;
}

/** What a member has, answered by soft delete and erase. */
export interface MemberHoldings {
  readonly sessions: number;
  readonly authorizations: number;
  readonly interventions: number;
}

export interface MemberDeleteResult extends MemberHoldings {
  /** Portal sessions ended by the delete. */
  readonly portalSessionsEnded: number;
  /** Machines the member was using: their sessions were closed at the delete, hours counted. */
  readonly sessionsClosed: readonly string[];
}

export interface MemberEraseResult extends MemberHoldings {
  /** Authorizations removed by the erase. */
  readonly authorizationsDeleted: number;
}

/** A card tapped on a board that belongs to no member. */
export interface UnknownCardDto {
  readonly cardUid: string;
  readonly lastSeenAt: string;
  readonly lastTopicId: string;
  readonly lastMachineId: number | null;
  readonly lastMachineName: string | null;
  readonly taps: number;
}

/** "New member with this card". */
export interface UnknownCardMemberInput {
  readonly name: string;
  readonly surname?: string;
  readonly roleId: number;
  readonly email?: string | null;
}

export interface AuthorizationDto {
  readonly id: number;
  readonly memberId: number;
  readonly memberName: string;
  readonly memberSurname: string;
  readonly memberDisabled: boolean;
  readonly machineId: number;
  readonly machineName: string;
  readonly machineTypeId: number | null;
  /** The validity end stored (set at grant or renewal from the policy, or by staff). */
  readonly expiresAt: string | null;
  /** Not granting now: the state is expired (kept for older clients; see `state`). */
  readonly expired: boolean;
  readonly createdAt: string;
  /** The lifecycle state at the time of the request (issue 15). */
  readonly state: AuthorizationState;
  /** The effective expiry: the earlier of validity and usage decay; null: never expires. */
  readonly effectiveExpiresAt: string | null;
  readonly expiryCause: ExpiryCause | null;
  /** Last session on any machine of the type (what usage decay counts from). */
  readonly lastUsedAt: string | null;
  readonly grantedAt: string | null;
  readonly grantedBy: { readonly id: number; readonly name: string } | null;
  /** The member's role is staff (board level ≥ 2): exempt from expiry. */
  readonly exempt: boolean;
}

export interface AuthorizationInput {
  readonly memberId: number;
  readonly machineId: number;
  readonly expiresAt?: string | null;
}

export interface BulkAuthorizationInput {
  readonly machineId: number;
  readonly memberIds: readonly number[];
  readonly expiresAt?: string | null;
}

export interface BulkAuthorizationResult {
  readonly created: number;
  readonly skipped: number;
}

/** The kinds of rows the audit log records changes of (its `entityType` filter). */
export const AUDIT_ENTITY_TYPES = [
  'member',
  'role',
  'machine',
  'machine-type',
  'authorization',
  'training-request',
  'training-session',
  'usage-session',
  'maintenance-plan',
  'intervention',
  'board',
  'board-account',
  'trainer',
  'kiosk',
  'lab-settings',
  'access-events',
  'system',
] as const;
export type AuditEntityType = (typeof AUDIT_ENTITY_TYPES)[number];

export interface AuditEntryDto {
  readonly id: number;
  readonly occurredAt: string;
  readonly actorMemberId: number | null;
  readonly actorLabel: string;
  /** The acting member's name now (null: not a member, or no longer in the database). */
  readonly actorName: string | null;
  readonly action: string;
  /** One of AUDIT_ENTITY_TYPES (older entries may hold others). */
  readonly entityType: string;
  readonly entityId: string | null;
  /**
   * What the entry is about, readable: a member's or machine's name, a board's printed serial, the
   * member and machine of an authorization or session; from the database now, else from the entry's
   * snapshot (a deleted row). Null when nothing names it.
   */
  readonly entityName: string | null;
  readonly before: Readonly<Record<string, unknown>> | null;
  readonly after: Readonly<Record<string, unknown>> | null;
}
