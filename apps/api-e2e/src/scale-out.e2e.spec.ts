import { randomBytes } from 'node:crypto';
import { SimulatedBoard, type QueryResult } from '@fabomatic/board-sim';
import type { AccessEventMessage, SystemInfo } from '@fabomatic/contracts';
import { io, type Socket } from 'socket.io-client';
import { labSeed, seedDatabase, uniqueClientId } from './support/lab';
import { createScratchPostgres, type ScratchPostgres } from './support/postgres';
import {
  type AppChild,
  freePort,
  removeTempDirs,
  spawnApp,
  stopAll,
  tempDir,
  waitFor,
} from './support/processes';

/** The machine's Mosquitto: anonymous on loopback; each run gets its own topic root and group. */
const MOSQUITTO_URL = process.env['TEST_MQTT_URL'] ?? 'mqtt://127.0.0.1:1883';
const ADMIN = { email: 'scale-admin@example.org', password: 'First-Scale-42', next: 'Second-Scale-43' };
const WRITE = { 'x-requested-with': 'fabomatic', 'content-type': 'application/json' };
const BOARDS = 20;
/** Boards that send one message only (presence sharing). */
const QUIET_BOARDS = 10;
const UNKNOWN_CARD = 'deadbeef';

/** Logs the bootstrap admin in on `app` and changes its password: a cookie that may open a socket. */
async function signIn(app: AppChild): Promise<string> {
  const first = await fetch(`${app.httpUrl}/api/auth/login`, {
    method: 'POST',
    headers: WRITE,
    body: JSON.stringify({ email: ADMIN.email, password: ADMIN.password }),
  });
  expect(first.status).toBe(200);
  const cookie = first.headers.getSetCookie()[0]?.split(';')[0] ?? '';
  const changed = await fetch(`${app.httpUrl}/api/auth/password`, {
    method: 'POST',
    headers: { ...WRITE, cookie },
    body: JSON.stringify({ currentPassword: ADMIN.password, newPassword: ADMIN.next }),
  });
  expect(changed.status).toBe(200);
  return cookie;
}

