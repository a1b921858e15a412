import { EventEmitter } from 'node:events';
import { Injectable, Logger } from '@nestjs/common';
import type { LiveEventMap, LiveEventName } from '@fabomatic/contracts';

type Listener<K extends LiveEventName> = (payload: LiveEventMap[K]) => void;

/**
 * In-process bus of live events (board activity for dashboards). Publishing never throws into the
 * board path: a failing listener is logged and the others still run.
 */
@Injectable()
export class LiveEvents {
  private readonly logger = new Logger(LiveEvents.name);
  private readonly emitter = new EventEmitter({ captureRejections: false });

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish<K extends LiveEventName>(name: K, payload: LiveEventMap[K]): void {
    for (const listener of this.emitter.listeners(name)) {
      try {
        (listener as Listener<K>)(payload);
      } catch (error) {
        this.logger.error(`live event listener for ${name} failed: ${String(error)}`);
      }
    }
  }

  subscribe<K extends LiveEventName>(name: K, listener: Listener<K>): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }
}
