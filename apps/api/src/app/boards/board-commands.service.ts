import { Inject, Injectable } from '@nestjs/common';
import {
  boardCommand,
  encodeCommand,
  NO_CARD_UID,
  requestTopic,
  type BoardCommandType,
} from '@fabomatic/board-protocol';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { LiveEvents } from '../../core/live/live-events';
import { Clock } from '../../core/time/clock';
import { AccessEvent } from '../access-events/access-event.entity';
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
    private readonly live: LiveEvents,
    private readonly clock: Clock,
  ) {}

  async send(
    type: BoardCommandType,
    machineId: number,
    actor: Pick<Member, 'id' | 'cardUid'>,
  ): Promise<AccessEvent> {
    const machine = await this.uow.manager.findOneBy(Machine, { id: machineId });
    if (!machine) throw new UnknownMachineError(`machine ${machineId} not found`);
    const uid = actor.cardUid ?? NO_CARD_UID;
    await this.publisher.publish(
      requestTopic(this.config.MQTT_TOPIC_ROOT, machine.topicId),
      encodeCommand(boardCommand(type, uid)),
    );
    const event = await this.uow.run((em) =>
      em.save(
        em.create(AccessEvent, {
          occurredAt: this.clock.now(),
          topicId: machine.topicId,
          machineId: machine.id,
          cardUid: uid,
          memberId: actor.id,
          action: type === 'start' ? 'remote-start' : 'remote-stop',
          reason: 'command-sent',
          granted: true,
          level: null,
          replay: false,
          actorMemberId: actor.id,
        }),
      ),
    );
    this.live.publish('access-event', {
      id: event.id,
      occurredAt: event.occurredAt.toISOString(),
      topicId: event.topicId,
      machineId: machine.id,
      machineName: machine.name,
      cardUid: uid,
      memberId: actor.id,
      memberName: null,
      action: event.action,
      reason: event.reason,
      count: 1,
      granted: true,
      level: null,
      replay: false,
    });
    return event;
  }
}
