import { Controller, Get, Param, ParseIntPipe } from '@nestjs/common';
import type { BoardConnectionDto, SetupProgressDto } from '@fabomatic/contracts';
import { ApiTags } from '../../core/http/openapi';
import { Access } from '../auth/auth.decorators';
import { SetupService } from './setup.service';

/** The first-start checklist of the dashboard (staff). */
@ApiTags('setup')
@Controller('setup')
export class SetupController {
  constructor(private readonly setup: SetupService) {}

  @Access('manager')
  @Get('progress')
  progress(): Promise<SetupProgressDto> {
    return this.setup.progress();
  }
}

/** How to connect a machine's board: broker address, topic, credentials (staff). */
@ApiTags('machines')
@Controller('machines')
export class BoardConnectionController {
  constructor(private readonly setup: SetupService) {}

  @Access('manager')
  @Get(':id/board-connection')
  boardConnection(@Param('id', ParseIntPipe) id: number): Promise<BoardConnectionDto> {
    return this.setup.boardConnection(id);
  }
}
