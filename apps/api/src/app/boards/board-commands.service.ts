import { Inject, Injectable } from '@nestjs/common';
import {
  boardCommand,
  encodeCommand,
  NO_CARD_UID,
  requestTopic,
  type BoardCommandType,
} from '@fabomatic/board-protocol';
import type { AccessEventMessage } from '@fabomatic/contracts';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { Clock } from '../../core/time/clock';
import { recordAccessEvent } from '../access-events/access-log';
import { Machine } from '../machines/machine.entity';
import type { Member } from '../members/member.entity';

/** Publishes a message for a board: the seam between the domain and the MQTT client. */
export abstract class BoardPublisher {
  abstract publish(topic: string, payload: string): Promise<void>;
}

export class UnknownMachineError extends Error {
  readonly code = 'MACHINE_NOT_FOUND';
}

/**
 * Remote start/stop from the portal: publishes the board command on `<root>/<id>/request` and
 * records who did it. The board then runs its normal login/logout path, answered as usual.
 */
@Injectable()
export class BoardCommandsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly publisher: BoardPublisher,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  /**
   * `holder`: whose card the board logs in with, the operator's own unless a trainer starts the
   * machine for a trainee (a supervised first use: the trainee is the event's member, the trainer its
   * actor, which is how the ledger learns of it when the board's `startuse` comes).
   */
  async send(
    type: BoardCommandType,
    machineId: number,
    actor: Pick<Member, 'id' | 'cardUid'>,
    holder: Pick<Member, 'id' | 'cardUid'> = actor,
  ): Promise<AccessEventMessage> {
    const machine = await this.uow.manager.findOneBy(Machine, { id: machineId });
    if (!machine) throw new UnknownMachineError(`machine ${machineId} not found`);
    const uid = holder.cardUid ?? NO_CARD_UID;
    await this.publisher.publish(
      requestTopic(this.config.MQTT_TOPIC_ROOT, machine.topicId),
      encodeCommand(boardCommand(type, uid)),
    );
    return this.uow.runSql((sql, events) =>
      recordAccessEvent(sql, events, {
        occurredAt: this.clock.now().getTime(),
        topicId: machine.topicId,
        machine,
        member: { id: holder.id, name: null },
        cardUid: uid,
        action: type === 'start' ? 'remote-start' : 'remote-stop',
        reason: 'command-sent',
        granted: true,
        level: null,
        replay: false,
        actorMemberId: actor.id,
      }),
    );
  }
}
