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
import { ApiTags } from '../../core/http/openapi';
import type {
  MachineDeleteResult,
  MachineDto,
  MachineRetireResult,
  MachineStatusDto,
  Page,
  RemoteCommandResult,
} from '@fabomatic/contracts';
import type { Response } from 'express';
import { Access } from '../auth/auth.decorators';
import { type SessionUser, User } from '../auth/session-user';
import { ConfirmDeleteQueryDto } from './delete-confirmation';
import { MachineExportQueryDto, MachineInputDto, MachineListQueryDto, MachineUpdateDto } from './machine.dto';
import { MachineStatusService } from './machine-status.service';
import { MachinesService } from './machines.service';
import { RemoteCommandsService } from './remote-commands.service';

/** Machines (each one a board's topic id), their live status, and remote start/stop. */
@ApiTags('machines')
@Controller('machines')
export class MachinesController {
  constructor(
    private readonly machines: MachinesService,
    private readonly status: MachineStatusService,
    private readonly remote: RemoteCommandsService,
  ) {}

  @Access('read-only')
  @Get()
  list(@Query() query: MachineListQueryDto): Promise<Page<MachineDto>> {
    return this.machines.list(query);
  }

  @Access('read-only')
  @Get('export')
  export(@Res() response: Response, @Query() query: MachineExportQueryDto): Promise<void> {
    return this.machines.export(response, query);
  }

  @Access('read-only')
  @Get('status')
  statuses(): Promise<MachineStatusDto[]> {
    return this.status.all();
  }

  @Access('read-only')
  @Get(':id/status')
  statusOf(@Param('id', ParseIntPipe) id: number): Promise<MachineStatusDto> {
    return this.status.one(id);
  }

  @Access('read-only')
  @Get(':id')
  get(@Param('id', ParseIntPipe) id: number): Promise<MachineDto> {
    return this.machines.get(id);
  }

  @Access('manager')
  @Post()
  create(@User() user: SessionUser, @Body() body: MachineInputDto): Promise<MachineDto> {
    return this.machines.create(user, body);
  }

  @Access('manager')
  @Patch(':id')
  update(
    @User() user: SessionUser,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: MachineUpdateDto,
  ): Promise<MachineDto> {
    return this.machines.update(user, id, body);
  }

  /** Out of service for good, history kept: the board refuses everyone, lists hide it. */
  @Access('manager')
  @Post(':id/retire')
  @HttpCode(200)
  retire(@User() user: SessionUser, @Param('id', ParseIntPipe) id: number): Promise<MachineRetireResult> {
    return this.machines.retire(user, id);
  }

  @Access('manager')
  @Post(':id/reinstate')
  @HttpCode(200)
  reinstate(@User() user: SessionUser, @Param('id', ParseIntPipe) id: number): Promise<MachineDto> {
    return this.machines.reinstate(user, id);
  }

  /** A machine's history goes with it: admins only (issue 11); retiring keeps it. */
  @Access('admin')
  @Delete(':id')
  remove(
    @User() user: SessionUser,
    @Param('id', ParseIntPipe) id: number,
    @Query() query: ConfirmDeleteQueryDto,
  ): Promise<MachineDeleteResult> {
    return this.machines.remove(user, id, query.confirm === true);
  }

  @Access('manager')
  @Post(':id/start')
  @HttpCode(202)
  start(@User() user: SessionUser, @Param('id', ParseIntPipe) id: number): Promise<RemoteCommandResult> {
    return this.remote.send(user, id, 'start');
  }

  @Access('manager')
  @Post(':id/stop')
  @HttpCode(202)
  stop(@User() user: SessionUser, @Param('id', ParseIntPipe) id: number): Promise<RemoteCommandResult> {
    return this.remote.send(user, id, 'stop');
  }
}
