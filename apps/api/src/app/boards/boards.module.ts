import { Module } from '@nestjs/common';
import { BoardCommandsService } from './board-commands.service';
import { BoardMessagesController } from './board-messages.controller';
import { BoardQueryService } from './board-query.service';
import { BoardStats } from './board-stats';
import { PresenceService } from './presence.service';
import { OrphanSessionsService } from '../usage/orphan-sessions.service';

@Module({
  controllers: [BoardMessagesController],
  providers: [BoardQueryService, BoardStats, PresenceService, BoardCommandsService, OrphanSessionsService],
  exports: [BoardCommandsService, BoardStats, PresenceService, OrphanSessionsService],
})
export class BoardsModule {}
