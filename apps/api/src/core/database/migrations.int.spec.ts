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

  it('give an upgraded lab report totals and plan counters equal to its history', async () => {
    const scratch = await createScratchDatabase(kind);
    const dataSource = createDataSource({ DATABASE_URL: scratch.url, SQLITE_SYNCHRONOUS: 'NORMAL' });
    const sql = (query: string) => dataSource.query<Record<string, unknown>[]>(query);
    try {
      await dataSource.initialize();
      await dataSource.runMigrations({ transaction: 'each' });
      // The lab as it was before the totals: one plan, two closed sessions and an open one.
      const applied = async () =>
        (await sql('SELECT "name" FROM "migrations"')).map((m) => String(m['name']));
      while ((await applied()).some((name) => name.startsWith('AddUsageAggregates'))) {
        await dataSource.undoLastMigration();
      }
      await sql(`INSERT INTO "roles" ("name") VALUES ('Makers')`);
      await sql(`INSERT INTO "members" ("name", "surname", "roleId") VALUES ('Ada', 'L', 1)`);
      await sql(`INSERT INTO "machines" ("topicId", "name") VALUES ('1', 'Laser')`);
      await sql(
        `INSERT INTO "maintenance_plans" ("machineId", "hoursBetween", "description") VALUES (1, 10, 'Lens')`,
      );
      const start = Date.parse('2026-03-02T08:00:00Z'); // a Monday
      await sql(
        `INSERT INTO "usage_sessions" ("memberId", "machineId", "startedAt", "lastSeenAt", "endedAt") VALUES
         (1, 1, ${start}, ${start + 3_600_000}, ${start + 3_600_000}),
         (1, 1, ${start + 86_400_000}, ${start + 86_400_000 + 1_800_000}, ${start + 86_400_000 + 1_800_000}),
         (1, 1, ${start + 2 * 86_400_000}, ${start + 2 * 86_400_000}, NULL)`,
      );
      await dataSource.runMigrations({ transaction: 'each' });
      const weeks = await sql(
        `SELECT "sessions", "ms" FROM "usage_machine_totals" WHERE "period" = 'w' AND "machineId" = 1`,
      );
      expect(weeks.map((w) => [Number(w['sessions']), Number(w['ms'])])).toEqual([[2, 5_400_000]]);
      const hours = await sql(`SELECT SUM("sessions") AS "n" FROM "usage_hours"`);
      expect(Number(hours[0]?.['n'])).toBe(3);
      const plans = await sql(`SELECT "usedMs" FROM "maintenance_plans"`);
      expect(Number(plans[0]?.['usedMs'])).toBe(5_400_000);
    } finally {
      await dataSource.destroy().catch(() => undefined);
      await scratch.drop();
    }
  });
});
