import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import type { CreatedKioskDto, KioskDto } from '@fabomatic/contracts';
import { ApiTags } from '../../core/http/openapi';
import { Access } from '../auth/auth.decorators';
import { type SessionUser, User } from '../auth/session-user';
import { KioskInputDto } from './kiosks.dto';
import { KiosksService } from './kiosks.service';

/**
 * Kiosk screens (issue 14), managed by managers and admins: a kiosk shows what the dashboard
 * already shows to read-only staff, minus names, so whoever runs the lab day to day sets up its TV.
 * The token is in the answer to create only.
 */
@ApiTags('kiosks')
@Controller('kiosks')
export class KiosksController {
  constructor(private readonly kiosks: KiosksService) {}

  @Access('manager')
  @Get()
  list(): Promise<KioskDto[]> {
    return this.kiosks.list();
  }

  @Access('manager')
  @Post()
  create(@User() user: SessionUser, @Body() body: KioskInputDto): Promise<CreatedKioskDto> {
    return this.kiosks.create(user, body);
  }

  @Access('manager')
  @Post(':id/revoke')
  @HttpCode(200)
  revoke(@User() user: SessionUser, @Param('id', ParseIntPipe) id: number): Promise<KioskDto> {
    return this.kiosks.revoke(user, id);
  }
}
