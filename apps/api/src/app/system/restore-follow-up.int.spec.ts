import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { erasureLedgerPath } from '../../core/database/erasure-ledger';
import { appliedRestoreNotePath, pendingRestorePath } from '../../core/database/restore';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { startTestApp, TEST_ADMIN, type TestApp } from '../../testing/test-app';
import { AuditEntry } from '../audit/audit-entry.entity';
import { Member } from '../members/member.entity';

describe('a restore, once the restored database runs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'restore-follow-up-'));
  const databaseFile = join(dir, 'fabomatic.db');
  let lab: TestApp | undefined;
  let stagedBackup = Buffer.alloc(0);

  afterAll(async () => {
    await lab?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('erases again the members erased after the backup, and is audited in the restored database', async () => {
    lab = await startTestApp({
      database: 'sqlite',
      broker: 'embedded',
      seed: LAB_SEED,
      env: { DATABASE_URL: `sqlite:${databaseFile}` },
    });
    const admin = await adminClient(lab);
    stagedBackup = Buffer.from(
      await (
        await fetch(`${lab.running.httpUrl}/api/system/backup`, { headers: { cookie: admin.cookie } })
      ).arrayBuffer(),
    );
    // After the backup, Mario asks to be forgotten.
    const mario = await lab.dataSource.getRepository(Member).findOneByOrFail({ cardUid: CARDS.mario });
    expect((await admin.delete(`/api/members/${mario.id}`)).status).toBe(200);
    expect((await admin.post(`/api/members/${mario.id}/erase`)).status).toBeLessThan(300);
    const ledger = readFileSync(erasureLedgerPath(databaseFile), 'utf8');
    expect(
      ledger
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual([
      { memberId: mario.id, memberCreatedAt: mario.createdAt.toISOString(), erasedAt: expect.any(String) },
    ]);
    expect(ledger).not.toMatch(/Mario|Rossi|11223344/);

    const staged = await fetch(`${lab.running.httpUrl}/api/system/restore`, {
      method: 'POST',
      headers: {
        cookie: admin.cookie,
        'x-requested-with': 'fabomatic',
        'content-type': 'application/octet-stream',
      },
      body: stagedBackup,
    });
    expect(staged.status).toBe(202);
    expect(existsSync(pendingRestorePath(databaseFile))).toBe(true);

    // The next start applies the restore (in production the app restarts itself in-process).
    await lab.stop();
    lab = await startTestApp({
      database: 'sqlite',
      broker: 'embedded',
      env: { DATABASE_URL: `sqlite:${databaseFile}` },
    });
    const restored = await lab.dataSource.getRepository(Member).findOneByOrFail({ id: mario.id });
    expect(restored).toMatchObject({ name: 'Erased', surname: '', email: null, cardUid: null });
    expect(restored.deletedAt).not.toBeNull();
    const audit = lab.dataSource.getRepository(AuditEntry);
    expect(await audit.findOneBy({ action: 'erase', entityId: String(mario.id) })).toMatchObject({
      actorLabel: 'system',
    });
    expect(await audit.findOneByOrFail({ action: 'restore-database' })).toMatchObject({
      actorLabel: TEST_ADMIN.email,
      after: { machines: LAB_SEED.machines?.length, erasuresReapplied: 1 },
    });
    expect(existsSync(appliedRestoreNotePath(databaseFile))).toBe(false);
    // The replaced database, kept beside it, has no restore entry: it was not restored.
    const kept = readdirSync(dir).find((f) => f.startsWith('fabomatic.db.before-restore-')) ?? '';
    const previous = new Database(join(dir, kept), { readonly: true });
    const entries = previous
      .prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'restore-database'")
      .get();
    previous.close();
    expect(entries).toEqual({ n: 0 });
  });

  it('erases them again when the operator put the backup in place offline, too', async () => {
    await lab?.stop();
    lab = undefined;
    // The app stopped, the old backup copied over the database file.
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${databaseFile}${suffix}`, { force: true });
    writeFileSync(databaseFile, stagedBackup);
    lab = await startTestApp({
      database: 'sqlite',
      broker: 'embedded',
      env: { DATABASE_URL: `sqlite:${databaseFile}` },
    });
    const members = lab.dataSource.getRepository(Member);
    expect(await members.findOneBy({ cardUid: CARDS.mario })).toBeNull();
    expect(await members.countBy({ name: 'Erased' })).toBe(1);
  });
});
