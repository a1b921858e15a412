import { Body, Controller, Get, Put } from '@nestjs/common';
import type { LabSettingsDto } from '@fabomatic/contracts';
import { ApiTags } from '../../core/http/openapi';
import { Access } from '../auth/auth.decorators';
import { type SessionUser, User } from '../auth/session-user';
import { LabSettingsUpdateDto } from './lab-settings.dto';
import { LabSettingsService } from './lab-settings.service';

/** The lab's settings kept in the database (issue 14): the lab's name, what the kiosk shows. */
@ApiTags('lab-settings')
@Controller('lab-settings')
export class LabSettingsController {
  constructor(private readonly settings: LabSettingsService) {}

  @Access('read-only')
  @Get()
  get(): Promise<LabSettingsDto> {
    return this.settings.get();
  }

  @Access('manager')
  @Put()
  update(@User() user: SessionUser, @Body() body: LabSettingsUpdateDto): Promise<LabSettingsDto> {
    return this.settings.update(user, body);
  }
}
