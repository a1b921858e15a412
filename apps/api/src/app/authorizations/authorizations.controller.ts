import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiProduces, ApiTags } from '../../core/http/openapi';
import type {
  AuthorizationDto,
  AuthorizationHistoryDto,
  BulkAuthorizationResult,
  Page,
} from '@fabomatic/contracts';
import type { Response } from 'express';
import { Access } from '../auth/auth.decorators';
import { type SessionUser, User } from '../auth/session-user';
import {
  AuthorizationExportQueryDto,
  AuthorizationInputDto,
  AuthorizationListQueryDto,
  AuthorizationTransitionDto,
  AuthorizationUpdateDto,
  BulkAuthorizationInputDto,
} from './authorization.dto';
import { AuthorizationsService } from './authorizations.service';

/**
 * Who may use which machine, and the certification lifecycle (issue 15). Managers and admins change
 * them; the routes a trainer uses (grant, renew, suspend, reinstate, revoke, history) are open to
 * every signed-in member and checked in the service: trainers of the machine's type, never on their
 * own authorization (NOT_TRAINER_FOR_TYPE, 403).
 */
@ApiTags('authorizations')
@Controller('authorizations')
export class AuthorizationsController {
  constructor(private readonly authorizations: AuthorizationsService) {}

  @Access('read-only')
  @Get()
  list(@Query() query: AuthorizationListQueryDto): Promise<Page<AuthorizationDto>> {
    return this.authorizations.list(query);
  }

  @Access('read-only')
  @Get('export')
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  export(@Query() query: AuthorizationExportQueryDto, @Res() response: Response): Promise<void> {
    return this.authorizations.export(query, response);
  }

  @Access('read-only')
  @Get(':id')
  get(@Param('id', ParseIntPipe) id: number): Promise<AuthorizationDto> {
    return this.authorizations.get(id);
  }

  @Access('member')
  @Get(':id/history')
  history(
    @User() user: SessionUser,
    @Param('id', ParseIntPipe) id: number,
  ): Promise<AuthorizationHistoryDto[]> {
    return this.authorizations.history(user, id);
  }

  @Access('member')
  @Post(':id/renew')
  @HttpCode(200)
  renew(
    @User() user: SessionUser,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: AuthorizationTransitionDto,
  ): Promise<AuthorizationDto> {
    return this.authorizations.transition(user, id, 'renew', body);
  }

  @Access('member')
  @Post(':id/suspend')
  @HttpCode(200)
  suspend(
    @User() user: SessionUser,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: AuthorizationTransitionDto,
  ): Promise<AuthorizationDto> {
    return this.authorizations.transition(user, id, 'suspend', body);
  }

  @Access('member')
  @Post(':id/reinstate')
  @HttpCode(200)
  reinstate(
    @User() user: SessionUser,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: AuthorizationTransitionDto,
  ): Promise<AuthorizationDto> {
    return this.authorizations.transition(user, id, 'reinstate', body);
  }

  @Access('member')
  @Post(':id/revoke')
  @HttpCode(200)
  revoke(
    @User() user: SessionUser,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: AuthorizationTransitionDto,
  ): Promise<AuthorizationDto> {
    return this.authorizations.transition(user, id, 'revoke', body);
  }

  @Access('member')
  @Post()
  create(@User() user: SessionUser, @Body() body: AuthorizationInputDto): Promise<AuthorizationDto> {
    return this.authorizations.create(user, body);
  }

  @Access('member')
  @Post('bulk')
  @HttpCode(200)
  bulk(@User() user: SessionUser, @Body() body: BulkAuthorizationInputDto): Promise<BulkAuthorizationResult> {
    return this.authorizations.bulk(user, body);
  }

  @Access('manager')
  @Patch(':id')
  update(
    @User() user: SessionUser,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: AuthorizationUpdateDto,
  ): Promise<AuthorizationDto> {
    return this.authorizations.update(user, id, body);
  }

  /** Admins only: erases one entered by mistake; everyone else revokes (nothing is deleted). */
  @Access('admin')
  @Delete(':id')
  @HttpCode(204)
  remove(@User() user: SessionUser, @Param('id', ParseIntPipe) id: number): Promise<void> {
    return this.authorizations.remove(user, id);
  }
}
