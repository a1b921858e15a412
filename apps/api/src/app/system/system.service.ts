import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpStatus, Inject, Injectable, Optional } from '@nestjs/common';
import type { RestoreResult, SystemInfo } from '@fabomatic/contracts';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../core/config/config.module';
import { type AppConfig, redactConfig } from '../../core/config/config.schema';
import { databaseKind, sqlitePath } from '../../core/database/data-source';
import { ApiError } from '../../core/http/api-error';
import { hasMediaType, receiveToFile } from '../../core/http/upload';
import { AppLogger, type LogLine } from '../../core/logging/logger';
import { BoardStats } from '../boards/board-stats';
import { BoardTransportStatus } from '../boards/board-transport-status';
import { PresenceService } from '../boards/presence.service';
import { JobRuns } from '../jobs/job-runs';
import { BrokerInfo } from './broker-info';
import { AppRestarter, NO_RESTARTER } from './app-restarter';
import type { AuditActor } from '../audit/audit.service';
import { PortalReads } from '../../core/database/portal-reads';
import { type RestoreCheck, RestoreSchemaMismatch, stageRestore } from '../../core/database/restore';
import { productVersion } from '../../core/version';

const startedAt = Date.now();
/** One restore at a time in this process (kept across the in-process restart a restore triggers). */
let restoreRunning = false;
const version = productVersion();

interface SqliteBackup {
  backup(destination: string): Promise<unknown>;
}

@Injectable()
export class SystemService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly logger: AppLogger,
    private readonly broker: BrokerInfo,
    private readonly transport: BoardTransportStatus,
    private readonly stats: BoardStats,
    private readonly presence: PresenceService,
    private readonly reads: PortalReads,
    private readonly jobRuns: JobRuns,
    @Optional() private readonly restarter: AppRestarter = NO_RESTARTER,
  ) {}

  async info(): Promise<SystemInfo> {
    const memory = process.memoryUsage();
    return {
      version,
      node: process.version,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      memory: { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed },
      database: { kind: databaseKind(this.config.DATABASE_URL), sizeBytes: await this.databaseSize() },
      broker: { embedded: this.broker.embedded, url: this.broker.url, connected: this.transport.connected },
      boards: { online: this.presence.onlineCount, messages: this.stats.snapshot() },
      config: redactConfig(this.config),
      email: {
        configured: Boolean(this.config.SMTP_URL),
        from: this.config.SMTP_FROM,
        requireTls: this.config.SMTP_REQUIRE_TLS,
      },
      jobs: { enabled: this.config.JOBS_ENABLED, latest: await this.jobRuns.latest() },
    };
  }

  recentLogs(): readonly LogLine[] {
    return [...this.logger.recent].reverse();
  }

  /**
   * Checks an uploaded database and stages it; the app then restarts in-process and starts on it,
   * keeping the previous database beside it. Nothing is replaced when the check fails.
   * The body is read here, after the session guard: streamed to a file beside the database, at most
   * RESTORE_MAX_MB, one restore at a time.
   */
  async restore(actor: AuditActor, upload: Request): Promise<RestoreResult> {
    if (databaseKind(this.config.DATABASE_URL) !== 'sqlite') {
      throw new ApiError(HttpStatus.CONFLICT, 'BACKUP_NOT_SUPPORTED', 'restore PostgreSQL with pg_restore');
    }
    if (!hasMediaType(upload, 'application/octet-stream')) {
      throw new ApiError(
        HttpStatus.BAD_REQUEST,
        'RESTORE_INVALID',
        'send the database file as application/octet-stream',
      );
    }
    if (restoreRunning) {
      throw new ApiError(
        HttpStatus.CONFLICT,
        'RESTORE_IN_PROGRESS',
        'another restore is running: try again when it is done',
      );
    }
    restoreRunning = true;
    const databasePath = sqlitePath(this.config.DATABASE_URL);
    const file = `${databasePath}.upload-${randomUUID()}`;
    try {
      const size = await receiveToFile(upload, file, this.config.RESTORE_MAX_MB * 1024 * 1024);
      if (size === 0) {
        throw new ApiError(
          HttpStatus.BAD_REQUEST,
          'RESTORE_INVALID',
          'send the database file as application/octet-stream',
        );
      }
      let check: RestoreCheck;
      try {
        // Who restored is written into the restored database once it runs (restore-follow-up.ts).
        const who = typeof actor === 'object' ? { id: actor.id, email: actor.email } : actor;
        check = await stageRestore(databasePath, file, who);
      } catch (error) {
        throw new ApiError(
          HttpStatus.BAD_REQUEST,
          error instanceof RestoreSchemaMismatch ? 'RESTORE_SCHEMA_MISMATCH' : 'RESTORE_INVALID',
          error instanceof Error ? error.message : 'invalid file',
        );
      }
      if (this.restarter.available) setTimeout(() => this.restarter.restart(), 200).unref();
      return { ...check, restarting: this.restarter.available };
    } finally {
      rmSync(file, { force: true });
      restoreRunning = false;
    }
  }

  /**
   * A consistent copy of the SQLite database, taken while the app runs (SQLite's online backup:
   * boards keep being answered). PostgreSQL is backed up with pg_dump.
   */
  async backup(): Promise<{ file: string; cleanup: () => void }> {
    if (databaseKind(this.config.DATABASE_URL) !== 'sqlite') {
      throw new ApiError(HttpStatus.CONFLICT, 'BACKUP_NOT_SUPPORTED', 'back up PostgreSQL with pg_dump');
    }
    const dir = mkdtempSync(join(tmpdir(), 'fabomatic-backup-'));
    const file = join(dir, 'fabomatic.db');
    const connection = (this.dataSource.driver as unknown as { databaseConnection: SqliteBackup })
      .databaseConnection;
    await connection.backup(file);
    return { file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  }

  private async databaseSize(): Promise<number> {
    if (databaseKind(this.config.DATABASE_URL) === 'sqlite') {
      const path = sqlitePath(this.config.DATABASE_URL);
      return [path, `${path}-wal`].filter((p) => existsSync(p)).reduce((sum, p) => sum + statSync(p).size, 0);
    }
    const row = await this.reads.get<{ size: string }>(
      'SELECT pg_database_size(current_database()) AS "size"',
    );
    return Number(row?.size ?? 0);
  }
}
