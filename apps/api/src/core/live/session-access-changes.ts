import { Injectable, Logger } from '@nestjs/common';

/** A member whose sessions may no longer watch as before, or `all` (a role's portal level changed). */
export type AccessChange = { readonly memberId: number } | 'all';

/**
 * Told when something may narrow what a member's sessions may see: a password change, a role
 * change or downgrade, the member disabled, deleted or erased. The live gateway re-checks the
 * affected sockets at once instead of at its next round (app/realtime/live.gateway.ts). This
 * instance only: sockets on another instance follow at their next round (at most a minute).
 */
@Injectable()
export class SessionAccessChanges {
  private readonly logger = new Logger(SessionAccessChanges.name);
  private readonly listeners = new Set<(change: AccessChange) => void>();

  /** Call after the change is committed, so a re-check reads the new state. */
  changed(change: AccessChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.logger.error(`session access listener failed: ${String(error)}`);
      }
    }
  }

  subscribe(listener: (change: AccessChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
