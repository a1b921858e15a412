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

  it("give every role without portal access the members' portal, except the reserved ones", async () => {
    const scratch = await createScratchDatabase(kind);
    const dataSource = createDataSource({ DATABASE_URL: scratch.url, SQLITE_SYNCHRONOUS: 'NORMAL' });
    const sql = (query: string) => dataSource.query<Record<string, unknown>[]>(query);
    try {
      await dataSource.initialize();
      await dataSource.runMigrations({ transaction: 'each' });
      const applied = async () =>
        (await sql('SELECT "name" FROM "migrations"')).map((m) => String(m['name']));
      while ((await applied()).some((name) => name.startsWith('MemberPortalSignIn'))) {
        await dataSource.undoLastMigration();
      }
      const [no, yes] = kind === 'sqlite' ? ['0', '1'] : ['FALSE', 'TRUE'];
      await sql(
        `INSERT INTO "roles" ("name", "portalAccess", "reserved") VALUES
         ('Makers', 'none', ${no}), ('Staff', 'manager', ${no}), ('Erased', 'none', ${yes})`,
      );
      await dataSource.runMigrations({ transaction: 'each' });
      expect(await sql('SELECT "name", "portalAccess" FROM "roles" ORDER BY "name"')).toEqual([
        { name: 'Erased', portalAccess: 'none' },
        { name: 'Makers', portalAccess: 'member' },
        { name: 'Staff', portalAccess: 'manager' },
      ]);
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
  it('start existing authorizations active, granted when created, last used at their type', async () => {
    const scratch = await createScratchDatabase(kind);
    const dataSource = createDataSource({ DATABASE_URL: scratch.url, SQLITE_SYNCHRONOUS: 'NORMAL' });
    const sql = (query: string) => dataSource.query<Record<string, unknown>[]>(query);
    try {
      await dataSource.initialize();
      await dataSource.runMigrations({ transaction: 'each' });
      const applied = async () =>
        (await sql('SELECT "name" FROM "migrations"')).map((m) => String(m['name']));
      while ((await applied()).some((name) => name.startsWith('CertificationLifecycle'))) {
        await dataSource.undoLastMigration();
      }
      await sql(`INSERT INTO "roles" ("name") VALUES ('Makers')`);
      await sql(`INSERT INTO "members" ("name", "surname", "roleId") VALUES ('Ada', 'L', 1), ('Bo', 'K', 1)`);
      await sql(`INSERT INTO "machine_types" ("name") VALUES ('Laser'), ('Lathe')`);
      await sql(
        `INSERT INTO "machines" ("topicId", "name", "typeId") VALUES ('1', 'LASER1', 1), ('2', 'LASER2', 1), ('3', 'LATHE', 2)`,
      );
      // Ada may use LASER1; she last used the other laser (same type), and later the lathe.
      await sql(`INSERT INTO "authorizations" ("memberId", "machineId") VALUES (1, 1), (2, 3)`);
      const session = (member: number, machine: number, at: number) =>
        sql(
          `INSERT INTO "usage_sessions" ("memberId", "machineId", "startedAt", "lastSeenAt", "endedAt") VALUES (${member}, ${machine}, ${at}, ${at}, ${at + 60_000})`,
        );
      await session(1, 1, 1_000_000);
      await session(1, 2, 5_000_000);
      await session(1, 3, 9_000_000);
      await dataSource.runMigrations({ transaction: 'each' });
      const rows = await sql(
        'SELECT "memberId", "status", "grantedAt", "lastUsedAt" FROM "authorizations" ORDER BY "memberId"',
      );
      expect(
        rows.map((r) => [
          Number(r['memberId']),
          r['status'],
          r['lastUsedAt'] === null ? null : Number(r['lastUsedAt']),
        ]),
      ).toEqual([
        [1, 'active', 5_000_000],
        [2, 'active', null],
      ]);
      expect(rows.every((r) => Math.abs(Number(r['grantedAt']) - Date.now()) < 600_000)).toBe(true);
      const history = await sql('SELECT "change", "toStatus" FROM "authorization_changes" ORDER BY "id"');
      expect(history).toEqual([
        { change: 'granted', toStatus: 'active' },
        { change: 'granted', toStatus: 'active' },
      ]);
    } finally {
      await dataSource.destroy().catch(() => undefined);
      await scratch.drop();
    }
  });
});
