import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { MachineStatusDto } from '@fabomatic/contracts';
import { EventBus } from '../../core/events/event-bus';
import { MachineStatusService } from '../machines/machine-status.service';
import { LiveAudience } from './live-audience';

/** Board activity settles for this long before a machine's status is recomputed and pushed. */
const SETTLE_MS = 100;

const fingerprint = (s: MachineStatusDto) =>
  JSON.stringify([
    s.status,
    s.session?.memberId ?? null,
    s.session?.startedAt ?? null,
    s.maintenance.map((p) => p.due),
    s.board.online,
    s.outOfOrder,
  ]);

/**
 * Pushes `machine-status` when what a dashboard card shows changes: a session starts or stops, a
 * board comes online or goes silent, maintenance is recorded, a problem report opens or closes. Only real changes are pushed.
 */
@Injectable()
export class MachineStatusPublisher implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(MachineStatusPublisher.name);
  private readonly pending = new Map<number, NodeJS.Timeout>();
  private readonly last = new Map<number, string>();
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly bus: EventBus,
    private readonly statuses: MachineStatusService,
    private readonly audience: LiveAudience,
  ) {}

  onModuleInit(): void {
    const machine = (machineId: number | null) => machineId !== null && this.schedule(machineId);
    this.unsubscribe.push(
      this.bus.subscribe('session-started', (e) => machine(e.machineId)),
      this.bus.subscribe('session-stopped', (e) => machine(e.machineId)),
      this.bus.subscribe('maintenance-recorded', (e) => machine(e.machineId)),
      // A report opened or closed: the card shows the machine out of order, or no longer.
      this.bus.subscribe('problem-reported', (e) => machine(e.report.machineId)),
      this.bus.subscribe('problem-changed', (e) => machine(e.report.machineId)),
      this.bus.subscribe('board-presence', (e) => {
        if (e.machineId !== null) machine(e.machineId);
        else
          this.byTopic(e.topicId).catch((error: unknown) =>
            this.logger.error(`board ${e.topicId} status not pushed: ${String(error)}`),
          );
      }),
    );
  }

  onModuleDestroy(): void {
    for (const stop of this.unsubscribe.splice(0)) stop();
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  private schedule(machineId: number): void {
    // Computing a card costs queries: only when a dashboard watches (a busy lab, none open: none).
    if (this.audience.connected === 0) {
      this.last.delete(machineId);
      return;
    }
    if (this.pending.has(machineId)) return;
    const timer = setTimeout(() => {
      this.pending.delete(machineId);
      this.publish(machineId).catch((error: unknown) =>
        this.logger.error(`machine ${machineId} status not pushed: ${String(error)}`),
      );
    }, SETTLE_MS);
    timer.unref();
    this.pending.set(machineId, timer);
  }

  private async publish(machineId: number): Promise<void> {
    const status = await this.statuses.one(machineId);
    const print = fingerprint(status);
    if (this.last.get(machineId) === print) return;
    this.last.set(machineId, print);
    this.bus.publish('machine-status', status);
  }

  /** A board that went silent is known by its topic id only. */
  private async byTopic(topicId: string): Promise<void> {
    const status = (await this.statuses.all()).find((s) => s.topicId === topicId);
    if (status) this.schedule(status.machineId);
  }
}
