/**
 * Training and certification (issue 15). An authorization is a safety certification with a
 * lifecycle; every change is kept as history (who, when, why) and nothing is deleted.
 *
 * Stored states: `pending` (training requested, not yet granted), `active`, `suspended`, `revoked`.
 * `expiring` and `expired` are derived at read time (and at the tap) from the authorization's
 * effective expiry: the earlier of its validity end (`expiresAt`) and, under usage decay, its last
 * use on any machine of the type plus the type's `decayDays`. Staff roles (board level ≥ 2:
 * maintenance or authorize-all roles) are exempt from expiry.
 */
export const AUTHORIZATION_STATES = [
  'pending',
  'active',
  'expiring',
  'expired',
  'suspended',
  'revoked',
] as const;
export type AuthorizationState = (typeof AUTHORIZATION_STATES)[number];

/** The states stored in `authorizations.status`; the others are derived from dates. */
export const STORED_AUTHORIZATION_STATES = ['pending', 'active', 'suspended', 'revoked'] as const;
export type StoredAuthorizationState = (typeof STORED_AUTHORIZATION_STATES)[number];

/** What happened to an authorization, as its history records it. */
export const AUTHORIZATION_CHANGES = [
  'requested',
  'granted',
  'renewed',
  'suspended',
  'reinstated',
  'revoked',
  'expiry-changed',
  'imported',
] as const;
export type AuthorizationChange = (typeof AUTHORIZATION_CHANGES)[number];

/** Why it expires: its validity ended, or it was not used for `decayDays`. */
export type ExpiryCause = 'validity' | 'disuse';

/** A machine type's certification policy (all optional: none set = never expires). */
export interface CertificationPolicyDto {
  /** Days an authorization is valid from its grant (or last renewal); null: no limit. */
  readonly validityDays: number | null;
  /** Days without a session on any machine of the type after which it expires; null: no decay. */
  readonly decayDays: number | null;
  /** Days before expiry when the member is reminded, e.g. [30, 7, 1]. */
  readonly reminderDays: readonly number[];
}

export interface AuthorizationHistoryDto {
  readonly id: number;
  readonly at: string;
  readonly change: AuthorizationChange;
  readonly from: StoredAuthorizationState | null;
  readonly to: StoredAuthorizationState;
  /** Required for suspended and revoked. */
  readonly reason: string | null;
  readonly actor: { readonly id: number; readonly name: string } | null;
  readonly expiresAt: string | null;
}

/** One authorization with its lifecycle (staff views, the member's own view, the trainer's). */
export interface CertificationDto {
  readonly id: number;
  readonly memberId: number;
  readonly memberName: string;
  readonly machineId: number;
  readonly machineName: string;
  readonly machineTypeId: number | null;
  readonly machineTypeName: string | null;
  readonly state: AuthorizationState;
  readonly grantedAt: string | null;
  readonly grantedBy: { readonly id: number; readonly name: string } | null;
  /** The effective expiry (earlier of validity and decay), null when it never expires. */
  readonly expiresAt: string | null;
  readonly expiryCause: ExpiryCause | null;
  /** Last session on any machine of the type (what decay counts from). */
  readonly lastUsedAt: string | null;
  /** True when the member's role is exempt (staff): never expires. */
  readonly exempt: boolean;
}

/** Lifecycle actions: `POST /api/authorizations/:id/{renew,suspend,reinstate,revoke}`. */
export interface AuthorizationTransitionRequest {
  /** Required for suspend and revoke. */
  readonly reason?: string;
}

/** Trainers: a member made a trainer for machine types (managers and admins grant it). */
export interface TrainerDto {
  readonly id: number;
  readonly memberId: number;
  readonly memberName: string;
  readonly machineTypeId: number;
  readonly machineTypeName: string;
  readonly grantedAt: string;
  readonly grantedBy: { readonly id: number; readonly name: string } | null;
  readonly revokedAt: string | null;
}

export interface TrainerInput {
  readonly memberId: number;
  readonly machineTypeId: number;
}

export const TRAINING_REQUEST_STATES = ['open', 'planned', 'done', 'cancelled'] as const;
export type TrainingRequestState = (typeof TRAINING_REQUEST_STATES)[number];

