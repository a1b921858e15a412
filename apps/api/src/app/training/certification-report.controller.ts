import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import type { CertificationReportDto, RenewAuthorizationsResult } from '@fabomatic/contracts';
import type { Response } from 'express';
import { ApiProduces, ApiTags } from '../../core/http/openapi';
import { Access } from '../auth/auth.decorators';
import { type SessionUser, User } from '../auth/session-user';
import {
  CertificationExportQueryDto,
  CertificationReportQueryDto,
  RenewAuthorizationsDto,
} from './certification-report.dto';
import { CertificationReportService } from './certification-report.service';

/** The staff's certification tools: the report, the bulk renewal and the export (issue 15). */
@ApiTags('certifications')
@Controller()
export class CertificationReportController {
  constructor(private readonly certifications: CertificationReportService) {}

  @Access('read-only')
  @Get('reports/certifications')
  report(@Query() query: CertificationReportQueryDto): Promise<CertificationReportDto> {
    return this.certifications.report(query);
  }

  /** Trainers are `member`-level portal users: the service checks each authorization's type. */
  @Access('member')
  @Post('authorizations/renew')
  @HttpCode(200)
  renew(@User() user: SessionUser, @Body() body: RenewAuthorizationsDto): Promise<RenewAuthorizationsResult> {
    return this.certifications.renew(user, body.ids);
  }

  @Access('read-only')
  @Get('authorizations/certifications/export')
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  export(@Query() query: CertificationExportQueryDto, @Res() response: Response): Promise<void> {
    return this.certifications.export(query, response);
  }
}
