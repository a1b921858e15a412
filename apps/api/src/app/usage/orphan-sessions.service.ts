import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { Clock } from '../../core/time/clock';
import { SessionLedger } from './session-ledger';
import { toSessionMessage } from './session-message';

/**
 * Closes sessions whose board stopped sending heartbeats (rebooted, lost power) at their last
 * heartbeat, so no session stays open forever. A later `inuse`/`stopuse` can still correct it.
 */
@Injectable()
export class OrphanSessionsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OrphanSessionsService.name);
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.closeOrphans().catch((e: unknown) => this.logger.error(`orphan closing failed: ${String(e)}`));
    }, this.config.ORPHAN_CHECK_SECONDS * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async closeOrphans(): Promise<number> {
    const now = this.clock.now().getTime();
    const before = now - this.config.SESSION_ORPHAN_MINUTES * 60_000;
    const closed = await this.uow.runSql(async (sql, events) => {
      const sessions = await new SessionLedger(sql, now, this.config.LAB_TIME_ZONE).closeOrphans(before);
      for (const s of sessions) events.publish('session-stopped', toSessionMessage(s));
      return sessions;
    });
    if (closed.length > 0) this.logger.log(`closed ${closed.length} session(s) without heartbeat`);
    return closed.length;
  }
}
