import { Body, Controller, Delete, Get, Param, ParseIntPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '../../core/http/openapi';
import type { MachineTypeDeleteResult, MachineTypeDto, Page } from '@fabomatic/contracts';
import type { Response } from 'express';
import { Access } from '../auth/auth.decorators';
import { type SessionUser, User } from '../auth/session-user';
import { ConfirmDeleteQueryDto } from '../machines/delete-confirmation';
import {
  MachineTypeExportQueryDto,
  MachineTypeInputDto,
  MachineTypeListQueryDto,
  MachineTypeUpdateDto,
} from './machine-type.dto';
import { MachineTypesService } from './machine-types.service';

/** Machine types carry the settings boards get (auto-logoff, grace) and the access rule. */
@ApiTags('machine-types')
@Controller('machine-types')
export class MachineTypesController {
  constructor(private readonly types: MachineTypesService) {}

  @Access('read-only')
  @Get()
  list(@Query() query: MachineTypeListQueryDto): Promise<Page<MachineTypeDto>> {
    return this.types.list(query);
  }

  @Access('read-only')
  @Get('export')
  export(@Res() response: Response, @Query() query: MachineTypeExportQueryDto): Promise<void> {
    return this.types.export(response, query);
  }

  @Access('read-only')
  @Get(':id')
  get(@Param('id', ParseIntPipe) id: number): Promise<MachineTypeDto> {
    return this.types.get(id);
  }

  @Access('manager')
  @Post()
  create(@User() user: SessionUser, @Body() body: MachineTypeInputDto): Promise<MachineTypeDto> {
    return this.types.create(user, body);
  }

  @Access('manager')
  @Patch(':id')
  update(
    @User() user: SessionUser,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: MachineTypeUpdateDto,
  ): Promise<MachineTypeDto> {
    return this.types.update(user, id, body);
  }

  @Access('manager')
  @Delete(':id')
  remove(
    @User() user: SessionUser,
    @Param('id', ParseIntPipe) id: number,
    @Query() query: ConfirmDeleteQueryDto,
  ): Promise<MachineTypeDeleteResult> {
    return this.types.remove(user, id, query.confirm === true);
  }
}
