import { HttpStatus, Injectable } from '@nestjs/common';
import type { RemoteCommand, RemoteCommandResult } from '@fabomatic/contracts';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { ApiError, notFound } from '../../core/http/api-error';
import { AuditService } from '../audit/audit.service';
import type { SessionUser } from '../auth/session-user';
import { BoardCommandsService, UnknownMachineError } from '../boards/board-commands.service';
import { Machine } from './machine.entity';

/**
 * Remote start/stop from the portal: the board runs its own login path for the operator's card
 * (`start`), or logs out whoever is on (`stop`, which needs no card).
 */
@Injectable()
export class RemoteCommandsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly audit: AuditService,
    private readonly commands: BoardCommandsService,
  ) {}

  async send(user: SessionUser, machineId: number, command: RemoteCommand): Promise<RemoteCommandResult> {
    const machine = await this.uow.manager.findOneBy(Machine, { id: machineId });
    if (!machine) throw notFound('machine');
    if (machine.retiredAt) {
      throw new ApiError(HttpStatus.CONFLICT, 'MACHINE_RETIRED', `machine ${machine.name} is retired`);
    }
    if (command === 'start' && !user.cardUid) {
      throw new ApiError(
        HttpStatus.BAD_REQUEST,
        'CARD_REQUIRED',
        'a remote start logs in with your card: give your member a card first',
      );
    }
    let event;
    try {
      event = await this.commands.send(command, machineId, { id: user.id, cardUid: user.cardUid });
    } catch (error) {
      if (error instanceof UnknownMachineError) throw notFound('machine');
      throw error;
    }
    const result: RemoteCommandResult = {
      machineId,
      command,
      uid: event.cardUid ?? '',
      accessEventId: event.id,
    };
    await this.uow.run((em) =>
      this.audit.record(em, user, `remote-${command}`, 'machine', machineId, null, result),
    );
    return result;
  }
}
