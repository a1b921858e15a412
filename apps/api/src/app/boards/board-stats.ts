import { Injectable } from '@nestjs/common';
import type { BoardAction, BoardParseError } from '@fabomatic/board-protocol';

/** Counters of the board traffic (for logs, the system page and metrics). */
@Injectable()
export class BoardStats {
  readonly received = new Map<BoardAction, number>();
  readonly malformed = new Map<BoardParseError, number>();
  readonly dropped = new Map<'late' | 'failed', number>();
  /** Handling time of answered queries, ms, most recent first (bounded). */
  private readonly latencies: number[] = [];

  countReceived(action: BoardAction): void {
    this.received.set(action, (this.received.get(action) ?? 0) + 1);
  }

  countMalformed(error: BoardParseError): void {
    this.malformed.set(error, (this.malformed.get(error) ?? 0) + 1);
  }

  countDropped(reason: 'late' | 'failed'): void {
    this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + 1);
  }

  recordLatency(ms: number): void {
    this.latencies.push(ms);
    if (this.latencies.length > 10_000) this.latencies.splice(0, 5_000);
  }

  snapshot() {
    return {
      received: Object.fromEntries(this.received),
      malformed: Object.fromEntries(this.malformed),
      dropped: Object.fromEntries(this.dropped),
    };
  }
}
