import { Controller, Get, Query, type StreamableFile } from '@nestjs/common';
import { jsonBody } from '../../core/http/json-text';
import { ApiTags } from '../../core/http/openapi';
import type { BusiestHoursReport, MaintenanceReport, SessionsByMemberReport } from '@fabomatic/contracts';
import { Access } from '../auth/auth.decorators';
import { MachineReportQueryDto, SessionsByMemberQueryDto } from './report.dto';
import { ReportsService } from './reports.service';

/** Usage and maintenance reports for the portal's charts (read-only). */
@ApiTags('reports')
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /** A `UsageByWeekReport` (contracts), its JSON written by the service (ten years: ~1 MB). */
  @Access('read-only')
  @Get('usage-by-week')
  async usageByWeek(@Query() query: MachineReportQueryDto): Promise<StreamableFile> {
    return jsonBody(await this.reports.usageByWeek(query));
  }

  @Access('read-only')
  @Get('sessions-by-member')
  sessionsByMember(@Query() query: SessionsByMemberQueryDto): Promise<SessionsByMemberReport> {
    return this.reports.sessionsByMember(query);
  }

  @Access('read-only')
  @Get('busiest-hours')
  busiestHours(@Query() query: MachineReportQueryDto): Promise<BusiestHoursReport> {
    return this.reports.busiestHours(query);
  }

  @Access('read-only')
  @Get('maintenance')
  maintenance(): Promise<MaintenanceReport> {
    return this.reports.maintenance();
  }
}
