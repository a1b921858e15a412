import type { AuthorizationDto, AuthorizationState, PortalAccess } from '@fabomatic/contracts';
import { hasAccess } from '@fabomatic/contracts';
import type { CertificationAction } from './authorizations-api';

/**
 * The portal's view of the certification lifecycle (issue 15): the state badge of a row and the
 * actions the signed-in user may take on it. The API decides; this only hides what it would refuse.
 */

/** The badge of a state: its label (`certification.states.<key>`) and its colour class. */
export function stateBadge(row: Pick<AuthorizationDto, 'state' | 'expiryCause'>): {
  readonly key: string;
  readonly tone: 'ok' | 'warn' | 'bad' | 'muted';
} {
  const tones: Record<AuthorizationState, 'ok' | 'warn' | 'bad' | 'muted'> = {
    pending: 'muted',
    active: 'ok',
    expiring: 'warn',
    expired: 'bad',
    suspended: 'warn',
    revoked: 'bad',
  };
  const key = row.state === 'expired' && row.expiryCause === 'disuse' ? 'expired-unused' : row.state;
  return { key, tone: tones[row.state] };
}

/** The stored state each action applies to (certification.ts on the API). */
const FROM: Record<CertificationAction, readonly AuthorizationState[]> = {
  renew: ['active', 'expiring', 'expired'],
  suspend: ['active', 'expiring', 'expired'],
  reinstate: ['suspended'],
  revoke: ['pending', 'active', 'expiring', 'expired', 'suspended'],
};

export const CERTIFICATION_ACTIONS: readonly CertificationAction[] = [
  'renew',
  'suspend',
  'reinstate',
  'revoke',
];

/** Suspending and revoking need a reason, kept in the history. */
export function needsReason(action: CertificationAction): boolean {
  return action === 'suspend' || action === 'revoke';
}

/** Who is looking: their portal level, member id and the machine types they train. */
export interface CertificationViewer {
  readonly memberId: number;
  readonly access: PortalAccess;
  readonly trainerOf: ReadonlySet<number>;
}

/** Whether the viewer may act on this row at all: managers everywhere, trainers on others' rows of their types. */
export function mayManage(
  viewer: CertificationViewer,
  row: Pick<AuthorizationDto, 'memberId' | 'machineTypeId'>,
): boolean {
  if (hasAccess(viewer.access, 'manager')) return true;
  if (row.memberId === viewer.memberId) return false;
  return row.machineTypeId !== null && viewer.trainerOf.has(row.machineTypeId);
}

/** The actions to offer on a row. */
export function actionsFor(
  viewer: CertificationViewer,
  row: Pick<AuthorizationDto, 'memberId' | 'machineTypeId' | 'state'>,
): CertificationAction[] {
  if (!mayManage(viewer, row)) return [];
  return CERTIFICATION_ACTIONS.filter((action) => FROM[action].includes(row.state));
}
