import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SimulatedBoard } from '@fabomatic/board-sim';
import { BOARD_ACCOUNT, embeddedBrokerEnv, labSeed, seedDatabase, uniqueClientId } from './support/lab';
import {
  type AppChild,
  freePort,
  removeTempDirs,
  spawnApp,
  stopAll,
  tempDir,
  waitFor,
} from './support/processes';

const ADMIN = { email: 'restore-admin@example.org', password: 'First-Restore-42', next: 'Second-Restore-43' };
const WRITE = { 'x-requested-with': 'fabomatic' };

async function signIn(app: AppChild): Promise<string> {
  const login = async (password: string) =>
    fetch(`${app.httpUrl}/api/auth/login`, {
      method: 'POST',
      headers: { ...WRITE, 'content-type': 'application/json' },
      body: JSON.stringify({ email: ADMIN.email, password }),
    });
  const first = await login(ADMIN.password);
  expect(first.status).toBe(200);
  const cookie = first.headers.getSetCookie()[0]?.split(';')[0] ?? '';
  const changed = await fetch(`${app.httpUrl}/api/auth/password`, {
    method: 'POST',
    headers: { ...WRITE, cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ currentPassword: ADMIN.password, newPassword: ADMIN.next }),
  });
  expect(changed.status).toBe(200);
  return cookie;
}

describe('database backup and restore of the running app', () => {
  const { seed, machines } = labSeed(2);
  let app: AppChild | undefined;
  let board: SimulatedBoard | undefined;

  afterAll(async () => {
    await board?.close();
    await app?.stop('SIGTERM');
    await stopAll();
    removeTempDirs();
  });

  it('restores a downloaded backup by restarting in-process, keeping the replaced database', async () => {
    const dir = tempDir();
    const databaseFile = join(dir, 'fabomatic.db');
    const databaseUrl = `sqlite:${databaseFile}`;
    await seedDatabase(dir, databaseUrl, seed);
    const [httpPort, brokerPort] = [await freePort(), await freePort()];
    app = spawnApp(httpPort, {
      DATABASE_URL: databaseUrl,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      ...embeddedBrokerEnv(brokerPort),
    });
    await app.waitReady();
    const cookie = await signIn(app);

    const backup = Buffer.from(
      await (await fetch(`${app.httpUrl}/api/system/backup`, { headers: { cookie } })).arrayBuffer(),
    );

    // After the backup: a board records a session, which the restore will roll back.
    const machine = machines[0];
    board = new SimulatedBoard({
      url: `mqtt://127.0.0.1:${brokerPort}`,
      topicId: machine.topicId,
      clientId: uniqueClientId('restore'),
      ...BOARD_ACCOUNT,
    });
    await board.connect();
    expect(await board.stopuse(machine.card, 600)).toMatchObject({ status: 'reply' });
    // Portal reads run in reader threads on the file: they must follow the app onto the restored one.
    const sessionsListed = async (session: string) => {
      const listed = await fetch(`${app?.httpUrl}/api/usage`, { headers: { cookie: session } });
      expect(listed.status).toBe(200);
      return ((await listed.json()) as { items: unknown[] }).items.length;
    };
    expect(await sessionsListed(cookie)).toBe(1);

    const restored = await fetch(`${app.httpUrl}/api/system/restore`, {
      method: 'POST',
      headers: { ...WRITE, cookie, 'content-type': 'application/octet-stream' },
      body: backup,
    });
    expect(restored.status).toBe(202);
    expect(await restored.json()).toMatchObject({ machines: 2, sessions: 0, restarting: true });

    // The same process restarts on the restored file; boards are answered again.
    const pid = app.pid;
    // The restart begins once the answer is sent; on a loaded machine that can take seconds.
    expect(await waitFor(async () => (await app?.readyStatus()) !== 200, 15000)).toBe(true);
    await app.waitReady(15000);
    expect(app.pid).toBe(pid);
    expect(
      await waitFor(
        async () => (await board?.checkmachine({ timeoutMs: 500 }))?.status === 'reply',
        15000,
        200,
      ),
    ).toBe(true);

    const live = new Database(databaseFile, { readonly: true });
    const sessions = (live.prepare('SELECT COUNT(*) AS n FROM usage_sessions').get() as { n: number }).n;
    live.close();
    expect(sessions).toBe(0);
    const kept = readdirSync(dir).filter((f) => f.startsWith('fabomatic.db.before-restore-'));
    expect(kept).toHaveLength(1);
    const previous = new Database(join(dir, kept[0] ?? ''), { readonly: true });
    expect((previous.prepare('SELECT COUNT(*) AS n FROM usage_sessions').get() as { n: number }).n).toBe(1);
    previous.close();
    expect(existsSync(`${databaseFile}.restore-pending`)).toBe(false);

    // The backup's portal sessions and reset links do not come back: everyone signs in again.
    const me = await fetch(`${app.httpUrl}/api/auth/me`, { headers: { cookie } });
    expect(me.status).toBe(401);
    const restoredDb = new Database(databaseFile, { readonly: true });
    const count = (table: string) =>
      (restoredDb.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect([count('portal_sessions'), count('password_reset_tokens')]).toEqual([0, 0]);
    restoredDb.close();

    const again = await fetch(`${app.httpUrl}/api/auth/login`, {
      method: 'POST',
      headers: { ...WRITE, 'content-type': 'application/json' },
      body: JSON.stringify({ email: ADMIN.email, password: ADMIN.next }),
    });
    expect(again.status).toBe(200);
    expect(await sessionsListed(again.headers.getSetCookie()[0]?.split(';')[0] ?? '')).toBe(0);
  });
});
