import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { AccessEvent } from '../app/access-events/access-event.entity';
import { AuditEntry } from '../app/audit/audit-entry.entity';
import { verifyPassword } from '../app/auth/password-hashing';
import { PortalSession } from '../app/auth/portal-session.entity';
import { lastFullWeek } from '../app/jobs/lab-week';
import { Machine } from '../app/machines/machine.entity';
import { Member } from '../app/members/member.entity';
import { Role } from '../app/roles/role.entity';
import { UsageSession } from '../app/usage/usage-session.entity';
import { createDataSource } from '../core/database/data-source';
import { mailParts } from '../testing/mail-parts';
import { CARDS, LAB_SEED } from '../testing/lab-seed';
import { SmtpInbox } from '../testing/smtp-inbox';
import { loadConfig } from '../core/config/config.schema';
import { createAdmin, formatOneTimePassword, resetPassword } from './admin-commands';
import { backupDatabase } from './backup-command';
import { formatPurge, formatWeeklySummary, purgeNow, weeklySummaryNow } from './jobs-commands';
import { runCli } from './main';
import { seedFromFile } from './seed';

const DAY = 86_400_000;

describe('operator commands: purge, weekly-summary, admin, backup', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fabomatic-cli-'));
  const url = `sqlite:${join(dir, 'lab.db')}`;
  const env = { DATABASE_URL: url, LOG_LEVEL: 'error', LAB_TIME_ZONE: 'Europe/Rome' };
  const config = (extra: Record<string, string> = {}) => loadConfig({ ...env, ...extra });
  let inbox: SmtpInbox;

  /** What `runCli` printed (usage errors are answered before any command module is loaded). */
  async function cliErrors(...args: string[]): Promise<{ code: number; printed: string }> {
    const printed: string[] = [];
    const error = jest
      .spyOn(console, 'error')
      .mockImplementation((...line: unknown[]) => void printed.push(line.join(' ')));
    try {
      return { code: await runCli(args), printed: printed.join('\n') };
    } finally {
      error.mockRestore();
    }
  }

  async function withDb<T>(work: (db: DataSource) => Promise<T>): Promise<T> {
    const db = createDataSource({ DATABASE_URL: url, SQLITE_SYNCHRONOUS: 'NORMAL' });
    await db.initialize();
    try {
      return await work(db);
    } finally {
      await db.destroy();
    }
  }

  beforeAll(async () => {
    inbox = await SmtpInbox.start();
    const seedFile = join(dir, 'lab.seed.json');
    writeFileSync(seedFile, JSON.stringify(LAB_SEED));
    await seedFromFile(config(), seedFile);
  });
  afterAll(async () => {
    await inbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('admin create prints a one-time password to change at first login, and refuses an existing email', async () => {
    const created = await createAdmin(config(), 'Boss@Example.org', 'Bruna');
    const printed = formatOneTimePassword(created, true);
    expect(printed).toContain(`created portal admin boss@example.org (member #${created.memberId})`);
    expect(printed).toContain(`one-time password: ${created.password}`);
    const password = created.password;
    expect(password.length).toBeGreaterThanOrEqual(16);
    await withDb(async (db) => {
      const boss = await db.getRepository(Member).findOneByOrFail({ email: 'boss@example.org' });
      expect(boss).toMatchObject({ name: 'Bruna', mustChangePassword: true, disabled: false, cardUid: null });
      expect((await verifyPassword(password, boss.passwordHash)).valid).toBe(true);
      expect((await db.getRepository(Role).findOneByOrFail({ id: boss.roleId })).portalAccess).toBe('admin');
      const audit = await db.getRepository(AuditEntry).findOneByOrFail({ entityId: String(boss.id) });
      expect(audit).toMatchObject({ action: 'create', actorLabel: 'cli' });
      expect(JSON.stringify(audit.after)).not.toContain(boss.passwordHash ?? '-');
    });

    await expect(createAdmin(config(), 'boss@example.org')).rejects.toThrow(
      'a member with the email boss@example.org already exists',
    );
    await expect(createAdmin(config(), 'not-an-email')).rejects.toThrow('is not an email address');
    expect(await cliErrors('admin', 'promote', 'boss@example.org')).toMatchObject({
      code: 2,
      printed: expect.stringContaining('admin create <email> [--name N] | admin reset-password <email>'),
    });
  });

  it('admin reset-password sets a new one-time password and ends the portal sessions', async () => {
    const before = await withDb(async (db) => {
      const boss = await db.getRepository(Member).findOneByOrFail({ email: 'boss@example.org' });
      await db.getRepository(PortalSession).save({
        tokenHash: 'x'.repeat(64),
        memberId: boss.id,
        createdAt: new Date(),
        lastSeenAt: new Date(),
        expiresAt: new Date(Date.now() + DAY),
      });
      return boss.passwordHash;
    });
    const reset = await resetPassword(config(), 'BOSS@example.org');
    expect(formatOneTimePassword(reset, false)).toContain('1 portal session(s) ended');
    const password = reset.password;
    await withDb(async (db) => {
      const boss = await db.getRepository(Member).findOneByOrFail({ email: 'boss@example.org' });
      expect(boss.passwordHash).not.toBe(before);
      expect(boss.mustChangePassword).toBe(true);
      expect((await verifyPassword(password, boss.passwordHash)).valid).toBe(true);
      expect(await db.getRepository(PortalSession).countBy({ memberId: boss.id })).toBe(0);
    });
    await expect(resetPassword(config(), 'nobody@example.org')).rejects.toThrow(
      'no member has the email nobody@example.org',
    );
    await withDb((db) =>
      db.getRepository(Member).update({ cardUid: CARDS.mario }, { email: 'mario@example.org' }),
    );
    await expect(resetPassword(config(), 'mario@example.org')).rejects.toThrow(
      'cannot sign in to the portal: their role "Fab Users" has no portal access',
    );
  });

  it('weekly-summary: a dry run lists recipients and subjects; without SMTP it refuses; with SMTP it sends', async () => {
    const week = lastFullWeek(Date.now(), 'Europe/Rome');
    await withDb(async (db) => {
      await db.getRepository(Member).update({ email: 'admin@example.org' }, { receiveWeeklySummary: true });
      await db
        .getRepository(Member)
        .update({ email: 'staff@example.org' }, { receiveWeeklySummary: true, language: 'it' });
      const lucia = await db.getRepository(Member).findOneByOrFail({ cardUid: CARDS.lucia });
      const prusa = await db.getRepository(Machine).findOneByOrFail({ topicId: '1' });
      await db.getRepository(UsageSession).save({
        memberId: lucia.id,
        machineId: prusa.id,
        startedAt: new Date(week.from + DAY),
        lastSeenAt: new Date(week.from + DAY + 5_400_000),
        endedAt: new Date(week.from + DAY + 5_400_000),
        endReason: 'stopuse',
      });
    });
    const report = formatWeeklySummary(await weeklySummaryNow(config(), true), true);
    expect(report).toContain('2 recipient(s) (dry run: nothing sent)');
    expect(report).toMatch(
      /admin@example\.org {2}\[en, with card UIDs\] {2}FabOMatic: weekly summary from \d{4}-\d\d-\d\d to/,
    );
    expect(report).toMatch(/staff@example\.org {2}\[it\] {2}FabOMatic: riepilogo settimanale dal/);
    expect(inbox.messages).toHaveLength(0);

    await expect(weeklySummaryNow(config(), false)).rejects.toThrow('SMTP_URL is not configured');

    const sent = await weeklySummaryNow(config({ SMTP_URL: inbox.url }), false);
    expect(formatWeeklySummary(sent, false)).toContain('2 sent, 0 failed');
    await inbox.waitFor(2);
    const admin = inbox.messages.map(mailParts).find((m) => m.to.includes('admin@example.org'));
    expect(admin?.text).toContain('Prusa MK4: 1.5 h, 1 session');
  });

  it('purge runs the GDPR purge now and prints the counts', async () => {
    await withDb(async (db) => {
      const mario = await db.getRepository(Member).findOneByOrFail({ cardUid: CARDS.mario });
      const prusa = await db.getRepository(Machine).findOneByOrFail({ topicId: '1' });
      const old = Date.now() - 400 * DAY;
      await db.getRepository(UsageSession).save({
        memberId: mario.id,
        machineId: prusa.id,
        startedAt: new Date(old),
        lastSeenAt: new Date(old + 60_000),
        endedAt: new Date(old + 60_000),
        endReason: 'stopuse',
      });
      await db.getRepository(AccessEvent).save({
        occurredAt: new Date(Date.now() - 40 * DAY),
        topicId: '1',
        machineId: prusa.id,
        cardUid: 'deadbeef',
        memberId: null,
        action: 'checkuser',
        reason: 'unknown-card',
        granted: false,
        level: null,
      });
    });
    const report = formatPurge(await purgeNow(config()), config());
    expect(report).toContain('1 usage session(s) older than 365 days re-assigned to Anonymous');
    expect(report).toContain('1 unknown-card scan(s) older than 30 days deleted');
    await withDb(async (db) => {
      const purge = await db.getRepository(AuditEntry).findOneByOrFail({ action: 'purge' });
      expect(purge).toMatchObject({ actorLabel: 'cli', entityType: 'system' });
    });
  });

  it('backup writes a consistent, self-contained SQLite snapshot; PostgreSQL is told to use pg_dump', async () => {
    const file = join(dir, 'backups', 'snapshot.db');
    rmSync(join(dir, 'backups'), { recursive: true, force: true });
    const written = await backupDatabase(config(), join(dir, 'snapshot.db'));
    expect(written.file).toBe(join(dir, 'snapshot.db'));
    expect(written.bytes).toBeGreaterThan(0);
    const copy = new Database(join(dir, 'snapshot.db'), { readonly: true });
    try {
      expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
      const row = copy.prepare('SELECT COUNT(*) AS n FROM "members"').get() as { n: number };
      const live = await withDb((db) => db.getRepository(Member).count());
      expect(row.n).toBe(live);
    } finally {
      copy.close();
    }
    await expect(backupDatabase(config(), file)).rejects.toThrow(); // its folder does not exist
    expect(await cliErrors('backup')).toMatchObject({
      code: 2,
      printed: expect.stringContaining('backup needs a file'),
    });
    await expect(
      backupDatabase(config({ DATABASE_URL: 'postgres://fab:secret@127.0.0.1:5432/fab' }), file),
    ).rejects.toThrow('back up PostgreSQL with pg_dump');
  });
});
