import { Module } from '@nestjs/common';
import { BoardsModule } from '../boards/boards.module';
import { JobsModule } from '../jobs/jobs.module';
import { SystemController } from './system.controller';
import { RestoreFollowUp } from './restore-follow-up';
import { SystemService } from './system.service';

@Module({
  imports: [BoardsModule, JobsModule],
  controllers: [SystemController],
  providers: [SystemService, RestoreFollowUp],
})
export class SystemModule {}
