import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../core/config/config.schema';
import { createDataSource } from '../core/database/data-source';
import { UnitOfWork } from '../core/database/unit-of-work';
import { Clock } from '../core/time/clock';
import { AuditService } from '../app/audit/audit.service';

/** What an operator command works with: the database (migrated), a unit of work, the clock, the audit log. */
export interface OperatorContext {
  readonly dataSource: DataSource;
  readonly uow: UnitOfWork;
  readonly clock: Clock;
  readonly audit: AuditService;
}

/**
 * Opens the configured database for one command, without the app (which may be running or not:
 * SQLite writers wait for each other), applies pending migrations, and closes it afterwards.
 */
export async function withDatabase<T>(
  config: AppConfig,
  work: (context: OperatorContext) => Promise<T>,
  clock: Clock = new Clock(),
): Promise<T> {
  // The command prints its own report; the services' progress lines would only repeat it.
  Logger.overrideLogger(['error', 'warn']);
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    return await work({ dataSource, uow: new UnitOfWork(dataSource), clock, audit: new AuditService(clock) });
  } finally {
    await dataSource.destroy();
  }
}
