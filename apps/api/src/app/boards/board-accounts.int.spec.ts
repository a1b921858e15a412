import type { AccessEventDto, BoardAccountDto, IssuedBoardAccountDto, Page } from '@fabomatic/contracts';
import { SimulatedBoard, openMqttClient, type QueryResult, type UnexpectedReply } from '@fabomatic/board-sim';
import type { MqttClient } from 'mqtt';
import { ApiClient } from '../../testing/api-client';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { BOARD_ACCOUNT, startTestApp, type TestApp } from '../../testing/test-app';
import { AuditEntry } from '../audit/audit-entry.entity';
import { hashPassword } from '../auth/password-hashing';
import { Member } from '../members/member.entity';
import { BoardAccount } from './board-account.entity';

async function reply(result: Promise<QueryResult>): Promise<Record<string, unknown>> {
  const r = await result;
  if (r.status !== 'reply' || r.reply === null) throw new Error(`expected a reply, got ${JSON.stringify(r)}`);
  return r.reply;
}

const STAFF_PASSWORD = 'Staff-Password-2026';

/**
 * Issue 11: per-board broker accounts, for labs that build each board's firmware with its own
 * credentials. Issued, rotated and revoked by an admin from the Boards page; on the embedded broker
 * each account may use its own topic only, and the shared account none of theirs.
 */
