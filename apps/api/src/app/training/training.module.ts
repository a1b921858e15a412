import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { BoardsModule } from '../boards/boards.module';
import { SupervisedStartService } from './supervised-start.service';
import { CertificationReportController } from './certification-report.controller';
import { CertificationReportService } from './certification-report.service';
import { TrainingController } from './training.controller';
import { TrainingNotices } from './training-notices';
import { TrainingRequestsService } from './training-requests.service';
import { TrainingSessionsService } from './training-sessions.service';

/** Training requests, training sessions and supervised first uses (issue 15). */
@Module({
  imports: [BoardsModule, AuthModule],
  controllers: [TrainingController, CertificationReportController],
  providers: [
    TrainingRequestsService,
    TrainingSessionsService,
    SupervisedStartService,
    TrainingNotices,
    CertificationReportService,
  ],
})
export class TrainingModule {}
