import { appendFileSync, closeSync, existsSync, fsyncSync, openSync, readFileSync } from 'node:fs';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { databaseKind, sqlitePath } from './data-source';

/**
 * One GDPR erasure: which member (their id, and when the row was created, so a later member who
 * reuses the id after a restore is never taken for them) and when. No personal data.
 */
export interface ErasureRecord {
  readonly memberId: number;
  readonly memberCreatedAt: string;
  readonly erasedAt: string;
}

/** Beside the SQLite database, outside it: a restore replaces the database, not this file. */
export const erasureLedgerPath = (databasePath: string) => `${databasePath}.erasures`;

/**
 * The append-only ledger of GDPR erasures (`<database>.erasures`, JSON lines). A restore brings
 * back a backup taken before some erasures: they are applied again from here once the restored
 * database has started (app/system/restore-follow-up.ts), so an erased person does not come back.
 * SQLite only: on PostgreSQL the app does no restore (pg_restore does, outside it).
 */
@Injectable()
export class ErasureLedger {
  private readonly logger = new Logger(ErasureLedger.name);
  readonly path: string | null;

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'DATABASE_URL'>) {
    const kind = databaseKind(config.DATABASE_URL);
    const database = kind === 'sqlite' ? sqlitePath(config.DATABASE_URL) : ':memory:';
    this.path = database === ':memory:' ? null : erasureLedgerPath(database);
  }

  /** Appends erasures once their transaction has committed; a failure is logged, never thrown. */
  record(erasures: readonly ErasureRecord[]): void {
    if (!this.path || erasures.length === 0) return;
    try {
      const fd = openSync(this.path, 'a', 0o600);
      try {
        appendFileSync(fd, erasures.map((e) => `${JSON.stringify(e)}\n`).join(''));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      this.logger.error(
        `could not write the erasure ledger ${this.path} (members ${erasures.map((e) => e.memberId).join(', ')}): ` +
          `a restore of an older backup would not erase them again: ${String(error)}`,
      );
    }
  }

  /** Every erasure recorded, oldest first; a line cut short by a crash is skipped. */
  read(): ErasureRecord[] {
    if (!this.path || !existsSync(this.path)) return [];
    const records: ErasureRecord[] = [];
    for (const line of readFileSync(this.path, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const value = JSON.parse(line) as Partial<ErasureRecord>;
        if (
          Number.isSafeInteger(value.memberId) &&
          typeof value.memberCreatedAt === 'string' &&
          typeof value.erasedAt === 'string'
        )
          records.push(value as ErasureRecord);
      } catch {
        this.logger.warn(`skipped an unreadable line of the erasure ledger ${this.path}`);
      }
    }
    return records;
  }
}
