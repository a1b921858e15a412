import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import type { AppConfig } from '../config/config.schema';

const LEVELS: Record<AppConfig['LOG_LEVEL'], LogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

export interface LogLine {
  readonly time: string;
  readonly level: LogLevel;
  readonly context: string;
  readonly message: string;
}

/** Lines kept for the system page; lines that carry a one-time secret are not kept. */
const RECENT_LINES = 500;
const NOT_KEPT = /one-time password/i;
/** Nest's start-up listing of every route ("Mapped {/api/…, GET} route"): printed, not kept for the System page. */
const ROUTE_LISTING = new Set(['RouterExplorer', 'RoutesResolver']);

/** Structured (JSON lines) or human-readable logs at the configured level; the last lines kept. */
export class AppLogger extends ConsoleLogger {
  private readonly recentLines: LogLine[] = [];

  get recent(): readonly LogLine[] {
    return this.recentLines;
  }

  protected override printMessages(
    messages: unknown[],
    context = '',
    logLevel: LogLevel = 'log',
    writeStreamType?: 'stdout' | 'stderr',
    errorStack?: unknown,
    params?: Record<string, unknown>,
  ): void {
    for (const message of ROUTE_LISTING.has(context) ? [] : messages) {
      const text =
        message instanceof Error
          ? message.message
          : typeof message === 'string'
            ? message
            : JSON.stringify(message);
      if (NOT_KEPT.test(text)) continue;
      this.recentLines.push({ time: new Date().toISOString(), level: logLevel, context, message: text });
    }
    if (this.recentLines.length > RECENT_LINES)
      this.recentLines.splice(0, this.recentLines.length - RECENT_LINES);
    super.printMessages(messages, context, logLevel, writeStreamType, errorStack, params);
  }
}

export function createLogger(config: Pick<AppConfig, 'LOG_LEVEL' | 'LOG_FORMAT'>): AppLogger {
  return new AppLogger({
    logLevels: LEVELS[config.LOG_LEVEL],
    json: config.LOG_FORMAT === 'json',
    colors: config.LOG_FORMAT === 'text' && process.stdout.isTTY,
  });
}
