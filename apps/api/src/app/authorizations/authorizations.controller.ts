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
import type { AuthorizationDto, BulkAuthorizationResult, Page } from '@fabomatic/contracts';
import type { Response } from 'express';
import { Access } from '../auth/auth.decorators';
import { type SessionUser, User } from '../auth/session-user';
import {
  AuthorizationExportQueryDto,
  AuthorizationInputDto,
  AuthorizationListQueryDto,
  AuthorizationUpdateDto,
  BulkAuthorizationInputDto,
} from './authorization.dto';
import { AuthorizationsService } from './authorizations.service';

/** Who may use which machine (and until when): managers change them. */
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

  @Access('manager')
  @Post()
  create(@User() user: SessionUser, @Body() body: AuthorizationInputDto): Promise<AuthorizationDto> {
    return this.authorizations.create(user, body);
  }

  @Access('manager')
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

  @Access('manager')
  @Delete(':id')
  @HttpCode(204)
  remove(@User() user: SessionUser, @Param('id', ParseIntPipe) id: number): Promise<void> {
    return this.authorizations.remove(user, id);
  }
}
