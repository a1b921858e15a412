import { Module } from '@nestjs/common';
import { BoardCommandsService } from './board-commands.service';
import { BoardMessagesController } from './board-messages.controller';
import { BoardQueryService } from './board-query.service';
import { BoardMetrics } from './board-metrics';
import { BoardStats } from './board-stats';
import { DirectoryCache } from './directory-cache';
import { PresenceService } from './presence.service';
import { OrphanSessionsService } from '../usage/orphan-sessions.service';
import { MaintenanceCache } from '../maintenance/maintenance-cache';

@Module({
  controllers: [BoardMessagesController],
  providers: [
    BoardQueryService,
    BoardStats,
    PresenceService,
    BoardCommandsService,
    OrphanSessionsService,
    MaintenanceCache,
    DirectoryCache,
    BoardMetrics,
  ],
  exports: [
    BoardCommandsService,
    BoardStats,
    PresenceService,
    OrphanSessionsService,
    MaintenanceCache,
    DirectoryCache,
  ],
})
export class BoardsModule {}
