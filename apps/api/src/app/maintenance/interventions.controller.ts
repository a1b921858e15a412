import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiTags } from '../../core/http/openapi';
import type { InterventionDto, Page } from '@fabomatic/contracts';
import type { Response } from 'express';
import { Access } from '../auth/auth.decorators';
import { type SessionUser, User } from '../auth/session-user';
import {
  InterventionExportQueryDto,
  InterventionInputDto,
  InterventionListQueryDto,
} from './intervention.dto';
import { InterventionsService } from './interventions.service';

/** Interventions done on machines, from boards (maintainers' long tap) or entered by hand. */
@ApiTags('interventions')
@Controller('interventions')
export class InterventionsController {
  constructor(private readonly interventions: InterventionsService) {}

  @Access('read-only')
  @Get()
  list(@Query() query: InterventionListQueryDto): Promise<Page<InterventionDto>> {
    return this.interventions.list(query);
  }

  @Access('read-only')
  @Get('export')
  export(@Res() response: Response, @Query() query: InterventionExportQueryDto): Promise<void> {
    return this.interventions.export(response, query);
  }

  @Access('read-only')
  @Get(':id')
  get(@Param('id', ParseIntPipe) id: number): Promise<InterventionDto> {
    return this.interventions.get(id);
  }

  @Access('manager')
  @Post()
  create(@User() user: SessionUser, @Body() body: InterventionInputDto): Promise<InterventionDto> {
    return this.interventions.create(user, body);
  }

  @Access('manager')
  @Delete(':id')
  @HttpCode(204)
  remove(@User() user: SessionUser, @Param('id', ParseIntPipe) id: number): Promise<void> {
    return this.interventions.remove(user, id);
  }
}
