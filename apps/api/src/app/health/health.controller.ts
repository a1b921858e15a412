import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BoardTransportStatus } from '../boards/board-transport-status';
import { Public } from '../auth/auth.decorators';

/** Liveness and readiness probes: public, no personal data. */
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transport: BoardTransportStatus,
  ) {}

  @Get('health')
  @HttpCode(200)
  health() {
    return { status: 'ok' };
  }

  /** Ready when the database answers and the board transport is connected to its broker. */
  @Get('ready')
  async ready() {
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      throw new ServiceUnavailableException({ status: 'unavailable', database: false });
    }
    if (!this.transport.connected) {
      throw new ServiceUnavailableException({ status: 'unavailable', database: true, broker: false });
    }
    return { status: 'ready', database: true, broker: true };
  }
}
