import { NO_CARD_UID } from './messages';

/** Commands the backend publishes on `<root>/<id>/request`. Both keys are required by the firmware. */
export type BoardCommandType = 'start' | 'stop';

export interface BoardCommand {
  readonly request_type: BoardCommandType;
  readonly uid: string;
}

/**
 * `start` makes the board run its normal login path for `uid`; `stop` logs out whoever is on (the
 * firmware ignores `uid` but requires the key).
 */
export function boardCommand(type: BoardCommandType, uid: string = NO_CARD_UID): BoardCommand {
  return { request_type: type, uid };
}

export function encodeCommand(command: BoardCommand): string {
  return JSON.stringify(command);
}
