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
import type { Response } from 'express';
import { ApiTags } from '../../core/http/openapi';
import type { Page, RoleDto } from '@fabomatic/contracts';
import { Access } from '../auth/auth.decorators';
import { type SessionUser, User } from '../auth/session-user';
import { RoleExportQueryDto, RoleInputDto, RoleListQueryDto, RoleUpdateDto } from './role.dto';
import { RolesService } from './roles.service';

/** Roles give board rights (authorize all, maintenance) and portal access: only admins change them. */
@ApiTags('roles')
@Controller('roles')
export class RolesController {
  constructor(private readonly roles: RolesService) {}

  @Access('read-only')
  @Get()
  list(@Query() query: RoleListQueryDto): Promise<Page<RoleDto>> {
    return this.roles.list(query);
  }

  @Access('read-only')
  @Get('export')
  export(@Res() response: Response, @Query() query: RoleExportQueryDto): Promise<void> {
    return this.roles.export(response, query);
  }

  @Access('read-only')
  @Get(':id')
  get(@Param('id', ParseIntPipe) id: number): Promise<RoleDto> {
    return this.roles.get(id);
  }

  @Access('admin')
  @Post()
  create(@User() user: SessionUser, @Body() body: RoleInputDto): Promise<RoleDto> {
    return this.roles.create(user, body);
  }

  @Access('admin')
  @Patch(':id')
  update(
    @User() user: SessionUser,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: RoleUpdateDto,
  ): Promise<RoleDto> {
    return this.roles.update(user, id, body);
  }

  @Access('admin')
  @Delete(':id')
  @HttpCode(204)
  remove(@User() user: SessionUser, @Param('id', ParseIntPipe) id: number): Promise<void> {
    return this.roles.remove(user, id);
  }
}
