import { Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags } from '../../core/http/openapi';
import type { RestoreResult, SystemInfo } from '@fabomatic/contracts';
import type { Request, Response } from 'express';
import type { LogLine } from '../../core/logging/logger';
import { Access } from '../auth/auth.decorators';
import { type SessionUser, User } from '../auth/session-user';
import { SystemService } from './system.service';

@ApiTags('system')
@Controller('system')
export class SystemController {
  constructor(private readonly system: SystemService) {}

  @Access('admin')
  @Get()
  info(): Promise<SystemInfo> {
    return this.system.info();
  }

  @Access('admin')
  @Get('logs')
  logs(): readonly LogLine[] {
    return this.system.recentLogs();
  }

  /**
   * Uploads a database (application/octet-stream): checked, then applied by an in-process restart.
   * The body is read by the service once the guard has checked the session and the admin level.
   */
  @Access('admin')
  @Post('restore')
  @HttpCode(202)
  @ApiConsumes('application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  restore(@User() user: SessionUser, @Req() request: Request): Promise<RestoreResult> {
    return this.system.restore(user, request);
  }

  /** Downloads a consistent snapshot of the database (SQLite). */
  @Access('admin')
  @Get('backup')
  async backup(@Res() response: Response): Promise<void> {
    const { file, cleanup } = await this.system.backup();
    const name = `fabomatic-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.db`;
    response.download(file, name, cleanup);
  }
}
