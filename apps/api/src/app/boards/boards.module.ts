import { Module } from '@nestjs/common';
import { AccessEventInbox } from '../access-events/access-event-inbox';
import { MaintenanceCacheModule } from '../maintenance/maintenance-cache.module';
import { BoardCommandsService } from './board-commands.service';
import { BoardQueryService } from './board-query.service';
import { BoardMetrics } from './board-metrics';
import { BoardStats } from './board-stats';
import { DirectoryCache } from './directory-cache';
import { PresenceService } from './presence.service';

/**
 * The board path (MQTT handlers, replies, presence). Its caches follow the domain events other
 * features publish (core/events): no feature imports this module to reach them.
 */
@Module({
  imports: [MaintenanceCacheModule],
  providers: [
    BoardQueryService,
    BoardStats,
    PresenceService,
    BoardCommandsService,
    DirectoryCache,
    BoardMetrics,
    AccessEventInbox,
  ],
  exports: [BoardCommandsService, BoardStats, PresenceService],
})
export class BoardsModule {}
