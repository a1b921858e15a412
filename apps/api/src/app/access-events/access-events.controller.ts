import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiTags } from '../../core/http/openapi';
import type { AccessEventDto, Page } from '@fabomatic/contracts';
import type { Response } from 'express';
import { Access } from '../auth/auth.decorators';
import { AccessEventExportQueryDto, AccessEventListQueryDto } from './access-event.dto';
import { AccessEventsService } from './access-events.service';

/** Card taps, decisions with their reasons and remote commands (written by the board side only). */
@ApiTags('access-events')
@Controller('access-events')
export class AccessEventsController {
  constructor(private readonly events: AccessEventsService) {}

  @Access('read-only')
  @Get()
  list(@Query() query: AccessEventListQueryDto): Promise<Page<AccessEventDto>> {
    return this.events.list(query);
  }

  @Access('read-only')
  @Get('export')
  export(@Query() query: AccessEventExportQueryDto, @Res() response: Response): Promise<void> {
    return this.events.export(query, response);
  }
}
