import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiTags } from '../../core/http/openapi';
import type { MyAuthorizationsDto, MyRefusedTapDto, MySessionPage, Page } from '@fabomatic/contracts';
import type { Response } from 'express';
import { Access } from '../auth/auth.decorators';
import { type SessionUser, User } from '../auth/session-user';
import { MyDataAccessService } from './my-data-access.service';
import { MyRefusedQueryDto, MySessionExportQueryDto, MySessionQueryDto } from './my-data.dto';
import { MyDataService } from './my-data.service';

/**
 * The members' own data: every route answers for the signed-in user (`user.id` from the session),
 * whatever their level; no route takes a member id.
 */
@ApiTags('me')
@Controller('me')
export class MyDataController {
  constructor(
    private readonly mine: MyDataService,
    private readonly access: MyDataAccessService,
  ) {}

  @Access('member')
  @Get('authorizations')
  authorizations(@User() user: SessionUser): Promise<MyAuthorizationsDto> {
    return this.mine.authorizations(user.id);
  }

  @Access('member')
  @Get('sessions')
  sessions(@User() user: SessionUser, @Query() query: MySessionQueryDto): Promise<MySessionPage> {
    return this.mine.sessions(user.id, query);
  }

  @Access('member')
  @Get('sessions/export')
  exportSessions(
    @User() user: SessionUser,
    @Query() query: MySessionExportQueryDto,
    @Res() response: Response,
  ): Promise<void> {
    return this.mine.exportSessions(user.id, query, response);
  }

  @Access('member')
  @Get('refused')
  refused(@User() user: SessionUser, @Query() query: MyRefusedQueryDto): Promise<Page<MyRefusedTapDto>> {
    return this.mine.refused(user.id, query);
  }

  @Access('member')
  @Get('data.json')
  json(@User() user: SessionUser, @Res() response: Response): Promise<void> {
    return this.access.json(user.id, response);
  }

  @Access('member')
  @Get('data/:dataset.csv')
  csv(
    @User() user: SessionUser,
    @Param('dataset') dataset: string,
    @Res() response: Response,
  ): Promise<void> {
    return this.access.csv(user.id, dataset, response);
  }
}
