import { Injectable } from '@nestjs/common';
import type { BoardAction, BoardParseError } from '@fabomatic/board-protocol';
import { Metrics } from '../../core/metrics/metrics';

/** Counters of the board traffic (for logs, the system page and metrics). */
@Injectable()
export class BoardStats {
  constructor(private readonly metrics: Metrics) {}

  readonly received = new Map<BoardAction, number>();
  readonly malformed = new Map<BoardParseError, number>();
  readonly dropped = new Map<'late' | 'failed', number>();

  countReceived(action: BoardAction): void {
    this.received.set(action, (this.received.get(action) ?? 0) + 1);
  }

  countMalformed(error: BoardParseError, action = 'unknown'): void {
    this.malformed.set(error, (this.malformed.get(error) ?? 0) + 1);
    this.metrics.boardMessages.inc({ action, outcome: `malformed-${error}` });
  }

  countDropped(reason: 'late' | 'failed'): void {
    this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + 1);
    this.metrics.boardMessages.inc({ action: 'unknown', outcome: `dropped-${reason}` });
  }

  /** A board message over the rate of its topic or its connection: dropped, unanswered. */
  countRateLimited(scope: 'topic' | 'connection'): void {
    this.metrics.boardMessages.inc({ action: 'unknown', outcome: `dropped-rate-${scope}` });
  }

  /** A publish the embedded broker refused: its board topic is held by another connection. */
  countTopicConflict(action: string): void {
    this.metrics.boardMessages.inc({ action, outcome: 'refused-topic-conflict' });
  }

  /** A query handled: answered (with its time to the committed answer) or, for alive, not. */
  recordHandled(action: BoardAction, answered: boolean, ms: number): void {
    let series = this.handled.get(action);
    if (!series) {
      const metrics = this.metrics;
      series = {
        answered: metrics.boardMessages.labels({ action, outcome: 'answered' }),
        ignored: metrics.boardMessages.labels({ action, outcome: 'ignored' }),
        replySeconds: metrics.boardReplySeconds.labels({ action }),
      };
      this.handled.set(action, series);
    }
    if (!answered) {
      series.ignored.inc();
      return;
    }
    series.answered.inc();
    series.replySeconds.observe(ms / 1000);
  }

  /** Each action's series, looked up once: every board message counts here (labels hashed once). */
  private readonly handled = new Map<
    BoardAction,
    {
      readonly answered: { inc(): void };
      readonly ignored: { inc(): void };
      readonly replySeconds: { observe(value: number): void };
    }
  >();

  snapshot() {
    return {
      received: Object.fromEntries(this.received),
      malformed: Object.fromEntries(this.malformed),
      dropped: Object.fromEntries(this.dropped),
    };
  }
}
