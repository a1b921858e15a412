import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { BoardReply } from '@fabomatic/board-protocol';
import { BOARD_QUERY_PATTERN, type BoardPacket } from './board-packet';
import { BoardQueryService } from './board-query.service';

/** Board queries arriving over MQTT (see BoardMqttServer for the routing and reply rules). */
@Controller()
export class BoardMessagesController {
  constructor(private readonly queries: BoardQueryService) {}

  @MessagePattern(BOARD_QUERY_PATTERN)
  answer(@Payload() packet: BoardPacket): Promise<BoardReply | null> {
    return this.queries.answer(packet);
  }
}
