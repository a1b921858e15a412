import { Injectable, type OnModuleInit } from '@nestjs/common';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { Metrics } from '../../core/metrics/metrics';
import { PresenceService } from './presence.service';

/** Gauges of the board side, read at scrape time. */
@Injectable()
export class BoardMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly presence: PresenceService,
    private readonly uow: UnitOfWork,
  ) {}

  onModuleInit(): void {
    this.metrics.gauge(
      'fabomatic_boards_online',
      'Boards heard from within BOARD_OFFLINE_SECONDS',
      () => this.presence.onlineCount,
    );
    this.metrics.gauge('fabomatic_sessions_open', 'Usage sessions open now', async () => {
      const row = await this.uow.reader.get<{ n: number | string }>(
        'SELECT COUNT(*) AS "n" FROM "usage_sessions" WHERE "endedAt" IS NULL',
      );
      return Number(row?.n ?? 0);
    });
  }
}
