import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createDataSource, type DatabaseKind } from '../../core/database/data-source';
import { createScratchDatabase } from '../../core/database/scratch-database';
import { AuthorizationChangeEntry } from '../../app/authorizations/authorization-change.entity';
import { Authorization } from '../../app/authorizations/authorization.entity';
import { Machine } from '../../app/machines/machine.entity';
import { Member } from '../../app/members/member.entity';
import { createDefaultRoles, DEFAULT_ADMIN_ROLE } from '../../app/roles/default-roles';
import { Role } from '../../app/roles/role.entity';
import { UsageSession } from '../../app/usage/usage-session.entity';
import { verifyPassword } from '../../app/auth/password-hashing';
import { importLegacy, TargetNotEmptyError } from './legacy-import';
import { readLegacyDatabase } from './legacy-reader';

const LEGACY_DB_DIR = join(__dirname, '../../testing/fixtures/legacy-db');
const FILES = readdirSync(LEGACY_DB_DIR)
  .filter((f) => f.endsWith('.db'))
  .sort();

function legacyCount(file: string, table: string): number {
  const db = new Database(join(LEGACY_DB_DIR, file), { readonly: true });
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

async function withTarget<T>(
  kind: DatabaseKind,
  work: (ds: ReturnType<typeof createDataSource>) => Promise<T>,
): Promise<T> {
  const scratch = await createScratchDatabase(kind);
  const dataSource = createDataSource({ DATABASE_URL: scratch.url, SQLITE_SYNCHRONOUS: 'NORMAL' });
  try {
    await dataSource.initialize();
    await dataSource.runMigrations();
    return await work(dataSource);
  } finally {
    await dataSource.destroy().catch(() => undefined);
    await scratch.drop();
  }
}

describe('legacy FabOMatic import', () => {
  it('finds the fixture databases', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(8);
  });

  it.each(FILES)('imports %s completely, without touching it', async (file) => {
    const path = join(LEGACY_DB_DIR, file);
    const before = createHash('sha256').update(readFileSync(path)).digest('hex');
    const legacy = readLegacyDatabase(path);
    const report = await withTarget('sqlite', async (ds) => {
      const result = await importLegacy(ds, legacy, false);
      expect(await ds.getRepository(Member).count()).toBe(legacyCount(file, 'users'));
      expect(await ds.getRepository(Machine).count()).toBe(legacyCount(file, 'machines'));
      expect(await ds.getRepository(UsageSession).count()).toBe(legacyCount(file, 'uses'));
      // a sample: every machine keeps its legacy id as topic id, and its hour meter
      const db = new Database(path, { readonly: true });
      const first = db
        .prepare('SELECT machine_id, machine_name, machine_hours FROM machines ORDER BY machine_id LIMIT 1')
        .get() as {
        machine_id: number;
        machine_name: string;
        machine_hours: number;
      };
      db.close();
      expect(
        await ds.getRepository(Machine).findOneByOrFail({ topicId: String(first.machine_id) }),
      ).toMatchObject({
        name: first.machine_name,
        usageSeconds: Math.round(first.machine_hours * 3600),
      });
      return result;
    });
    expect(report.counts['members']).toEqual({
      source: legacyCount(file, 'users'),
      imported: legacyCount(file, 'users'),
    });
    expect(report.counts['interventions']?.imported).toBe(legacyCount(file, 'interventions'));
    expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(before);
  });

  it('keeps passwords (the legacy admin logs in with "admin"), durations and sessions on PostgreSQL too', async () => {
    const read = readLegacyDatabase(join(LEGACY_DB_DIR, 'database-0.1.8.db'));
    // The fixtures have no authorizations: one for the member and machine of the first use.
    const firstUse = read.uses[0];
    const legacy = {
      ...read,
      authorizations: firstUse ? [{ userId: firstUse.userId, machineId: firstUse.machineId }] : [],
    };
    await withTarget('postgres', async (ds) => {
      const report = await importLegacy(ds, legacy, false);
      expect(report.counts['usageSessions']).toEqual({ source: 21989, imported: 21989 });
      // The report totals hold the imported history: every closed session once, per week.
      const [totals] = await ds.query<{ sessions: string; closed: string }[]>(
        `SELECT (SELECT SUM("sessions") FROM "usage_machine_totals" WHERE "period" = 'w') AS "sessions",
                (SELECT COUNT(*) FROM "usage_sessions" WHERE "endedAt" IS NOT NULL) AS "closed"`,
      );
      expect(Number(totals?.sessions)).toBeGreaterThan(20_000);
      expect(Number(totals?.sessions)).toBe(Number(totals?.closed));
      const sessions = ds.getRepository(UsageSession);
      const legacyUse = legacy.uses[0];
      const imported = await sessions.findOneByOrFail({ startedAt: new Date(legacyUse?.start ?? 0) });
      expect(imported.endedAt?.getTime()).toBe(legacyUse?.end);
      expect(imported.endReason).toBe('import');
      // Invalid legacy cards ("1234") are reported, valid ones normalised.
      expect(report.warnings.some((w) => w.includes('"1234"'))).toBe(true);
      expect(await ds.getRepository(Member).findOneBy({ cardUid: '10000100' })).not.toBeNull();
      const roles = await ds.getRepository(Role).find();
      expect(roles.map((r) => r.name).sort()).toEqual(['admin', 'fab users', 'staff']);
      // Legacy authorizations have no dates: active, without expiry, history `imported`, their last
      // use taken from the imported sessions of the machine's type.
      const authorizations = await ds.getRepository(Authorization).find();
      expect(authorizations.length).toBe(1);
      expect(new Set(authorizations.map((a) => `${a.status} ${String(a.expiresAt)}`))).toEqual(
        new Set(['active null']),
      );
      expect(authorizations.some((a) => a.lastUsedAt !== null)).toBe(true);
      const changes = await ds.getRepository(AuthorizationChangeEntry).find();
      expect(changes.length).toBe(authorizations.length);
      expect(new Set(changes.map((c) => c.change))).toEqual(new Set(['imported']));
    });
    const old = readLegacyDatabase(join(LEGACY_DB_DIR, 'database-0.0.18.db'));
    await withTarget('sqlite', async (ds) => {
      await importLegacy(ds, old, false);
      const admin = await ds.getRepository(Member).findOneByOrFail({ email: 'admin@fablag.org' });
      expect(await verifyPassword('admin', admin.passwordHash)).toEqual({ valid: true, needsRehash: true });
    });
  });

  it('into a database started once: the default roles nobody has go, the bootstrap admin stays', async () => {
    const legacy = readLegacyDatabase(join(LEGACY_DB_DIR, 'database-0.1.8.db'));
    await withTarget('sqlite', async (ds) => {
      // What the first start of a fresh install leaves: the default roles and the bootstrap admin.
      await ds.transaction(async (em) => {
        expect(await createDefaultRoles(em)).toBe(true);
        const admins = await em.findOneByOrFail(Role, { name: DEFAULT_ADMIN_ROLE });
        await em.save(
          em.create(Member, {
            name: 'Admin',
            surname: '',
            email: 'boss@example.org',
            cardUid: null,
            roleId: admins.id,
            mustChangePassword: true,
            passwordHash: 'scrypt$unused',
          }),
        );
      });
      const report = await importLegacy(ds, legacy, false);
      expect(report.warnings).toContain(
        'removed the roles a first start created, which no member had: Members, Maintainers, Staff (the lab keeps its legacy roles)',
      );
      const roles = await ds.getRepository(Role).find();
      expect(roles.map((r) => r.name).sort()).toEqual(['Admins', 'admin', 'fab users', 'staff']);
      // And a database holding roles is never a fresh install again.
      expect(await ds.transaction((em) => createDefaultRoles(em))).toBe(false);
    });
  });

  it('writes nothing on a dry run, and refuses a target that holds data', async () => {
    const legacy = readLegacyDatabase(join(LEGACY_DB_DIR, 'database-0.4.0.db'));
    await withTarget('sqlite', async (ds) => {
      const dry = await importLegacy(ds, legacy, true);
      expect(dry.dryRun).toBe(true);
      expect(dry.counts['machines']?.imported).toBe(11);
      expect(await ds.getRepository(Machine).count()).toBe(0);
      await importLegacy(ds, legacy, false);
      await expect(importLegacy(ds, legacy, false)).rejects.toBeInstanceOf(TargetNotEmptyError);
      expect(await ds.getRepository(Machine).count()).toBe(11);
    });
  });
});
