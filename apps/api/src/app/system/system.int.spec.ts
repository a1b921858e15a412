import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { type ClientRequest, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { SystemInfo } from '@fabomatic/contracts';
import { LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { startTestApp, type TestApp } from '../../testing/test-app';
import { sqlitePath } from '../../core/database/data-source';
import { pendingRestorePath } from '../../core/database/restore';

/** Starts a restore upload declaring `length` bytes and sends `sent` of them; the answer, if any, comes later. */
function startUpload(
  url: string,
  cookie: string,
  length: number,
  sent: number,
): { request: ClientRequest; answer: Promise<{ status: number; code?: string } | { error: string }> } {
  const request = httpRequest(`${url}/api/system/restore`, {
    method: 'POST',
    headers: {
      cookie,
      'x-requested-with': 'fabomatic',
      'content-type': 'application/octet-stream',
      'content-length': String(length),
    },
  });
  const answer = new Promise<{ status: number; code?: string } | { error: string }>((resolve) => {
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, code: (JSON.parse(text) as { code?: string }).code });
        request.destroy();
      });
    });
    request.on('error', (error) => resolve({ error: error.message }));
  });
  request.write(Buffer.alloc(sent));
  return { request, answer };
}

/** The legacy backend's databases (read-only fixtures beside the repository). */
const LEGACY_DB_DIR = join(__dirname, '../../testing/fixtures/legacy-db');