function openSocket(app: AppChild, cookie: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(app.httpUrl, {
      path: '/api/live',
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: { cookie },
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** Board messages each instance handled, by outcome, from its /metrics. */
async function handled(app: AppChild): Promise<Record<string, number>> {
  const text = await (await fetch(`${app.httpUrl}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const match of text.matchAll(/^fabomatic_board_messages_total\{([^}]*)\} (\d+)$/gm)) {
    const outcome = /outcome="([^"]+)"/.exec(match[1] ?? '')?.[1] ?? '?';
    out[outcome] = (out[outcome] ?? 0) + Number(match[2]);
  }
  return out;
}

describe('two instances on one PostgreSQL database and one Mosquitto (MQTT_SHARED_GROUP)', () => {
  const { seed, machines } = labSeed(BOARDS);
  const boards: SimulatedBoard[] = [];
  const sockets: Socket[] = [];
  let database: ScratchPostgres | undefined;
  let a: AppChild | undefined;
  let b: AppChild | undefined;

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await Promise.all(boards.map((board) => board.close()));
    await Promise.all([a?.stop('SIGTERM'), b?.stop('SIGTERM')]);
    await stopAll();
    await database?.drop();
    removeTempDirs();
  });

  it('answers every board query exactly once, shares the work and pushes every tap to both dashboards', async () => {
    database = await createScratchPostgres();
    await seedDatabase(tempDir(), database.url, seed);
    const run = randomBytes(4).toString('hex');
    const topicRoot = `scale${run}/machine`;
    const env = {
      DATABASE_URL: database.url,
      MQTT_URL: MOSQUITTO_URL,
      MQTT_TOPIC_ROOT: topicRoot,
      MQTT_SHARED_GROUP: `fabomatic${run}`,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      STATS_INTERVAL_SECONDS: '0',
    };
    // One after the other: the first creates the bootstrap admin, the second finds it.
    a = spawnApp(await freePort(), env);
    await a.waitReady(20000);
    b = spawnApp(await freePort(), env);
    await b.waitReady(20000);

    // A dashboard on each instance, with the same session (it lives in the shared database).
    const cookie = await signIn(a);
    const onA: AccessEventMessage[] = [];
    const onB: AccessEventMessage[] = [];
    for (const [app, seen] of [
      [a, onA],
      [b, onB],
    ] as const) {
      const socket = await openSocket(app, cookie);
      sockets.push(socket);
      socket.on('access-event', (event: AccessEventMessage) => seen.push(event));
    }

    for (const machine of machines) {
      const board = new SimulatedBoard({
        url: MOSQUITTO_URL,
        topicRoot,
        topicId: machine.topicId,
        clientId: uniqueClientId('scale'),
      });
      await board.connect();
      boards.push(board);
    }

    // Each board runs a whole use of its machine; the boards run at the same time.
    const started = Date.now();
    const results = await Promise.all(
      boards.map(async (board, i) => {
        const card = machines[i]?.card ?? '';
        const out: [string, QueryResult][] = [];
        out.push(['checkmachine', await board.checkmachine()]);
        out.push(['checkuser', await board.checkuser(card)]);
        out.push(['checkuser-unknown', await board.checkuser(UNKNOWN_CARD)]);
        out.push(['startuse', await board.startuse(card)]);
        out.push(['inuse', await board.inuse(card, 30)]);
        out.push(['stopuse', await board.stopuse(card, 60)]);
        return out;
      }),
    );
    const elapsed = Date.now() - started;
    const queries = results.flat();
    expect(queries).toHaveLength(BOARDS * 6);
    expect(
      queries.filter(([, r]) => r.status !== 'reply').map(([name, r]) => `${name}: ${r.status}`),
    ).toEqual([]);
    for (const [i, out] of results.entries()) {
      const reply = (name: string) => out.find(([n]) => n === name)?.[1];
      expect(reply('checkuser')).toMatchObject({ reply: { request_ok: true, is_valid: true } });
      expect(reply('checkuser-unknown')).toMatchObject({ reply: { request_ok: true, is_valid: false } });
      expect(reply('startuse')).toMatchObject({ reply: { request_ok: true } });
      expect(reply('stopuse')).toMatchObject({ reply: { request_ok: true } });
      expect(machines[i]).toBeDefined();
    }

    // No second answer to any query arrives later.
    await new Promise((r) => setTimeout(r, 1000));
    expect(boards.flatMap((board) => board.unexpectedReplies)).toEqual([]);

    // Each message was handled by exactly one instance, and both instances worked.
    const [metricsA, metricsB] = [await handled(a), await handled(b)];
    const answeredA = metricsA['answered'] ?? 0;
    const answeredB = metricsB['answered'] ?? 0;
    expect(answeredA + answeredB).toBe(BOARDS * 6);
    expect(answeredA).toBeGreaterThan(0);
    expect(answeredB).toBeGreaterThan(0);

    // Sessions: one per machine, by its member, closed by the board.
    const sessions = await database.query<{ topicId: string; cardUid: string; endReason: string | null }>(
      `SELECT m."topicId", p."cardUid", s."endReason" FROM usage_sessions s
         JOIN machines m ON m.id = s."machineId" JOIN members p ON p.id = s."memberId"
         ORDER BY m."topicId"`,
    );
    expect(sessions.map((s) => [s.topicId, s.cardUid, s.endReason]).sort()).toEqual(
      machines.map((m) => [m.topicId, m.card, 'stopuse']).sort(),
    );

    // Dashboards: both see every card decision once, whichever instance took it.
    const checks = await database.query<{ id: number }>(
      `SELECT id FROM access_events WHERE action = 'checkuser' ORDER BY id`,
    );
    expect(checks).toHaveLength(BOARDS * 2);
    const ids = checks.map((row) => Number(row.id));
    const seenIds = (events: AccessEventMessage[]) =>
      events
        .filter((e) => e.action === 'checkuser')
        .map((e) => e.id)
        .sort((x, y) => x - y);
    expect(
      await waitFor(() => seenIds(onA).length >= ids.length && seenIds(onB).length >= ids.length, 3000),
    ).toBe(true);
    expect(seenIds(onA)).toEqual(ids);
    expect(seenIds(onB)).toEqual(ids);

    // Presence is shared: boards that sent a single message, so that each instance heard only some
    // of them itself, are online on both instances within a digest or two.
    for (let i = 1; i <= QUIET_BOARDS; i++) {
      const quiet = new SimulatedBoard({
        url: MOSQUITTO_URL,
        topicRoot,
        topicId: String(900 + i),
        clientId: uniqueClientId('quiet'),
      });
      await quiet.connect();
      boards.push(quiet);
      expect((await quiet.checkmachine()).status).toBe('reply');
    }
    const online = async (app: AppChild) => {
      const response = await fetch(`${app.httpUrl}/api/system`, { headers: { cookie } });
      return ((await response.json()) as SystemInfo).boards.online;
    };
    const everywhere = BOARDS + QUIET_BOARDS;
    const [appA, appB] = [a, b];
    const shared = async () => (await online(appA)) === everywhere && (await online(appB)) === everywhere;
    expect(await waitFor(shared, 8000, 200)).toBe(true);

    console.log(
      `scale-out: ${queries.length} queries from ${BOARDS} boards in ${elapsed} ms; answered by A ${answeredA}, by B ${answeredB}; ` +
        `dashboard events on A ${onA.length}, on B ${onB.length}`,
    );
    expect(a.notable.lines).toEqual([]);
    expect(b.notable.lines).toEqual([]);
  });
});
