import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { connect as connectMqtt, type MqttClient } from 'mqtt';
import { io, type Socket as LiveSocket } from 'socket.io-client';
import {
  CSRF_HEADER,
  CSRF_HEADER_VALUE,
  SESSION_COOKIE,
  type AccessEventDto,
  type FleetBoardDto,
  type IssuedBoardAccountDto,
  type MachineDto,
  type MemberDto,
  type Page,
} from '@fabomatic/contracts';
import { FIRMWARE_PAYLOADS } from '@fabomatic/board-protocol';
import { SimulatedBoard, type UnexpectedReply } from '@fabomatic/board-sim';
import {
  BOARD_ACCOUNT,
  embeddedBrokerEnv,
  labSeed,
  type LabMachine,
  seedDatabase,
  uniqueClientId,
  type Seed,
} from './support/lab';
import {
  type AppChild,
  freePort,
  removeTempDirs,
  spawnApp,
  stopAll,
  tempDir,
  waitFor,
} from './support/processes';

interface Account {
  readonly username: string;
  readonly password: string;
}

const ADMIN = { email: 'attacks-admin@example.org', password: 'Attacks-Admin-2026', card: 'e2ea0001' };
const VIEWER = { email: 'attacks-viewer@example.org', password: 'Attacks-Viewer-2026' };
/** A member authorized on machines 1 and 3 whose card only forgers use: it must never be granted. */
const MALLORY_CARD = 'e2ef0001';
/** A card nobody has. */
const UNKNOWN_CARD = 'e2edead1';
/** The portal's socket.io path (apps/admin/src/app/core/live.ts). */
const LIVE_PATH = '/api/live';
const WRITE = { [CSRF_HEADER]: CSRF_HEADER_VALUE };

/**
 * Issue 11's attack suite, the attacks that need several boards or a portal session, against the
 * built app as installed: SQLite, the embedded broker, the shared board account (pinning), and
 * per-board accounts issued by an admin through the API. One app for the whole file; the restore,
 * which could restart it, comes last.
 *
 * Before issue 11 every test here fails: the backend answered any query on `machine/<id>` whoever
 * published it, the board account could subscribe to every `/reply` and `/request`, aedes let a
 * CONNECT take over a connected client id, there were no per-board accounts (their API answers
 * 404), a restore took any SQLite file with the right tables, live sockets stayed open after sign-out
 * until the page closed, card UIDs were shown in full at every portal level, and CSV cells were
 * written as they came.
 */
