import { HttpStatus } from '@nestjs/common';
import { hasAccess } from '@fabomatic/contracts';
import { type EntityManager, IsNull } from 'typeorm';
import { ApiError } from '../../core/http/api-error';
import type { SessionUser } from '../auth/session-user';
import type { CertificationActor } from '../authorizations/certification';
import { Trainer } from './trainer.entity';

/**
 * Who acts on trainings: managers and admins everywhere; a member for the machine types they train
 * (an active trainer grant: `trainers.revokedAt IS NULL`), never for themselves. Read-only staff may
 * look at every queue and session, and change none.
 */
export interface TrainingActor extends CertificationActor {
  /** Read-only staff and above: may read every type's queue and sessions. */
  readonly staffReader: boolean;
}

/** The machine types a member trains now. */
export async function trainedTypes(em: EntityManager, memberId: number): Promise<Set<number>> {
  const rows = await em.find(Trainer, {
    select: { machineTypeId: true },
    where: { memberId, revokedAt: IsNull() },
  });
  return new Set(rows.map((r) => r.machineTypeId));
}

/** Whether `memberId` trains `machineTypeId` now. */
export async function isTrainerOf(
  em: EntityManager,
  memberId: number,
  machineTypeId: number,
): Promise<boolean> {
  return em.existsBy(Trainer, { memberId, machineTypeId, revokedAt: IsNull() });
}

export async function trainingActor(em: EntityManager, user: SessionUser): Promise<TrainingActor> {
  return {
    memberId: user.id,
    manager: hasAccess(user.access, 'manager'),
    staffReader: hasAccess(user.access, 'read-only'),
    trainerOf: await trainedTypes(em, user.id),
  };
}

export function notTrainerForType(): ApiError {
  return new ApiError(
    HttpStatus.FORBIDDEN,
    'NOT_TRAINER_FOR_TYPE',
    'only the trainers of this machine type, managers and admins may do this',
  );
}

/** May change the trainings of the type (plan, record outcomes, start a machine for a trainee). */
export function mayTrain(actor: TrainingActor, machineTypeId: number): boolean {
  return actor.manager || actor.trainerOf.has(machineTypeId);
}

/** May read the queue and the sessions of the type. */
export function mayRead(actor: TrainingActor, machineTypeId: number): boolean {
  return actor.staffReader || mayTrain(actor, machineTypeId);
}

export function assertTrains(actor: TrainingActor, machineTypeId: number): void {
  if (!mayTrain(actor, machineTypeId)) throw notTrainerForType();
}

/** The trainer of a session is never one of its trainees. */
export function assertNotOwnTrainee(trainerId: number, memberIds: readonly number[]): void {
  if (memberIds.includes(trainerId)) {
    throw new ApiError(
      HttpStatus.BAD_REQUEST,
      'TRAINER_OWN_TRAINEE',
      'a trainer cannot be their own trainee',
    );
  }
}
