import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ReportReaderWarmup } from './report-reader-warmup';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';
import { SettledWeeks } from './settled-weeks';

@Module({
  controllers: [ReportsController],
  providers: [ReportsService, SettledWeeks, { provide: APP_INTERCEPTOR, useClass: ReportReaderWarmup }],
})
export class ReportsModule {}
