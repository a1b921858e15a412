import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '../../core/http/openapi';
import type { AuditEntryDto, Page } from '@fabomatic/contracts';
import type { Response } from 'express';
import { Access } from '../auth/auth.decorators';
import { AuditExportQueryDto, AuditListQueryDto } from './audit.dto';
import { AuditLogService } from './audit-log.service';

/** The audit log, for admins. Append-only: there are no write routes. */
@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly log: AuditLogService) {}

  @Access('admin')
  @Get()
  list(@Query() query: AuditListQueryDto): Promise<Page<AuditEntryDto>> {
    return this.log.list(query);
  }

  @Access('admin')
  @Get('export')
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  export(@Query() query: AuditExportQueryDto, @Res() response: Response): Promise<void> {
    return this.log.export(query, response);
  }
}
