import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The app's Prometheus metrics, in one registry (served at /metrics). */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly boardMessages = new Counter({
    name: 'fabomatic_board_messages_total',
    help: 'Board messages by action and outcome (answered, ignored, malformed, dropped-late, dropped-failed)',
    labelNames: ['action', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly boardReplySeconds = new Histogram({
    name: 'fabomatic_board_reply_seconds',
    help: 'Time from a board query to its committed answer',
    labelNames: ['action'] as const,
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2],
    registers: [this.registry],
  });

  readonly httpRequests = new Counter({
    name: 'fabomatic_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpSeconds = new Histogram({
    name: 'fabomatic_http_request_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly exportRows = new Counter({
    name: 'fabomatic_export_rows_total',
    help: 'Rows read for exports, by export',
    labelNames: ['export'] as const,
    registers: [this.registry],
  });

  readonly exports = new Counter({
    name: 'fabomatic_exports_total',
    help: 'Exports by export and outcome (complete, aborted by the client, failed)',
    labelNames: ['export', 'outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'fabomatic_' });
  }

  /** A gauge read when Prometheus scrapes. */
  gauge(name: string, help: string, read: () => number | Promise<number>): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        this.set(await read());
      },
    });
  }
}
