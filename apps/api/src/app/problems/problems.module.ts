import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { PhotoUploadInterceptor } from './photo-upload.interceptor';
import { ProblemNotifier } from './problem-notifier';
import { DowntimeController, MyProblemsController, ProblemsController } from './problems.controller';
import { ProblemsService } from './problems.service';

/** Problem reports and machines out of order (issue 14). */
@Module({
  imports: [AuthModule],
  controllers: [ProblemsController, MyProblemsController, DowntimeController],
  providers: [ProblemsService, ProblemNotifier, PhotoUploadInterceptor],
})
export class ProblemsModule {}
