import { Body, Controller, Delete, Get, Param, ParseIntPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '../../core/http/openapi';
import type { Page, UsageSessionDeleted, UsageSessionDto } from '@fabomatic/contracts';
import type { Response } from 'express';
import { Access } from '../auth/auth.decorators';
import { type SessionUser, User } from '../auth/session-user';
import {
  UsageSessionExportQueryDto,
  UsageSessionInputDto,
  UsageSessionListQueryDto,
  UsageSessionUpdateDto,
} from './usage-session.dto';
import { UsageSessionsService } from './usage-sessions.service';

/** The usage history: who used which machine when; staff add, correct and delete sessions. */
@ApiTags('usage')
@Controller('usage')
export class UsageSessionsController {
  constructor(private readonly sessions: UsageSessionsService) {}

  @Access('read-only')
  @Get()
  list(@User() user: SessionUser, @Query() query: UsageSessionListQueryDto): Promise<Page<UsageSessionDto>> {
    return this.sessions.list(query, user.access);
  }

  @Access('read-only')
  @Get('export')
  export(
    @User() user: SessionUser,
    @Query() query: UsageSessionExportQueryDto,
    @Res() response: Response,
  ): Promise<void> {
    return this.sessions.export(query, response, user.access);
  }

  @Access('read-only')
  @Get(':id')
  get(@Param('id', ParseIntPipe) id: number): Promise<UsageSessionDto> {
    return this.sessions.get(id);
  }

  @Access('manager')
  @Post()
  create(@User() user: SessionUser, @Body() body: UsageSessionInputDto): Promise<UsageSessionDto> {
    return this.sessions.create(user, body);
  }

  @Access('manager')
  @Patch(':id')
  update(
    @User() user: SessionUser,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: UsageSessionUpdateDto,
  ): Promise<UsageSessionDto> {
    return this.sessions.update(user, id, body);
  }

  @Access('manager')
  @Delete(':id')
  remove(@User() user: SessionUser, @Param('id', ParseIntPipe) id: number): Promise<UsageSessionDeleted> {
    return this.sessions.remove(user, id);
  }
}