describe('system page', () => {
  let lab: TestApp;

  beforeAll(async () => {
    lab = await startTestApp({
      database: 'sqlite',
      broker: 'embedded',
      seed: LAB_SEED,
      env: { BOARD_MQTT_PASSWORD: 'board-secret', SMTP_URL: 'smtp://mailer:smtp-secret@127.0.0.1:2525' },
    });
  });
  afterAll(() => lab?.stop());

  it('shows versions, health and sizes, with every secret redacted', async () => {
    const admin = await adminClient(lab);
    const response = await admin.get<SystemInfo>('/api/system');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      node: process.version,
      database: { kind: 'sqlite' },
      broker: { embedded: true, connected: true },
    });
    expect(response.body.database.sizeBytes).toBeGreaterThan(10_000);
    expect(response.body.memory.rssBytes).toBeGreaterThan(0);
    const text = JSON.stringify(response.body);
    for (const secret of ['board-secret', 'smtp-secret', 'first-Boot-pass-42'])
      expect(text).not.toContain(secret);
    expect(response.body.config['SMTP_URL']).toBe('smtp://mailer:***@127.0.0.1:2525');
  });

  it('downloads a consistent copy of the live database', async () => {
    const admin = await adminClient(lab);
    const response = await fetch(`${lab.running.httpUrl}/api/system/backup`, {
      headers: { cookie: admin.cookie },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="?fabomatic-[0-9-]+\.db"?$/,
    );
    const dir = mkdtempSync(join(tmpdir(), 'backup-check-'));
    try {
      const file = join(dir, 'copy.db');
      writeFileSync(file, Buffer.from(await response.arrayBuffer()));
      const copy = new Database(file, { readonly: true });
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect((copy.prepare('SELECT COUNT(*) AS n FROM machines').get() as { n: number }).n).toBe(
        LAB_SEED.machines?.length,
      );
      copy.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to restore anything but a FabOMatic database, replacing nothing', async () => {
    const admin = await adminClient(lab);
    const upload = (body: Buffer) =>
      fetch(`${lab.running.httpUrl}/api/system/restore`, {
        method: 'POST',
        headers: {
          cookie: admin.cookie,
          'x-requested-with': 'fabomatic',
          'content-type': 'application/octet-stream',
        },
        body,
      }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { code?: string; message?: string },
      }));
    expect(await upload(Buffer.from('definitely not a database'))).toMatchObject({
      status: 400,
      body: { code: 'RESTORE_INVALID', message: 'not a SQLite database' },
    });
    const legacy = await upload(readFileSync(join(LEGACY_DB_DIR, 'database-0.4.0.db')));
    expect(legacy).toMatchObject({ status: 400, body: { code: 'RESTORE_INVALID' } });
    expect(legacy.body.message).toContain('import-legacy');
    expect(existsSync(pendingRestorePath(sqlitePath(lab.config.DATABASE_URL)))).toBe(false);

    const backup = await fetch(`${lab.running.httpUrl}/api/system/backup`, {
      headers: { cookie: admin.cookie },
    });
    const staged = await upload(Buffer.from(await backup.arrayBuffer()));
    expect(staged).toMatchObject({
      status: 202,
      body: { machines: LAB_SEED.machines?.length, restarting: false },
    });
    expect(existsSync(pendingRestorePath(sqlitePath(lab.config.DATABASE_URL)))).toBe(true);
    rmSync(pendingRestorePath(sqlitePath(lab.config.DATABASE_URL)));

    // A real backup with a trigger added (every board tap would make Mario an admin), a view, or a
    // row pointing at nothing: refused, nothing staged.
    const dir = mkdtempSync(join(tmpdir(), 'crafted-'));
    try {
      const genuine = Buffer.from(
        await (
          await fetch(`${lab.running.httpUrl}/api/system/backup`, { headers: { cookie: admin.cookie } })
        ).arrayBuffer(),
      );
      const crafted = (sql: string) => {
        const file = join(dir, `${Math.random()}.db`);
        writeFileSync(file, genuine);
        const db = new Database(file);
        db.pragma('foreign_keys = OFF');
        db.exec(sql);
        db.pragma('journal_mode = DELETE');
        db.close();
        return readFileSync(file);
      };
      const trigger = await upload(
        crafted(`CREATE TRIGGER promote AFTER INSERT ON access_events BEGIN
                   UPDATE members SET "roleId" = (SELECT id FROM roles WHERE "portalAccess" = 'admin') WHERE name = 'Mario';
                 END`),
      );
      expect(trigger).toMatchObject({ status: 400, body: { code: 'RESTORE_INVALID' } });
      expect(trigger.body.message).toContain('trigger promote');
      const view = await upload(crafted('CREATE VIEW everyone AS SELECT * FROM members'));
      expect(view.body.message).toContain('view everyone');
      const orphan = await upload(
        crafted(
          'UPDATE usage_sessions SET "machineId" = 999999 WHERE 1 = 1; INSERT INTO authorizations ("memberId", "machineId", "createdAt") VALUES (999999, 999999, 0)',
        ),
      );
      expect(orphan).toMatchObject({ status: 400, body: { code: 'RESTORE_INVALID' } });
      expect(orphan.body.message).toContain('pointing at nothing');
      // Anything our migrations do not make: an extra table, column or index, or one missing.
      const extraTable = await upload(crafted('CREATE TABLE stash (secret TEXT)'));
      expect(extraTable).toMatchObject({ status: 400, body: { code: 'RESTORE_SCHEMA_MISMATCH' } });
      expect(extraTable.body.message).toContain('unknown table stash');
      const extraColumn = await upload(crafted('ALTER TABLE members ADD COLUMN "isRoot" INTEGER DEFAULT 1'));
      expect(extraColumn.body).toMatchObject({ code: 'RESTORE_SCHEMA_MISMATCH' });
      expect(extraColumn.body.message).toContain('unknown column members.isRoot');
      const noIndex = await upload(crafted('DROP INDEX "IDX_interventions_performed_id"'));
      expect(noIndex.body.message).toContain('missing index IDX_interventions_performed_id');
      expect(existsSync(pendingRestorePath(sqlitePath(lab.config.DATABASE_URL)))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('streams a restore to disk after the session check: capped, one at a time, leaving no file', async () => {
    const admin = await adminClient(lab);
    const databaseFile = sqlitePath(lab.config.DATABASE_URL);
    const uploads = () =>
      readdirSync(dirname(databaseFile)).filter((f) => f.startsWith(`${basename(databaseFile)}.upload-`));

    // Over RESTORE_MAX_MB (200 MiB by default): refused from the declared length, nothing read.
    const huge = startUpload(lab.running.httpUrl, admin.cookie, 300 * 1024 * 1024, 1024);
    expect(await huge.answer).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE' });

    // One upload under way: a second is refused, and the first is streamed to a file.
    const first = startUpload(lab.running.httpUrl, admin.cookie, 8 * 1024 * 1024, 1024 * 1024);
    try {
      let second: { status: number; code?: string } | { error: string } = { error: 'not sent' };
      for (let i = 0; i < 50 && !('code' in second && second.code === 'RESTORE_IN_PROGRESS'); i++) {
        second = await startUpload(lab.running.httpUrl, admin.cookie, 16, 16).answer;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(second).toEqual({ status: 409, code: 'RESTORE_IN_PROGRESS' });
      for (let i = 0; i < 50 && uploads().length === 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(uploads()).toHaveLength(1);
    } finally {
      // The first one interrupted: its file is removed and restores are accepted again.
      first.request.destroy();
    }

    let next: { status: number; code?: string } | { error: string } = { error: 'not sent' };
    for (let i = 0; i < 50 && !('code' in next && next.code === 'RESTORE_INVALID'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const probe = startUpload(lab.running.httpUrl, admin.cookie, 16, 16);
      probe.request.end();
      next = await probe.answer;
    }
    expect(next).toEqual({ status: 400, code: 'RESTORE_INVALID' });
    expect(uploads()).toEqual([]);
    expect(existsSync(pendingRestorePath(databaseFile))).toBe(false);
  });

  it('shows recent logs to admins only', async () => {
    const admin = await adminClient(lab);
    const logs = await admin.get<{ message: string }[]>('/api/system/logs');
    expect(logs.status).toBe(200);
    expect(Array.isArray(logs.body)).toBe(true);
    expect(JSON.stringify(logs.body)).not.toContain('first-Boot-pass-42');
  });
});
