import { EventEmitter } from 'node:events';
import { Injectable, Logger } from '@nestjs/common';
import type { LiveEventMap, LiveEventName } from '@fabomatic/contracts';

type Listener<K extends LiveEventName> = (payload: LiveEventMap[K]) => void;
/** Sees every event published by this instance (the scale-out relay forwards them). */
export type LiveTap = <K extends LiveEventName>(name: K, payload: LiveEventMap[K]) => void;

export interface LiveSubscribeOptions {
  /**
   * Also receive the events other instances published (relayed when several instances share the
   * boards, ADR 0004). Dashboards want them; listeners that derive state or act (and whose
   * counterpart on the other instance does the same) must not, so the default is this instance's only.
   */
  readonly remote?: boolean;
}

/**
 * In-process bus of live events (board activity for dashboards). Publishing never throws into the
 * board path: a failing listener is logged and the others still run.
 */
@Injectable()
export class LiveEvents {
  private readonly logger = new Logger(LiveEvents.name);
  private readonly local = new EventEmitter({ captureRejections: false });
  private readonly remote = new EventEmitter({ captureRejections: false });
  private readonly taps = new Set<LiveTap>();

  constructor() {
    this.local.setMaxListeners(0);
    this.remote.setMaxListeners(0);
  }

  publish<K extends LiveEventName>(name: K, payload: LiveEventMap[K]): void {
    this.deliver(this.local, name, payload);
    for (const tap of this.taps) {
      try {
        tap(name, payload);
      } catch (error) {
        this.logger.error(`live event tap for ${name} failed: ${String(error)}`);
      }
    }
  }

  /** An event another instance published: to the listeners that asked for remote events only. */
  deliverRemote<K extends LiveEventName>(name: K, payload: LiveEventMap[K]): void {
    this.deliver(this.remote, name, payload);
  }

  subscribe<K extends LiveEventName>(
    name: K,
    listener: Listener<K>,
    options: LiveSubscribeOptions = {},
  ): () => void {
    this.local.on(name, listener);
    if (options.remote) this.remote.on(name, listener);
    return () => {
      this.local.off(name, listener);
      this.remote.off(name, listener);
    };
  }

  /** Every event this instance publishes, whatever its name. */
  tap(tap: LiveTap): () => void {
    this.taps.add(tap);
    return () => this.taps.delete(tap);
  }

  private deliver<K extends LiveEventName>(emitter: EventEmitter, name: K, payload: LiveEventMap[K]): void {
    for (const listener of emitter.listeners(name)) {
      try {
        (listener as Listener<K>)(payload);
      } catch (error) {
        this.logger.error(`live event listener for ${name} failed: ${String(error)}`);
      }
    }
  }
}
