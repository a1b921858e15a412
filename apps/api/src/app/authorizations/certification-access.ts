import { HttpStatus } from '@nestjs/common';
import { hasAccess } from '@fabomatic/contracts';
import { type EntityManager, IsNull } from 'typeorm';
import { ApiError } from '../../core/http/api-error';
import type { SessionUser } from '../auth/session-user';
import { Trainer } from '../training/trainer.entity';
import { type CertificationActor, mayManage } from './certification';

/**
 * Who acts on an authorization's lifecycle (issue 15): managers and admins everywhere, trainers for
 * the machine types they train (read from their active trainer grants, whatever their portal level).
 */
export async function certificationActor(em: EntityManager, user: SessionUser): Promise<CertificationActor> {
  const manager = hasAccess(user.access, 'manager');
  return { memberId: user.id, manager, trainerOf: manager ? new Set() : await trainedTypes(em, user.id) };
}

/** The machine types a member trains now (active trainer grants). */
export async function trainedTypes(em: EntityManager, memberId: number): Promise<Set<number>> {
  const rows = await em.find(Trainer, {
    select: { machineTypeId: true },
    where: { memberId, revokedAt: IsNull() },
  });
  return new Set(rows.map((r) => r.machineTypeId));
}

export const notTrainerForType = () =>
  new ApiError(
    HttpStatus.FORBIDDEN,
    'NOT_TRAINER_FOR_TYPE',
    'only managers and the trainers of this machine type may do this, never on their own authorization',
  );

/** Throws NOT_TRAINER_FOR_TYPE (403) unless `actor` may manage this member's authorization. */
export function assertMayManage(
  actor: CertificationActor,
  memberId: number,
  machineTypeId: number | null,
): void {
  if (!mayManage(actor, memberId, machineTypeId)) throw notTrainerForType();
}