describe('per-board broker accounts (embedded broker)', () => {
  let lab: TestApp;
  let admin: ApiClient;
  let manager: ApiClient;
  const opened: { close(): Promise<unknown> }[] = [];

  const issue = async (topicId: string) => {
    const issued = await admin.post<IssuedBoardAccountDto>(`/api/board-accounts/${topicId}`);
    expect(issued.status).toBe(201);
    return issued.body;
  };
  const board = async (
    topicId: string,
    clientId: string,
    account: { username: string; password: string },
  ) => {
    const b = new SimulatedBoard({
      url: lab.running.brokerUrl,
      topicRoot: lab.topicRoot,
      topicId,
      clientId,
      username: account.username,
      password: account.password,
    });
    await b.connect();
    opened.push(b);
    return b;
  };
  const client = async (clientId: string, account: { username: string; password: string }) => {
    const c = await openMqttClient(
      { url: lab.running.brokerUrl, ...account, connectTimeoutMs: 3000 },
      clientId,
    );
    c.options.reconnectPeriod = 0;
    opened.push({ close: () => c.endAsync(true) });
    return c;
  };
  const closed = (c: MqttClient) => new Promise<void>((resolve) => c.once('close', () => resolve()));
  const granted = async (card: string) =>
    (await admin.get<Page<AccessEventDto>>(`/api/access-events?cardUid=${card}`)).body.items.filter(
      (e) => e.granted,
    );

  beforeAll(async () => {
    lab = await startTestApp({ database: 'sqlite', broker: 'embedded', seed: LAB_SEED });
    admin = await adminClient(lab);
    await lab.dataSource
      .getRepository(Member)
      .update({ email: 'staff@example.org' }, { passwordHash: await hashPassword(STAFF_PASSWORD) });
    manager = new ApiClient(lab.running.httpUrl);
    expect((await manager.login('staff@example.org', STAFF_PASSWORD)).status).toBe(200);
  });
  afterAll(async () => {
    await Promise.all(opened.map((b) => b.close()));
    await lab?.stop();
  });

  describe('the API', () => {
    it('issues, rotates and revokes for admins only; the password is in the issue and rotate answers only', async () => {
      // Below admin: refused, nothing created.
      expect((await manager.post('/api/board-accounts/555')).status).toBe(403);
      expect(await lab.dataSource.getRepository(BoardAccount).count()).toBe(0);

      const issued = await issue('555');
      expect(issued).toEqual({
        topicId: '555',
        username: '555',
        issuedAt: expect.any(String),
        password: expect.stringMatching(/^[A-Za-z0-9_-]{24}$/),
      });
      expect(await admin.post('/api/board-accounts/555')).toMatchObject({
        status: 409,
        body: { code: 'BOARD_ACCOUNT_EXISTS', params: { topicId: '555' } },
      });

      // The list shows accounts to every portal level, never a password nor its hash.
      const listed = await manager.get<BoardAccountDto[]>('/api/board-accounts');
      expect(listed.body).toEqual([{ topicId: '555', username: '555', issuedAt: issued.issuedAt }]);

      expect((await manager.post('/api/board-accounts/555/rotate')).status).toBe(403);
      const rotated = await admin.post<IssuedBoardAccountDto>('/api/board-accounts/555/rotate');
      expect(rotated.status).toBe(200);
      expect(rotated.body.password).not.toBe(issued.password);

      // Only the scrypt hash is stored.
      const row = await lab.dataSource.getRepository(BoardAccount).findOneByOrFail({ topicId: '555' });
      expect(row.passwordHash).toMatch(/^scrypt\$/);
      expect(row.passwordHash).not.toContain(rotated.body.password);

      expect((await manager.delete('/api/board-accounts/555')).status).toBe(403);
      expect((await admin.delete('/api/board-accounts/555')).status).toBe(204);
      expect((await admin.delete('/api/board-accounts/555')).status).toBe(404);
      expect((await admin.post('/api/board-accounts/555/rotate')).status).toBe(404);
      expect((await admin.get<BoardAccountDto[]>('/api/board-accounts')).body).toEqual([]);

      // Each change is audited, without any secret.
      const entries = await lab.dataSource
        .getRepository(AuditEntry)
        .find({ where: { entityType: 'board-account' }, order: { id: 'ASC' } });
      expect(entries.map((e) => e.action)).toEqual(['issue', 'rotate', 'revoke']);
      const text = JSON.stringify(entries);
      for (const secret of [issued.password, rotated.body.password, 'scrypt$'])
        expect(text).not.toContain(secret);
    });

    it('refuses what is not a board topic id', async () => {
      for (const bad of ['abc', '65536', '1%2F2']) {
        const response = await admin.post(`/api/board-accounts/${bad}`);
        expect([bad, response.status]).toEqual([bad, 400]);
      }
    });
  });

  describe('the embedded broker', () => {
    let one: IssuedBoardAccountDto;
    let three: IssuedBoardAccountDto;
    beforeAll(async () => {
      one = await issue('1');
      three = await issue('3');
      // A machine whose board (with its own account) is offline: no connection holds its topic.
      await issue('012');
    });

    it("refuses board A's account a spoofed grant or denial on board B's topic: no reply, no side effect", async () => {
      const b = await board('3', 'BOARD3', three);
      expect(await reply(b.checkmachine())).toMatchObject({ request_ok: true, is_valid: true });
      const unexpected: UnexpectedReply[] = [];
      b.on('unexpected', (u) => unexpected.push(u));

      // Board 1's own credentials, read out of its flash, used on machine 3's topic.
      const a = await client('BOARD1-ROGUE', one);
      const gone = closed(a);
      await a.publishAsync(`${lab.topicRoot}/3`, JSON.stringify({ action: 'checkuser', uid: CARDS.mario }));
      await gone;
      expect(await reply(b.checkuser(CARDS.unknown))).toMatchObject({ request_ok: true, is_valid: false });
      expect(unexpected).toEqual([]);
      expect(await granted(CARDS.mario)).toEqual([]);

      // A spoofed denial (a card nobody has) or a spoofed start of use fares the same.
      for (const payload of [
        { action: 'checkuser', uid: CARDS.unknown },
        { action: 'startuse', uid: CARDS.lucia },
      ]) {
        const forger = await client(`BOARD1-ROGUE-${payload.action}`, one);
        const closing = closed(forger);
        await forger.publishAsync(`${lab.topicRoot}/3`, JSON.stringify(payload));
        await closing;
      }
      expect(await reply(b.checkmachine())).toMatchObject({ request_ok: true, is_valid: true });
      expect(unexpected).toEqual([]);
      const usage = await admin.get<Page<{ machineName: string }>>('/api/usage?pageSize=100');
      expect(usage.body.items.filter((u) => u.machineName === 'Trapano')).toEqual([]);
      await b.close();
    });

    it("refuses board A's account reading board B's /request and /reply (negative SUBACK)", async () => {
      const a = await client('BOARD1-READER', one);
      for (const topic of [`${lab.topicRoot}/3/request`, `${lab.topicRoot}/3/reply`]) {
        await expect(a.subscribeAsync(topic)).rejects.toThrow('Subscribe error');
      }
      // Its own topics it may read.
      await expect(a.subscribeAsync(`${lab.topicRoot}/1/request`)).resolves.toBeDefined();
      await a.endAsync(true);
    });

    it('issuing an account closes the shared-account connection that holds the topic (it would go on reading /request)', async () => {
      const old = await board('77', 'BOARD77-SHARED', BOARD_ACCOUNT);
      expect(await reply(old.checkmachine())).toMatchObject({ request_ok: true });
      await issue('77');
      for (let i = 0; i < 100 && old.connected; i++) await new Promise((r) => setTimeout(r, 10));
      expect(old.connected).toBe(false);
      await old.close();
    });

    it('refuses the shared account on a topic that has its own account, even with its board offline', async () => {
      const shared = await client('SHARED-ON-012', BOARD_ACCOUNT);
      await expect(shared.subscribeAsync(`${lab.topicRoot}/012/request`)).rejects.toThrow('Subscribe error');
      await expect(shared.subscribeAsync(`${lab.topicRoot}/012/reply`)).rejects.toThrow('Subscribe error');
      const gone = closed(shared);
      await shared.publishAsync(
        `${lab.topicRoot}/012`,
        JSON.stringify({ action: 'checkuser', uid: CARDS.mario }),
      );
      await gone;
      let refused: AccessEventDto[] = [];
      for (let i = 0; i < 100 && refused.length === 0; i++) {
        const page = await admin.get<Page<AccessEventDto>>('/api/access-events?reason=topic-conflict');
        refused = page.body.items.filter((e) => e.topicId === '012');
        if (refused.length === 0) await new Promise((r) => setTimeout(r, 20));
      }
      expect(refused).toEqual([expect.objectContaining({ cardUid: CARDS.mario, granted: false })]);
      expect(await granted(CARDS.mario)).toEqual([]);
      // Topics without an account of their own still work with the shared account.
      const other = await board('4', 'BOARD4', BOARD_ACCOUNT);
      expect(await reply(other.checkmachine())).toMatchObject({ request_ok: true });
    });

    it('refuses a wrong password, and lets a board reconnect with its own', async () => {
      await expect(
        client('BOARD1-GUESS', { username: '1', password: 'guessed-password-1234' }),
      ).rejects.toThrow();
      await expect(
        client('BOARD1-SHARED-PW', { username: '1', password: BOARD_ACCOUNT.password }),
      ).rejects.toThrow();
      for (let i = 0; i < 2; i++) {
        const c = await client(`BOARD1-AGAIN-${i}`, one);
        await c.endAsync(true);
      }
    });

    it('rotating disconnects the board at once; the old password no longer connects, the new one does', async () => {
      const live = await board('1', 'BOARD1', one);
      expect(await reply(live.checkmachine())).toMatchObject({ request_ok: true });
      const rotated = await admin.post<IssuedBoardAccountDto>('/api/board-accounts/1/rotate');
      expect(rotated.status).toBe(200);
      for (let i = 0; i < 100 && live.connected; i++) await new Promise((r) => setTimeout(r, 10));
      expect(live.connected).toBe(false);
      await live.close();
      await expect(client('BOARD1-OLD', one)).rejects.toThrow();
      const renewed = await board('1', 'BOARD1-NEW', { username: '1', password: rotated.body.password });
      expect(await reply(renewed.checkmachine())).toMatchObject({ request_ok: true });
      one = rotated.body;
    });

    it('revoking disconnects the board; the topic is the shared account’s again', async () => {
      const live = await board('3', 'BOARD3-LIVE', three);
      expect(await reply(live.checkmachine())).toMatchObject({ request_ok: true });
      expect((await admin.delete('/api/board-accounts/3')).status).toBe(204);
      for (let i = 0; i < 100 && live.connected; i++) await new Promise((r) => setTimeout(r, 10));
      expect(live.connected).toBe(false);
      await live.close();
      await expect(client('BOARD3-REVOKED', three)).rejects.toThrow();
      const shared = await board('3', 'BOARD3-SHARED', BOARD_ACCOUNT);
      expect(await reply(shared.checkmachine())).toMatchObject({ request_ok: true });
    });
  });
});
