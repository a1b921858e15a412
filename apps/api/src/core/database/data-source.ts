import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/config.schema';
import { ENTITIES } from './entities';
import { POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from './migrations';

export type DatabaseKind = 'sqlite' | 'postgres';

export function databaseKind(url: string): DatabaseKind {
  return url.startsWith('sqlite:') ? 'sqlite' : 'postgres';
}

/** The SQLite file path of a `sqlite:<path>` URL (`:memory:` kept as is). */
export function sqlitePath(url: string): string {
  const path = url.slice('sqlite:'.length);
  return path === ':memory:' ? path : resolve(path);
}

type DatabaseSettings = Pick<AppConfig, 'DATABASE_URL' | 'SQLITE_SYNCHRONOUS'>;

/**
 * TypeORM options for the configured database. Never `synchronize`: the schema only changes through
 * the migrations of `./migrations/<driver>`, applied at start.
 */
export function dataSourceOptions(config: DatabaseSettings): DataSourceOptions {
  const common = { entities: ENTITIES, synchronize: false, migrationsRun: false, logging: false } as const;
  if (databaseKind(config.DATABASE_URL) === 'sqlite') {
    const database = sqlitePath(config.DATABASE_URL);
    if (database !== ':memory:') mkdirSync(dirname(database), { recursive: true });
    return {
      ...common,
      type: 'better-sqlite3',
      database,
      migrations: SQLITE_MIGRATIONS,
      enableWAL: true,
      // The driver applies these at connect: wait for a writer instead of failing, keep FKs on.
      prepareDatabase: (db: { pragma(source: string): unknown }) => {
        db.pragma('busy_timeout = 5000');
        db.pragma(`synchronous = ${config.SQLITE_SYNCHRONOUS}`);
        db.pragma('foreign_keys = ON');
        // Schema objects may not call functions with side effects (defence in depth after a restore).
        db.pragma('trusted_schema = OFF');
      },
    };
  }
  return {
    ...common,
    type: 'postgres',
    url: config.DATABASE_URL,
    migrations: POSTGRES_MIGRATIONS,
    extra: { max: 10 },
  };
}

export function createDataSource(config: DatabaseSettings): DataSource {
  return new DataSource(dataSourceOptions(config));
}
