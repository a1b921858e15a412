import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { IsNull, Not } from 'typeorm';
import { type AliveQuery, isValidTopicId } from '@fabomatic/board-protocol';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { EventBus } from '../../core/events/event-bus';
import type { PresenceDigest, PresenceSharing } from '../../core/live/live-relay';
import { Clock } from '../../core/time/clock';
import { Machine } from '../machines/machine.entity';
import { Board } from './board.entity';

const FLUSH_MS = 10_000;

/** What an `alive` did: the board's row, and an alert for staff when it looks forged or moved. */
export interface AliveOutcome {
  readonly board: Board;
  readonly alert: 'board-bound-elsewhere' | 'board-serial-mismatch' | null;
}

/** Most entries a digest from another instance may carry (more than any lab has boards). */
const MAX_DIGEST_ENTRIES = 20_000;

/**
 * Which boards are online. Every message marks its topic id seen in memory (no write on the hot
 * path); last-seen times are written every few seconds, and online/offline changes are pushed live.
 * Scaled out, instances exchange what they saw (LiveRelay), so each knows every board's presence.
 */
@Injectable()
export class PresenceService implements OnApplicationBootstrap, OnApplicationShutdown, PresenceSharing {
  private readonly logger = new Logger(PresenceService.name);
  private readonly lastSeen = new Map<string, number>();
  private readonly dirty = new Set<string>();
  private readonly online = new Set<string>();
  /** Topic ids seen here since the last digest, when presence is shared with other instances. */
  private toShare: Map<string, number | null> | null = null;
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly uow: UnitOfWork,
    private readonly bus: EventBus,
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
    this.toShare?.set(topicId, machineId);
    if (!this.online.has(topicId)) {
      this.online.add(topicId);
      this.bus.publish('board-presence', { topicId, machineId, online: true });
    }
  }

  /** From now on, gathers what this instance sees for `takeDigest`. */
  shareWithOtherInstances(): void {
    this.toShare ??= new Map();
  }

  /** The boards seen here since the previous digest (last-seen epoch ms), to send to the others. */
  takeDigest(): PresenceDigest {
    if (!this.toShare || this.toShare.size === 0) return [];
    const digest: PresenceDigest = [...this.toShare].map(([topicId, machineId]) => [
      topicId,
      machineId,
      this.lastSeen.get(topicId) ?? 0,
    ]);
    this.toShare.clear();
    return digest;
  }

  /**
   * What another instance saw: a board heard there is online here too, until neither hears it. Its
   * online event already reached the dashboards from that instance; last-seen times are written there.
   */
  mergeDigest(digest: unknown): number {
    if (!Array.isArray(digest)) return 0;
    const cutoff = this.clock.now().getTime() - this.config.BOARD_OFFLINE_SECONDS * 1000;
    let merged = 0;
    for (const entry of digest.slice(0, MAX_DIGEST_ENTRIES) as unknown[]) {
      if (!Array.isArray(entry) || entry.length !== 3) continue;
      const [topicId, , at] = entry as [unknown, unknown, unknown];
      if (typeof topicId !== 'string' || !isValidTopicId(topicId)) continue;
      if (typeof at !== 'number' || !Number.isFinite(at) || at < cutoff) continue;
      if (at > (this.lastSeen.get(topicId) ?? 0)) this.lastSeen.set(topicId, at);
      this.online.add(topicId);
      merged += 1;
    }
    return merged;
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

  /**
   * Records what an `alive` tells about the board; unknown topic ids become unassigned boards.
   *
   * A board (by serial) bound to a machine on another topic is not moved by an `alive`: a holder of
   * the shared account could otherwise steal another board's identity. Such an alive is refused
   * (`board-bound-elsewhere`) until staff unbind the board. An alive on a machine's topic from a
   * serial other than the board bound there is recorded but raises `board-serial-mismatch`.
   */
  async recordAlive(topicId: string, machineId: number | null, alive: AliveQuery): Promise<AliveOutcome> {
    const now = this.clock.now();
    const outcome = await this.uow.run(async (em): Promise<AliveOutcome> => {
      const existing = alive.serial
        ? await em.findOneBy(Board, { serial: alive.serial })
        : await em.findOneBy(Board, { topicId, serial: IsNull() });
      if (existing && existing.topicId !== topicId && existing.machineId !== null) {
        return { board: existing, alert: 'board-bound-elsewhere' };
      }
      const bound =
        alive.serial && machineId !== null
          ? await em.findOne(Board, {
              where: { topicId, machineId, serial: Not(IsNull()) },
              order: { lastSeenAt: 'DESC' },
            })
          : null;
      const alert = bound && bound.serial !== alive.serial ? 'board-serial-mismatch' : null;
      const row = existing ?? em.create(Board, { serial: alive.serial, topicId });
      Object.assign(row, {
        topicId,
        machineId,
        ipAddress: alive.ip ?? row.ipAddress ?? null,
        firmwareVersion: alive.version ?? row.firmwareVersion ?? null,
        freeHeap: alive.heap ?? null,
        lastSeenAt: now,
      });
      return { board: await em.save(row), alert };
    });
    if (outcome.alert === 'board-bound-elsewhere') return outcome;
    const board = outcome.board;
    this.bus.publish('board-seen', {
      topicId,
      machineId: board.machineId,
      serial: board.serial,
      ipAddress: board.ipAddress,
      firmwareVersion: board.firmwareVersion,
      freeHeap: board.freeHeap,
      lastSeenAt: now.toISOString(),
    });
    return outcome;
  }

  private async tick(): Promise<void> {
    const cutoff = this.clock.now().getTime() - this.config.BOARD_OFFLINE_SECONDS * 1000;
    for (const topicId of [...this.online]) {
      if ((this.lastSeen.get(topicId) ?? 0) < cutoff) {
        this.online.delete(topicId);
        this.bus.publish('board-presence', { topicId, machineId: null, online: false });
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
