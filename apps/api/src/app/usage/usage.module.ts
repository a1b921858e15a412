import { Module } from '@nestjs/common';
import { BoardsModule } from '../boards/boards.module';
import { UsageSessionsController } from './usage-sessions.controller';
import { UsageSessionsService } from './usage-sessions.service';

@Module({
  imports: [BoardsModule],
  controllers: [UsageSessionsController],
  providers: [UsageSessionsService],
})
export class UsageModule {}
