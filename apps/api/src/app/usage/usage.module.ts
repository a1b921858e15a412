import { Module } from '@nestjs/common';
import { UsageSessionsController } from './usage-sessions.controller';
import { UsageSessionsService } from './usage-sessions.service';

@Module({
  controllers: [UsageSessionsController],
  providers: [UsageSessionsService],
})
export class UsageModule {}
