import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { IsNull } from 'typeorm';
import type { AliveQuery } from '@fabomatic/board-protocol';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { LiveEvents } from '../../core/live/live-events';
import { Clock } from '../../core/time/clock';
import { Machine } from '../machines/machine.entity';
import { Board } from './board.entity';

const FLUSH_MS = 10_000;

/**
 * Which boards are online. Every message marks its topic id seen in memory (no write on the hot
 * path); last-seen times are written every few seconds, and online/offline changes are pushed live.
 */
@Injectable()
export class PresenceService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PresenceService.name);
  private readonly lastSeen = new Map<string, number>();
  private readonly dirty = new Set<string>();
  private readonly online = new Set<string>();
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly uow: UnitOfWork,
    private readonly live: LiveEvents,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(
      () => void this.tick(),
      Math.min(FLUSH_MS, this.config.BOARD_OFFLINE_SECONDS * 500),
    );
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush().catch((e: unknown) => this.logger.error(`presence flush failed: ${String(e)}`));
  }

  seen(topicId: string, machineId: number | null): void {
    const now = this.clock.now().getTime();
    this.lastSeen.set(topicId, now);
    this.dirty.add(topicId);
    if (!this.online.has(topicId)) {
      this.online.add(topicId);
      this.live.publish('board-presence', { topicId, machineId, online: true });
    }
  }

  get onlineCount(): number {
    return this.online.size;
  }

  isOnline(topicId: string): boolean {
    return this.online.has(topicId);
  }

  lastSeenAt(topicId: string): Date | null {
    const at = this.lastSeen.get(topicId);
    return at === undefined ? null : new Date(at);
  }

  /** Records what an `alive` tells about the board; unknown topic ids become unassigned boards. */
  async recordAlive(topicId: string, machineId: number | null, alive: AliveQuery): Promise<Board> {
    const now = this.clock.now();
    const board = await this.uow.run(async (em) => {
      const existing = alive.serial
        ? await em.findOneBy(Board, { serial: alive.serial })
        : await em.findOneBy(Board, { topicId, serial: IsNull() });
      const row = existing ?? em.create(Board, { serial: alive.serial, topicId });
      Object.assign(row, {
        topicId,
        machineId,
        ipAddress: alive.ip ?? row.ipAddress ?? null,
        firmwareVersion: alive.version ?? row.firmwareVersion ?? null,
        freeHeap: alive.heap ?? null,
        lastSeenAt: now,
      });
      return em.save(row);
    });
    this.live.publish('board-seen', {
      topicId,
      machineId: board.machineId,
      serial: board.serial,
      ipAddress: board.ipAddress,
      firmwareVersion: board.firmwareVersion,
      freeHeap: board.freeHeap,
      lastSeenAt: now.toISOString(),
    });
    return board;
  }

  private async tick(): Promise<void> {
    const cutoff = this.clock.now().getTime() - this.config.BOARD_OFFLINE_SECONDS * 1000;
    for (const topicId of [...this.online]) {
      if ((this.lastSeen.get(topicId) ?? 0) < cutoff) {
        this.online.delete(topicId);
        this.live.publish('board-presence', { topicId, machineId: null, online: false });
      }
    }
    await this.flush().catch((e: unknown) => this.logger.error(`presence flush failed: ${String(e)}`));
  }

  /** Writes the last-seen times gathered since the previous flush. */
  async flush(): Promise<void> {
    if (this.dirty.size === 0) return;
    const batch = [...this.dirty].map((topicId) => [topicId, this.lastSeen.get(topicId) ?? 0] as const);
    this.dirty.clear();
    await this.uow.run(async (em) => {
      for (const [topicId, at] of batch) {
        await em.update(Machine, { topicId }, { lastSeenAt: new Date(at) });
      }
    });
  }
}