describe('attacks on the built app (embedded broker, portal)', () => {
  const { seed: lab, machines } = labSeed(4);
  const [m1, m2, m3, m4] = machines as [LabMachine, LabMachine, LabMachine, LabMachine];
  const seed: Seed = {
    ...lab,
    roles: [
      ...lab.roles,
      { name: 'Admins', portalAccess: 'admin' },
      { name: 'Viewers', portalAccess: 'read-only' },
    ],
    members: [
      ...lab.members,
      { name: 'Mallory', surname: 'Forger', role: 'Users', card: MALLORY_CARD },
      { name: 'Ada', surname: 'Admin', role: 'Admins', ...ADMIN },
      { name: 'Vera', surname: 'Viewer', role: 'Viewers', ...VIEWER },
    ],
    authorizations: [
      ...lab.authorizations,
      { member: MALLORY_CARD, machine: m1.topicId },
      { member: MALLORY_CARD, machine: m3.topicId },
    ],
  };

  let app: AppChild;
  let brokerUrl: string;
  let databaseFile: string;
  let adminCookie: string;
  const opened: { close(): Promise<unknown> }[] = [];

  beforeAll(async () => {
    const dir = tempDir();
    databaseFile = join(dir, 'fabomatic.db');
    const databaseUrl = `sqlite:${databaseFile}`;
    await seedDatabase(dir, databaseUrl, seed);
    const [httpPort, brokerPort] = [await freePort(), await freePort()];
    brokerUrl = `mqtt://127.0.0.1:${brokerPort}`;
    app = spawnApp(httpPort, {
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'error',
      ...embeddedBrokerEnv(brokerPort),
    });
    await app.waitReady();
    adminCookie = await signIn(ADMIN);
  });

  afterAll(async () => {
    await Promise.all(opened.map((o) => o.close().catch(() => undefined)));
    await app?.stop('SIGTERM');
    await stopAll();
    removeTempDirs();
  });

  async function signIn(account: { email: string; password: string }): Promise<string> {
    const response = await fetch(`${app.httpUrl}/api/auth/login`, {
      method: 'POST',
      headers: { ...WRITE, 'content-type': 'application/json' },
      body: JSON.stringify({ email: account.email, password: account.password }),
    });
    expect(response.status).toBe(200);
    const cookie = response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0] ?? '')
      .find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    if (!cookie) throw new Error('no session cookie');
    return cookie;
  }

  async function api<T>(cookie: string, method: string, path: string): Promise<{ status: number; body: T }> {
    const response = await fetch(
      `${app.httpUrl}${path}`,
      method === 'GET'
        ? { headers: { cookie } }
        : { method, headers: { ...WRITE, cookie, 'content-type': 'application/json' }, body: '{}' },
    );
    const text = await response.text();
    const json = response.headers.get('content-type')?.includes('json') === true;
    return { status: response.status, body: (json ? JSON.parse(text) : text) as T };
  }

  async function board(topicId: string, account: Account, clientId = uniqueClientId(`board${topicId}`)) {
    const b = new SimulatedBoard({ url: brokerUrl, topicId, clientId, ...account });
    await b.connect();
    opened.push(b);
    return b;
  }

  /** A bare MQTT client (the firmware's protocol), never reconnecting; rejects when refused. */
  function mqttClient(account: Account, clientId: string): Promise<MqttClient> {
    return new Promise((resolve, reject) => {
      const client = connectMqtt(brokerUrl, {
        protocolVersion: 4,
        clientId,
        keepalive: 10,
        clean: true,
        reconnectPeriod: 0,
        connectTimeout: 3000,
        ...account,
      });
      client.once('connect', () => {
        client.on('error', () => undefined);
        opened.push({ close: () => client.endAsync(true) });
        resolve(client);
      });
      client.once('error', (error) => {
        client.end(true);
        reject(error);
      });
      // Closed without a CONNACK (after one, 'error' came first): refused all the same.
      client.once('close', () => reject(new Error('connection closed before CONNACK')));
    });
  }

  async function machineId(topicId: string): Promise<number> {
    const listed = await api<Page<MachineDto>>(adminCookie, 'GET', '/api/machines?pageSize=100');
    const machine = listed.body.items.find((m) => m.topicId === topicId);
    if (!machine) throw new Error(`no machine ${topicId}`);
    return machine.id;
  }

  const grantedTo = async (card: string) =>
    (
      await api<Page<AccessEventDto>>(adminCookie, 'GET', `/api/access-events?cardUid=${card}`)
    ).body.items.filter((e) => e.granted);

  /**
   * Issue 11's run: another connection with a board account publishes `checkuser` for `forgedCard`
   * on the victim's topic, and 30 ms later the real board asks about `realCard`. A reply carries no
   * request id, so a forged answer either is taken for the board's own (when it arrives while the
   * board waits) or lands outside any query: both are caught.
   */
  async function spoof(forger: Account, victim: SimulatedBoard, forgedCard: string, realCard: string) {
    const unexpected: UnexpectedReply[] = [];
    const onUnexpected = (u: UnexpectedReply) => unexpected.push(u);
    victim.on('unexpected', onUnexpected);
    try {
      const client = await mqttClient(forger, uniqueClientId('forger'));
      await client
        .publishAsync(victim.queryTopic, FIRMWARE_PAYLOADS.checkuser(forgedCard))
        .catch(() => undefined);
      await sleep(30);
      const real = await victim.checkuser(realCard);
      // A forged reply later than the board's own would land here.
      await sleep(300);
      return { real, unexpected };
    } finally {
      victim.off('unexpected', onUnexpected);
    }
  }

  /**
   * `reader` subscribes to the victim's `/request`, then staff start the victim's machine remotely
   * (the command carries the operator's card): the SUBACK codes and what `reader` received.
   */
  async function readRemoteStart(reader: MqttClient, victim: SimulatedBoard) {
    const seen: string[] = [];
    reader.on('message', (topic, payload) => seen.push(`${topic} ${payload.toString()}`));
    const subscribed = await reader.subscribeAsync(victim.requestTopic).then(
      (grants) => grants.map((g) => g.qos),
      // mqtt.js rejects a refused subscription, with the SUBACK's codes (128: refused) in the error.
      (error: { packet?: { granted?: number[] } }) => error.packet?.granted ?? [-1],
    );
    const delivered = victim.nextRequest(3000);
    void delivered.catch(() => undefined); // awaited below; no unhandled rejection if a check fails first
    const started = await api(adminCookie, 'POST', `/api/machines/${await machineId(victim.topicId)}/start`);
    expect(started.status).toBe(202);
    // The real board gets the operator's card; give the reader as long to get it too.
    expect((await delivered).raw).toContain(ADMIN.card);
    await sleep(300);
    return { subscribed, seen };
  }

  describe('the shared board account (topic pinning)', () => {
    let real: SimulatedBoard;
    let realClientId: string;

    beforeAll(async () => {
      realClientId = uniqueClientId('board1');
      real = await board(m1.topicId, BOARD_ACCOUNT, realClientId);
      expect(await real.checkmachine()).toMatchObject({ status: 'reply', reply: { is_valid: true } });
    });

    it("spoofed grant: the board credentials on a second connection get no reply on a live board's topic, nothing is granted", async () => {
      const { real: answer, unexpected } = await spoof(BOARD_ACCOUNT, real, MALLORY_CARD, UNKNOWN_CARD);
      expect(answer).toMatchObject({ status: 'reply', reply: { request_ok: true, is_valid: false } });
      expect(unexpected).toEqual([]);
      expect(await grantedTo(MALLORY_CARD)).toEqual([]);
      // Refused, and on record for the staff.
      const refused = async () =>
        (
          await api<Page<AccessEventDto>>(adminCookie, 'GET', '/api/access-events?reason=topic-conflict')
        ).body.items.some((e) => e.topicId === m1.topicId && e.cardUid === MALLORY_CARD);
      expect(await waitFor(refused, 5000, 100)).toBe(true);
    });

    it("spoofed denial: the board credentials on a second connection cannot deny a live board's card", async () => {
      const { real: answer, unexpected } = await spoof(BOARD_ACCOUNT, real, UNKNOWN_CARD, m1.card);
      expect(answer).toMatchObject({ status: 'reply', reply: { request_ok: true, is_valid: true } });
      expect(unexpected).toEqual([]);
    });

    it("reading another board's /request: a negative SUBACK, and the operator's card is not delivered", async () => {
      const reader = await mqttClient(BOARD_ACCOUNT, uniqueClientId('reader'));
      const { subscribed, seen } = await readRemoteStart(reader, real);
      expect(subscribed).toEqual([128]);
      expect(seen).toEqual([]);
    });

    it("client-id kicking: a CONNECT reusing a live board's client id is refused (CONNACK 2), the board stays", async () => {
      await expect(mqttClient(BOARD_ACCOUNT, realClientId)).rejects.toMatchObject({ code: 2 });
      await sleep(200);
      expect(real.connected).toBe(true);
      expect(await real.checkmachine()).toMatchObject({ status: 'reply', reply: { request_ok: true } });
    });
  });

  describe('per-board accounts issued through the API', () => {
    let accountOf2: IssuedBoardAccountDto;
    let victim: SimulatedBoard;

    beforeAll(async () => {
      const issue = async (topicId: string) => {
        const issued = await api<IssuedBoardAccountDto>(
          adminCookie,
          'POST',
          `/api/board-accounts/${topicId}`,
        );
        expect(issued.status).toBe(201);
        return issued.body;
      };
      accountOf2 = await issue(m2.topicId);
      const accountOf3 = await issue(m3.topicId);
      victim = await board(m3.topicId, accountOf3);
      expect(await victim.checkmachine()).toMatchObject({ status: 'reply', reply: { is_valid: true } });
    });

    it("spoofed grant: board 2's own account on board 3's topic gets no reply, nothing is granted", async () => {
      const { real: answer, unexpected } = await spoof(accountOf2, victim, MALLORY_CARD, UNKNOWN_CARD);
      expect(answer).toMatchObject({ status: 'reply', reply: { request_ok: true, is_valid: false } });
      expect(unexpected).toEqual([]);
      expect(await grantedTo(MALLORY_CARD)).toEqual([]);
    });

    it("spoofed denial: board 2's own account cannot deny a card on board 3", async () => {
      const { real: answer, unexpected } = await spoof(accountOf2, victim, UNKNOWN_CARD, m3.card);
      expect(answer).toMatchObject({ status: 'reply', reply: { request_ok: true, is_valid: true } });
      expect(unexpected).toEqual([]);
    });

    it("reading another board's /request: board 2's account gets a negative SUBACK on board 3's, and nothing", async () => {
      const reader = await mqttClient(accountOf2, uniqueClientId('reader2'));
      const { subscribed, seen } = await readRemoteStart(reader, victim);
      expect(subscribed).toEqual([128]);
      expect(seen).toEqual([]);
    });
  });

  describe('the portal', () => {
    /** The board of machine 4 (shared account): one connection, as it holds the topic. */
    let board4: SimulatedBoard;
    beforeAll(async () => {
      board4 = await board(m4.topicId, BOARD_ACCOUNT);
    });

    function liveSocket(cookie: string): Promise<LiveSocket> {
      return new Promise((resolve, reject) => {
        const socket = io(app.httpUrl, {
          path: LIVE_PATH,
          transports: ['websocket'],
          reconnection: false,
          extraHeaders: { cookie },
        });
        socket.once('connect', () => {
          opened.push({ close: async () => socket.close() });
          resolve(socket);
        });
        socket.once('connect_error', (error) => {
          socket.close();
          reject(error);
        });
      });
    }

    it('a live socket does not outlive its session: signing out disconnects it', async () => {
      const session = await signIn(VIEWER);
      const socket = await liveSocket(session);
      const ended: { reason?: string } = {};
      socket.once('disconnect', (reason) => {
        ended.reason = String(reason);
      });
      expect((await api(session, 'POST', '/api/auth/logout')).status).toBe(204);
      // At once, not at the next re-check (a minute): a stolen session's socket goes with it.
      expect(await waitFor(() => ended.reason !== undefined, 5000, 50)).toBe(true);
      expect(ended.reason).toBe('io server disconnect');
      await expect(liveSocket(session)).rejects.toThrow('UNAUTHENTICATED');
    });

    it('card UIDs are masked for a read-only user, in the API and in the CSV exports', async () => {
      expect(await board4.checkuser(m4.card)).toMatchObject({ status: 'reply', reply: { is_valid: true } });
      expect(await board4.checkuser(UNKNOWN_CARD)).toMatchObject({ status: 'reply' });
      const viewer = await signIn(VIEWER);
      const cards = [...machines.map((m) => m.card), MALLORY_CARD, ADMIN.card, UNKNOWN_CARD];
      const masked = (card: string) => `••••••${card.slice(-4)}`;

      const members = (await api<Page<MemberDto>>(viewer, 'GET', '/api/members?pageSize=100')).body.items;
      expect(members.find((m) => m.name === 'Member4')?.cardUid).toBe(masked(m4.card));
      for (const member of members) expect(member.cardUid ?? '').not.toMatch(/^[0-9a-f]{8}/);
      const events = (await api<Page<AccessEventDto>>(viewer, 'GET', '/api/access-events?pageSize=100')).body
        .items;
      expect(events.map((e) => e.cardUid)).toContain(masked(m4.card));

      for (const path of ['/api/access-events/export', '/api/unknown-cards/export']) {
        const exported = await api<string>(viewer, 'GET', path);
        expect([path, exported.status]).toEqual([path, 200]);
        for (const card of cards) expect([path, exported.body.includes(card)]).toEqual([path, false]);
      }
      expect((await api<string>(viewer, 'GET', '/api/access-events/export')).body).toContain(masked(m4.card));
      expect((await api<string>(viewer, 'GET', '/api/unknown-cards/export')).body).toContain(
        masked(UNKNOWN_CARD),
      );
    });

    it("a formula in a board's firmware version string is shown, not run, in the boards CSV export", async () => {
      const serial = 'bbbbbbbbbb04';
      await board4.query(
        JSON.stringify({
          action: 'alive',
          serial,
          version: '=HYPERLINK("http://evil.example","update")',
          ip: '+10.0.0.7',
        }),
        { expectReply: false },
      );
      const listed = async () =>
        (await api<Page<FleetBoardDto>>(adminCookie, 'GET', `/api/boards?q=${serial}`)).body.items.length > 0;
      expect(await waitFor(listed, 5000, 50)).toBe(true);

      const exported = await api<string>(adminCookie, 'GET', '/api/boards/export?format=csv');
      expect(exported.status).toBe(200);
      const rows = parse(exported.body, { bom: true, skip_empty_lines: true });
      const row = rows.find((r) => r.includes(serial));
      expect(row?.some((cell) => cell.includes('HYPERLINK'))).toBe(true);
      // No cell a spreadsheet would read as a formula.
      for (const cell of rows.flat()) expect([cell, /^[=+@\t\r]/.test(cell)]).toEqual([cell, false]);
    });

    // Last: a restore that got through would restart the app on the crafted database.
    it('a crafted restore with a trigger is refused (RESTORE_*), the database unchanged', async () => {
      const backup = await fetch(`${app.httpUrl}/api/system/backup`, { headers: { cookie: adminCookie } });
      expect(backup.status).toBe(200);
      const file = join(tempDir(), 'crafted.db');
      writeFileSync(file, Buffer.from(await backup.arrayBuffer()));
      const crafted = new Database(file);
      crafted.pragma('foreign_keys = OFF');
      // At every board tap, the read-only viewer becomes an admin.
      crafted.exec(`CREATE TRIGGER promote AFTER INSERT ON access_events BEGIN
        UPDATE members SET "roleId" = (SELECT id FROM roles WHERE "portalAccess" = 'admin')
        WHERE email = '${VIEWER.email}';
      END`);
      crafted.pragma('journal_mode = DELETE');
      crafted.close();

      const restored = await fetch(`${app.httpUrl}/api/system/restore`, {
        method: 'POST',
        headers: { ...WRITE, cookie: adminCookie, 'content-type': 'application/octet-stream' },
        body: readFileSync(file),
      });
      expect(restored.status).toBe(400);
      expect(((await restored.json()) as { code?: string }).code).toMatch(/^RESTORE_/);

      // Nothing staged, no restart, no trigger in the live database.
      expect(existsSync(`${databaseFile}.restore-pending`)).toBe(false);
      expect([app.alive, await app.readyStatus()]).toEqual([true, 200]);
      const live = new Database(databaseFile, { readonly: true });
      try {
        const triggers = live.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all();
        expect(triggers).toEqual([]);
      } finally {
        live.close();
      }
      // A board tap later, the viewer is still read-only.
      expect(await board4.checkuser(m4.card)).toMatchObject({ status: 'reply' });
      const viewer = await signIn(VIEWER);
      expect((await api(viewer, 'GET', '/api/system')).status).toBe(403);
    });
  });
});
