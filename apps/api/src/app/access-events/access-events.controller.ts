import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiTags } from '../../core/http/openapi';
import type { AccessEventDto, Page } from '@fabomatic/contracts';
import type { Response } from 'express';
import { Access } from '../auth/auth.decorators';
import { type SessionUser, User } from '../auth/session-user';
import { AccessEventExportQueryDto, AccessEventListQueryDto } from './access-event.dto';
import { AccessEventsService } from './access-events.service';

/** Card taps, decisions with their reasons and remote commands (written by the board side only). */
@ApiTags('access-events')
@Controller('access-events')
export class AccessEventsController {
  constructor(private readonly events: AccessEventsService) {}

  @Access('read-only')
  @Get()
  list(@User() user: SessionUser, @Query() query: AccessEventListQueryDto): Promise<Page<AccessEventDto>> {
    return this.events.list(query, user.access);
  }

  @Access('read-only')
  @Get('export')
  export(
    @User() user: SessionUser,
    @Query() query: AccessEventExportQueryDto,
    @Res() response: Response,
  ): Promise<void> {
    return this.events.export(query, response, user.access);
  }
}
