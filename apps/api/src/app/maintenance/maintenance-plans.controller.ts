import { Body, Controller, Delete, Get, Param, ParseIntPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '../../core/http/openapi';
import type { MaintenancePlanDeleteResult, MaintenancePlanDto, Page } from '@fabomatic/contracts';
import type { Response } from 'express';
import { Access } from '../auth/auth.decorators';
import { type SessionUser, User } from '../auth/session-user';
import {
  MaintenancePlanExportQueryDto,
  MaintenancePlanInputDto,
  MaintenancePlanListQueryDto,
  MaintenancePlanUpdateDto,
} from './maintenance-plan.dto';
import { MaintenancePlansService } from './maintenance-plans.service';

/** Maintenance plans: due after so many hours of use since the last intervention. */
@ApiTags('maintenance-plans')
@Controller('maintenance-plans')
export class MaintenancePlansController {
  constructor(private readonly plans: MaintenancePlansService) {}

  @Access('read-only')
  @Get()
  list(@Query() query: MaintenancePlanListQueryDto): Promise<Page<MaintenancePlanDto>> {
    return this.plans.list(query);
  }

  @Access('read-only')
  @Get('export')
  export(@Res() response: Response, @Query() query: MaintenancePlanExportQueryDto): Promise<void> {
    return this.plans.export(response, query);
  }

  @Access('read-only')
  @Get(':id')
  get(@Param('id', ParseIntPipe) id: number): Promise<MaintenancePlanDto> {
    return this.plans.get(id);
  }

  @Access('manager')
  @Post()
  create(@User() user: SessionUser, @Body() body: MaintenancePlanInputDto): Promise<MaintenancePlanDto> {
    return this.plans.create(user, body);
  }

  @Access('manager')
  @Patch(':id')
  update(
    @User() user: SessionUser,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: MaintenancePlanUpdateDto,
  ): Promise<MaintenancePlanDto> {
    return this.plans.update(user, id, body);
  }

  @Access('manager')
  @Delete(':id')
  remove(
    @User() user: SessionUser,
    @Param('id', ParseIntPipe) id: number,
  ): Promise<MaintenancePlanDeleteResult> {
    return this.plans.remove(user, id);
  }
}
