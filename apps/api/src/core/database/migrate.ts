import type { AppConfig } from '../config/config.schema';
import { createDataSource } from './data-source';

/** Applies pending migrations; returns the names applied. */
export async function runMigrations(
  config: Pick<AppConfig, 'DATABASE_URL' | 'SQLITE_SYNCHRONOUS'>,
): Promise<string[]> {
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}