export interface TrainingRequestDto {
  readonly id: number;
  readonly memberId: number;
  readonly memberName: string;
  readonly machineTypeId: number;
  readonly machineTypeName: string;
  readonly note: string | null;
  readonly state: TrainingRequestState;
  readonly createdAt: string;
  readonly trainingSessionId: number | null;
  /**
   * The session it is planned in (`planned`), or the last one it was answered by: `done` (the trainee
   * qualified), or back to `open` after `not-qualified` / `absent` (the request stays in the queue).
   */
  readonly session: TrainingRequestSessionDto | null;
}

/** The session a training request is planned in (or was last answered by), as the member sees it. */
export interface TrainingRequestSessionDto {
  readonly id: number;
  readonly startsAt: string;
  readonly place: string;
  readonly trainerName: string;
  /** The trainee's result there (`pending` until the outcomes are recorded). */
  readonly outcome: TrainingOutcome;
}

/**
 * `GET /api/me/training-types`: the machine types one may ask training for (those managed by
 * authorization), as the signed-in member sees them.
 */
export interface TrainingTypeDto {
  readonly id: number;
  readonly name: string;
  /** Its machines in service. */
  readonly machineNames: readonly string[];
  /** The member holds an authorization that grants now on every machine of the type. */
  readonly authorized: boolean;
  /** The member trains the type (an active trainer grant). */
  readonly trains: boolean;
}

/** `GET /api/training-requests` (the queue: trainers of the type, managers, admins). */
export interface TrainingRequestQuery {
  readonly machineTypeId?: number;
  /** Default: open and planned. */
  readonly state?: TrainingRequestState;
}

/** `POST /api/me/training-requests` (a member asks for training on a machine type). */
export interface TrainingRequestInput {
  readonly machineTypeId: number;
  readonly note?: string;
}

export const TRAINING_OUTCOMES = ['pending', 'qualified', 'not-qualified', 'absent'] as const;
export type TrainingOutcome = (typeof TRAINING_OUTCOMES)[number];

export interface TraineeDto {
  readonly memberId: number;
  readonly memberName: string;
  /** Whether the trainee has a card (a supervised start logs in with it). */
  readonly hasCard: boolean;
  readonly requestId: number | null;
  readonly outcome: TrainingOutcome;
}

export interface TrainingSessionDto {
  readonly id: number;
  readonly machineTypeId: number;
  readonly machineTypeName: string;
  readonly trainer: { readonly id: number; readonly name: string };
  readonly startsAt: string;
  readonly place: string;
  readonly capacity: number;
  readonly trainees: readonly TraineeDto[];
  /** Set once outcomes are recorded. */
  readonly completedAt: string | null;
  /** The machines of the type (not retired): what qualified trainees may be granted. */
  readonly machines: readonly { readonly id: number; readonly name: string }[];
}

/** `POST /api/training-sessions` (trainers of the type, managers, admins). */
export interface TrainingSessionInput {
  readonly machineTypeId: number;
  readonly startsAt: string;
  readonly place: string;
  readonly capacity: number;
  /** Members to train, usually from the type's open requests. */
  readonly memberIds: readonly number[];
  /**
   * Who trains: a trainer of the type. Managers and admins may name one (default: themselves); a
   * trainer always trains their own sessions.
   */
  readonly trainerId?: number;
}

/** `PATCH /api/training-sessions/:id`: before the outcomes are recorded. */
export type TrainingSessionUpdate = Partial<Omit<TrainingSessionInput, 'machineTypeId'>>;

/** `GET /api/training-sessions` (planned and past, most recent first). */
export interface TrainingSessionQuery {
  readonly machineTypeId?: number;
  /** Sessions starting at or after this instant. */
  readonly from?: string;
  /** Sessions starting before this instant. */
  readonly to?: string;
}

/**
 * `POST /api/training-sessions/:id/outcomes`: each trainee's result; qualified trainees get active
 * authorizations for `machineIds` (machines of the session's type) in the same transaction.
 */
export interface TrainingOutcomesInput {
  readonly outcomes: readonly {
    readonly memberId: number;
    readonly outcome: Exclude<TrainingOutcome, 'pending'>;
  }[];
  readonly machineIds: readonly number[];
}

/** `POST /api/machines/:id/supervised-start`: a trainer starts the machine for a trainee's first use. */
export interface SupervisedStartInput {
  readonly traineeId: number;
}
