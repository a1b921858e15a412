import { EventEmitter } from 'node:events';
import { Injectable, Logger } from '@nestjs/common';
import { isLiveEventName, type LiveEventMap, type LiveEventName } from '@fabomatic/contracts';
import type { DomainEventMap, DomainEventName } from './domain-events';

type Listener<K extends DomainEventName> = (payload: DomainEventMap[K]) => void;
/** Sees every live event published by this instance (the scale-out relay forwards them). */
export type LiveTap = <K extends LiveEventName>(name: K, payload: LiveEventMap[K]) => void;

export interface SubscribeOptions {
  /**
   * Also receive the events other instances published (relayed when several instances share the
   * boards, ADR 0004). Dashboards want them; listeners that derive state or act (and whose
   * counterpart on the other instance does the same) must not, so the default is this instance's only.
   */
  readonly remote?: boolean;
}

/**
 * The in-process bus of domain events (core/events/domain-events.ts), published after commit:
 * a synchronous call of each listener, nothing queued, no promise, so the board path pays a loop
 * per event. Publishing never throws into its caller: a failing listener is logged and the others
 * still run. Transactions publish through the UnitOfWork (`PendingEvents`), which calls `publish`
 * once they committed.
 */
@Injectable()
export class EventBus {
  private readonly logger = new Logger(EventBus.name);
  private readonly local = new EventEmitter({ captureRejections: false });
  private readonly remote = new EventEmitter({ captureRejections: false });
  private readonly taps = new Set<LiveTap>();

  constructor() {
    this.local.setMaxListeners(0);
    this.remote.setMaxListeners(0);
  }

  publish<K extends DomainEventName>(name: K, payload: DomainEventMap[K]): void {
    this.deliver(this.local, name, payload);
    if (this.taps.size === 0 || !isLiveEventName(name)) return;
    for (const tap of this.taps) {
      try {
        tap(name, payload as LiveEventMap[typeof name]);
      } catch (error) {
        this.logger.error(`live event tap for ${name} failed: ${String(error)}`);
      }
    }
  }

  /** A live event another instance published: to the listeners that asked for remote events only. */
  deliverRemote<K extends LiveEventName>(name: K, payload: LiveEventMap[K]): void {
    this.deliver(this.remote, name, payload as DomainEventMap[K]);
  }

  subscribe<K extends DomainEventName>(
    name: K,
    listener: Listener<K>,
    options: SubscribeOptions = {},
  ): () => void {
    this.local.on(name, listener);
    if (options.remote) this.remote.on(name, listener);
    return () => {
      this.local.off(name, listener);
      this.remote.off(name, listener);
    };
  }

  /** Every live event this instance publishes, whatever its name (change events stay in the process). */
  tap(tap: LiveTap): () => void {
    this.taps.add(tap);
    return () => this.taps.delete(tap);
  }

  private deliver<K extends DomainEventName>(
    emitter: EventEmitter,
    name: K,
    payload: DomainEventMap[K],
  ): void {
    for (const listener of emitter.listeners(name)) {
      try {
        (listener as Listener<K>)(payload);
      } catch (error) {
        this.logger.error(`event listener for ${name} failed: ${String(error)}`);
      }
    }
  }
}
