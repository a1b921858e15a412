import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { RemoteCommandResult } from '@fabomatic/contracts';
import { In } from 'typeorm';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { ApiError, conflict, invalidField, notFound } from '../../core/http/api-error';
import { Clock } from '../../core/time/clock';
import { AuditService } from '../audit/audit.service';
import type { SessionUser } from '../auth/session-user';
import { Authorization } from '../authorizations/authorization.entity';
import { certificationState, mayManage } from '../authorizations/certification';
import { policyOf } from '../authorizations/certification-store';
import { BoardCommandsService, UnknownMachineError } from '../boards/board-commands.service';
import { Machine } from '../machines/machine.entity';
import { Member } from '../members/member.entity';
import { fullName } from '../usage/activity-query';
import { notTrainerForType, trainingActor } from './training-access';

/**
 * A supervised first use: a trainer of the machine's type (or a manager) starts the machine from the
 * portal with the trainee's card. The board runs its normal login for that card; the session its
 * `startuse` opens is flagged as training with the trainer recorded (see supervised-starts.ts).
 */
@Injectable()
export class SupervisedStartService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly commands: BoardCommandsService,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'LAB_TIME_ZONE'>,
  ) {}

  async start(user: SessionUser, machineId: number, traineeId: number): Promise<RemoteCommandResult> {
    const em = this.uow.manager;
    const machine = await em.findOne(Machine, { where: { id: machineId }, relations: { type: true } });
    if (!machine) throw notFound('machine');
    if (machine.retiredAt)
      throw new ApiError(HttpStatus.CONFLICT, 'MACHINE_RETIRED', `machine ${machine.name} is retired`);
    const actor = await trainingActor(em, user);
    if (traineeId === user.id) {
      throw new ApiError(
        HttpStatus.BAD_REQUEST,
        'TRAINER_OWN_TRAINEE',
        'a trainer cannot be their own trainee',
      );
    }
    if (!mayManage(actor, traineeId, machine.typeId)) throw notTrainerForType();
    const trainee = await em.findOneBy(Member, { id: traineeId });
    if (!trainee || trainee.deletedAt) throw invalidField('traineeId', 'no member has this id');
    const name = fullName(trainee);
    if (!trainee.cardUid) {
      throw new ApiError(
        HttpStatus.BAD_REQUEST,
        'TRAINEE_CARD_REQUIRED',
        `${name} has no card: the board logs in with the trainee's card`,
        undefined,
        { member: name },
      );
    }
    if (!(await this.granting(traineeId, machine))) {
      throw conflict('TRAINEE_NOT_AUTHORIZED', `${name} is not authorized on ${machine.name}`, {
        member: name,
        machine: machine.name,
      });
    }
    let event;
    try {
      event = await this.commands.send('start', machineId, { id: user.id, cardUid: user.cardUid }, trainee);
    } catch (error) {
      if (error instanceof UnknownMachineError) throw notFound('machine');
      throw error;
    }
    const result: RemoteCommandResult = {
      machineId,
      command: 'start',
      uid: event.cardUid ?? '',
      accessEventId: event.id,
    };
    await this.uow.run((tx) =>
      this.audit.record(tx, user, 'supervised-start', 'machine', machineId, null, { ...result, traineeId }),
    );
    return result;
  }

  /**
   * The trainee's authorization on the machine grants now (active or expiring): a trainee just marked
   * qualified has it. Decay counts from the last use on any machine of the type.
   */
  private async granting(memberId: number, machine: Machine): Promise<boolean> {
    if (machine.type?.accessManagement === 'open') return true;
    const em = this.uow.manager;
    const authorization = await em.findOneBy(Authorization, { memberId, machineId: machine.id });
    if (!authorization) return false;
    const siblings = machine.typeId
      ? await em.find(Machine, { select: { id: true }, where: { typeId: machine.typeId } })
      : [{ id: machine.id }];
    const held = await em.findBy(Authorization, { memberId, machineId: In(siblings.map((m) => m.id)) });
    const lastUsed = Math.max(0, ...held.map((a) => a.lastUsedAt?.getTime() ?? 0)) || null;
    const state = certificationState(
      {
        status: authorization.status,
        expiresAt: authorization.expiresAt?.getTime() ?? null,
        lastUsedAt: lastUsed,
        grantedAt: authorization.grantedAt?.getTime() ?? null,
        exempt: false,
      },
      policyOf(machine.type ?? null),
      this.config.LAB_TIME_ZONE,
      this.clock.now().getTime(),
    );
    return state === 'active' || state === 'expiring';
  }
}
