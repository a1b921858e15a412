import { Controller, Get, UseGuards } from '@nestjs/common';
import { Throttle } from '@nestjs/throttler';
import type { KioskStatusDto } from '@fabomatic/contracts';
import { ApiTags } from '../../core/http/openapi';
import { Public } from '../auth/auth.decorators';
import { KioskTokenGuard } from './kiosk-token.guard';
import { KioskView } from './kiosk-view';

/** The kiosk screen's own read (`Authorization: Kiosk <token>`), no staff session. */
@ApiTags('kiosks')
@Controller('kiosk')
export class KioskStatusController {
  constructor(private readonly view: KioskView) {}

  @Public()
  @UseGuards(KioskTokenGuard)
  @Throttle({ default: { limit: 30, ttl: 60_000 } })
  @Get('status')
  status(): Promise<KioskStatusDto> {
    return this.view.status();
  }
}
