import { Module } from '@nestjs/common';
import { BoardsModule } from '../boards/boards.module';
import { SupervisedStartService } from './supervised-start.service';
import { TrainingController } from './training.controller';
import { TrainingRequestsService } from './training-requests.service';
import { TrainingSessionsService } from './training-sessions.service';

/** Training requests, training sessions and supervised first uses (issue 15). */
@Module({
  imports: [BoardsModule],
  controllers: [TrainingController],
  providers: [TrainingRequestsService, TrainingSessionsService, SupervisedStartService],
})
export class TrainingModule {}
