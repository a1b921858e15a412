import { createDataSource, type DatabaseKind } from './data-source';
import { createScratchDatabase } from './scratch-database';
import { pendingSchemaChanges } from './schema-drift';

describe.each<DatabaseKind>(['sqlite', 'postgres'])('migrations on %s', (kind) => {
  it('build exactly the schema the entities describe (run `npm run migration:generate` if not)', async () => {
    const scratch = await createScratchDatabase(kind);
    const dataSource = createDataSource({ DATABASE_URL: scratch.url, SQLITE_SYNCHRONOUS: 'NORMAL' });
    try {
      await dataSource.initialize();
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      expect(applied.length).toBeGreaterThan(0);
      expect(await pendingSchemaChanges(dataSource)).toEqual({ up: [], down: [] });
      // and they can be rolled back to an empty database
      for (let i = 0; i < applied.length; i++) await dataSource.undoLastMigration();
      const tables: unknown[] =
        kind === 'sqlite'
          ? await dataSource.query(
              "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('migrations', 'sqlite_sequence')",
            )
          : await dataSource.query(
              "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations'",
            );
      expect(tables).toEqual([]);
    } finally {
      await dataSource.destroy().catch(() => undefined);
      await scratch.drop();
    }
  });
});
