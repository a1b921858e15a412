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

  it('backfill the unknown-cards table from the access history', async () => {
    const scratch = await createScratchDatabase(kind);
    const dataSource = createDataSource({ DATABASE_URL: scratch.url, SQLITE_SYNCHRONOUS: 'NORMAL' });
    const hasTable = async () =>
      (
        await dataSource.query(
          kind === 'sqlite'
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'unknown_cards'"
            : "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename = 'unknown_cards'",
        )
      ).length > 0;
    try {
      await dataSource.initialize();
      await dataSource.runMigrations({ transaction: 'each' });
      // Back to the schema before the table: a database upgraded with its history in place.
      while (await hasTable()) await dataSource.undoLastMigration();
      const tap = (card: string | null, at: number, topic: string, reason = 'unknown-card') =>
        dataSource.query(
          `INSERT INTO "access_events" ("occurredAt", "topicId", "machineId", "cardUid", "memberId", "action", "reason", "granted", "level", "replay")
           VALUES (${at}, '${topic}', NULL, ${card === null ? 'NULL' : `'${card}'`}, NULL, 'checkuser', '${reason}', ${kind === 'sqlite' ? 0 : false}, 0, ${kind === 'sqlite' ? 0 : false})`,
        );
      await tap('deadbeef', 2_000, '7');
      await tap('deadbeef', 1_000, '3');
      await tap('deadbeef', 3_000, '12');
      await tap('deadbeef', 3_000, '9'); // same millisecond, written last: the last tap
      await tap('cafebabe', 5_000, '1');
      await tap('cafebabe', 6_000, '1', 'no-authorization');
      await tap(null, 7_000, '1');
      await dataSource.runMigrations({ transaction: 'each' });
      const rows = await dataSource.query<Record<string, string | number>[]>(
        'SELECT "cardUid", "firstSeenAt", "lastSeenAt", "taps", "lastTopicId" FROM "unknown_cards" ORDER BY "cardUid"',
      );
      expect(
        rows.map((r) => ({
          ...r,
          firstSeenAt: Number(r['firstSeenAt']),
          lastSeenAt: Number(r['lastSeenAt']),
        })),
      ).toEqual([
        { cardUid: 'cafebabe', firstSeenAt: 5_000, lastSeenAt: 5_000, taps: 1, lastTopicId: '1' },
        { cardUid: 'deadbeef', firstSeenAt: 1_000, lastSeenAt: 3_000, taps: 4, lastTopicId: '9' },
      ]);
    } finally {
      await dataSource.destroy().catch(() => undefined);
      await scratch.drop();
    }
  });
});
