import { createHash, randomBytes } from 'node:crypto';
import { SESSION_COOKIE, type AccessEventMessage, type MachineStatusDto } from '@fabomatic/contracts';
import { io, type Socket } from 'socket.io-client';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { ApiClient } from '../../testing/api-client';
import { adminClient } from '../../testing/portal';
import { startTestApp, type TestApp } from '../../testing/test-app';
import { hashPassword } from '../auth/password-hashing';
import { PortalSession } from '../auth/portal-session.entity';
import { Member } from '../members/member.entity';
import { LIVE_PATH, LiveGateway, sameOrigin } from './live.gateway';

function connect(url: string, cookie?: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(url, {
      path: LIVE_PATH,
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: cookie ? { cookie } : {},
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

describe('live events over WebSocket', () => {
  let lab: TestApp;
  let cookie: string;

  beforeAll(async () => {
    lab = await startTestApp({ database: 'sqlite', broker: 'embedded', seed: LAB_SEED });
    const admin = await adminClient(lab);
    const login = await fetch(`${lab.running.httpUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'fabomatic' },
      body: JSON.stringify({ email: 'boss@example.org', password: 'Tessera-Verde-2026' }),
    });
    expect(admin.signedIn).toBe(true);
    cookie =
      login.headers
        .getSetCookie()
        .find((c) => c.startsWith(SESSION_COOKIE))
        ?.split(';')[0] ?? '';
  });
  afterAll(() => lab?.stop());

  it('refuses a connection without a valid session', async () => {
    await expect(connect(lab.running.httpUrl)).rejects.toThrow('UNAUTHENTICATED');
    await expect(connect(lab.running.httpUrl, `${SESSION_COOKIE}=forged`)).rejects.toThrow('UNAUTHENTICATED');
  });

  it('pushes a board tap and its denial reason to a connected dashboard within a second', async () => {
    const socket = await connect(lab.running.httpUrl, cookie);
    try {
      const received: AccessEventMessage[] = [];
      socket.on('access-event', (event: AccessEventMessage) => received.push(event));
      const board = await lab.board('1');
      const tappedAt = Date.now();
      await board.checkuser(CARDS.lucia);
      await board.checkuser(CARDS.unknown);
      while (received.length < 2 && Date.now() - tappedAt < 1000) await new Promise((r) => setTimeout(r, 10));
      expect(Date.now() - tappedAt).toBeLessThan(1000);
      expect(received.map((e) => [e.cardUid, e.granted, e.reason, e.machineName])).toEqual([
        [CARDS.lucia, true, 'granted', 'Prusa MK4'],
        [CARDS.unknown, false, 'unknown-card', 'Prusa MK4'],
      ]);
    } finally {
      socket.close();
    }
  });

  it('pushes sessions starting and stopping', async () => {
    const socket = await connect(lab.running.httpUrl, cookie);
    try {
      const events: string[] = [];
      socket.on('session-started', () => events.push('started'));
      socket.on('session-stopped', () => events.push('stopped'));
      const board = await lab.board('1');
      await board.startuse(CARDS.lucia);
      await board.stopuse(CARDS.lucia, 42);
      const deadline = Date.now() + 1000;
      while (events.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(events).toEqual(['started', 'stopped']);
    } finally {
      socket.close();
    }
  });

  it('pushes the machine status a dashboard card shows when it changes', async () => {
    const socket = await connect(lab.running.httpUrl, cookie);
    try {
      const statuses: MachineStatusDto[] = [];
      socket.on('machine-status', (status: MachineStatusDto) => statuses.push(status));
      const board = await lab.board('3');
      await board.startuse(CARDS.mario);
      const deadline = Date.now() + 1000;
      while (!statuses.some((s) => s.status === 'in-use') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(statuses.find((s) => s.status === 'in-use')).toMatchObject({
        topicId: '3',
        name: 'Trapano',
        session: { memberName: 'Mario Rossi' },
        board: { online: true },
      });
      await board.stopuse(CARDS.mario, 5);
      const until = Date.now() + 1000;
      while (statuses.at(-1)?.status === 'in-use' && Date.now() < until)
        await new Promise((r) => setTimeout(r, 10));
      expect(statuses.at(-1)).toMatchObject({ topicId: '3', status: 'free', session: null });
    } finally {
      socket.close();
    }
  });

  /** A fresh portal session of the admin: its cookie. */
  const signIn = async () => {
    const login = await fetch(`${lab.running.httpUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'fabomatic' },
      body: JSON.stringify({ email: 'boss@example.org', password: 'Tessera-Verde-2026' }),
    });
    expect(login.status).toBe(200);
    return (
      login.headers
        .getSetCookie()
        .find((c) => c.startsWith(SESSION_COOKIE))
        ?.split(';')[0] ?? ''
    );
  };
  const closed = (socket: Socket) =>
    new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(String(reason))));

  it('closes a live socket at once when its session signs out', async () => {
    const session = await signIn();
    const socket = await connect(lab.running.httpUrl, session);
    const ended = closed(socket);
    const signedOutAt = Date.now();
    const logout = await fetch(`${lab.running.httpUrl}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie: session, 'x-requested-with': 'fabomatic' },
    });
    expect(logout.status).toBeLessThan(300);
    expect(await ended).toBe('io server disconnect');
    // Not left to the re-check, a minute later.
    expect(Date.now() - signedOutAt).toBeLessThan(30_000);
    // Another session's socket stays open.
    const other = await connect(lab.running.httpUrl, cookie);
    expect(other.connected).toBe(true);
    other.close();
  });

  it('closes, at its periodic re-check, a live socket whose session expired meanwhile', async () => {
    const session = await signIn();
    const socket = await connect(lab.running.httpUrl, session);
    const ended = closed(socket);
    const gateway = lab.running.app.get(LiveGateway);
    expect(await gateway.recheck()).toBe(0);
    lab.clock.advance(13 * 3_600_000);
    try {
      expect(await gateway.recheck()).toBe(1);
      expect(await ended).toBe('io server disconnect');
    } finally {
      lab.clock.advance(-13 * 3_600_000);
    }
  });

  describe('follows changes to the member behind a socket at once', () => {
    const STAFF_PASSWORD = 'Cartellino-Blu-2026';
    let staffId: number;
    let admin: ApiClient;

    beforeAll(async () => {
      admin = await adminClient(lab);
      const members = lab.dataSource.getRepository(Member);
      await members.update(
        { email: 'staff@example.org' },
        { passwordHash: await hashPassword(STAFF_PASSWORD) },
      );
      staffId = (await members.findOneByOrFail({ email: 'staff@example.org' })).id;
    });

    const staffSession = async () => {
      const client = new ApiClient(lab.running.httpUrl);
      expect((await client.login('staff@example.org', STAFF_PASSWORD)).status).toBe(200);
      return client;
    };
    /** Resolves when the socket is closed by the server; fails after 5 s (the periodic re-check is a minute). */
    const closedSoon = (socket: Socket) =>
      Promise.race([
        closed(socket),
        new Promise<string>((resolve) => setTimeout(() => resolve('still open after 5 s'), 5000)),
      ]);

    it('on a password change, closing the sockets of the sessions it ended', async () => {
      const [other, current] = [await staffSession(), await staffSession()];
      const [otherSocket, currentSocket] = [
        await connect(lab.running.httpUrl, other.cookie),
        await connect(lab.running.httpUrl, current.cookie),
      ];
      const ended = closedSoon(otherSocket);
      const changed = await current.post('/api/auth/password', {
        currentPassword: STAFF_PASSWORD,
        newPassword: 'Cartellino-Rosso-2026',
      });
      expect(changed.status).toBe(200);
      expect(await ended).toBe('io server disconnect');
      expect(currentSocket.connected).toBe(true);
      currentSocket.close();
      expect(
        (
          await current.post('/api/auth/password', {
            currentPassword: 'Cartellino-Rosso-2026',
            newPassword: STAFF_PASSWORD,
          })
        ).status,
      ).toBe(200);
    });

    it("when the member's role is lowered, or their role's portal level", async () => {
      const viewers = await admin.post<{ id: number }>('/api/roles', {
        name: 'Viewers',
        authorizeAll: false,
        maintenance: false,
        portalAccess: 'read-only',
      });
      expect(viewers.status).toBe(201);
      const staff = await staffSession();
      let socket = await connect(lab.running.httpUrl, staff.cookie);
      let ended = closedSoon(socket);
      const staffRole = (await lab.dataSource.getRepository(Member).findOneByOrFail({ id: staffId })).roleId;
      expect((await admin.patch(`/api/members/${staffId}`, { roleId: viewers.body.id })).status).toBe(200);
      expect(await ended).toBe('io server disconnect');
      // Reconnected at the new level: it now gets card UIDs masked.
      socket = await connect(lab.running.httpUrl, staff.cookie);
      const received: AccessEventMessage[] = [];
      socket.on('access-event', (event: AccessEventMessage) => received.push(event));
      await (await lab.board('1')).checkuser(CARDS.lucia);
      const deadline = Date.now() + 2000;
      while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(received[0]?.cardUid).toBe('••••••ccd1');
      socket.close();

      expect((await admin.patch(`/api/members/${staffId}`, { roleId: staffRole })).status).toBe(200);
      socket = await connect(lab.running.httpUrl, staff.cookie);
      ended = closedSoon(socket);
      expect((await admin.patch(`/api/roles/${staffRole}`, { portalAccess: 'read-only' })).status).toBe(200);
      expect(await ended).toBe('io server disconnect');
      expect((await admin.patch(`/api/roles/${staffRole}`, { portalAccess: 'manager' })).status).toBe(200);
    });

    it("refuses a member (the members' portal), and closes a socket lowered to it", async () => {
      const members = lab.dataSource.getRepository(Member);
      /** A client signed in as a sign-in strategy would (the login route's per-address limit is nearly used up). */
      const sessionOf = async (memberId: number) => {
        const token = randomBytes(32).toString('base64url');
        const now = lab.clock.now();
        await lab.dataSource.getRepository(PortalSession).insert({
          tokenHash: createHash('sha256').update(token).digest('hex'),
          memberId,
          createdAt: now,
          lastSeenAt: now,
          expiresAt: new Date(now.getTime() + 3_600_000),
        });
        const client = new ApiClient(lab.running.httpUrl);
        client.useSession(token);
        return client;
      };
      const portalMembers = await admin.post<{ id: number }>('/api/roles', {
        name: 'Portal members',
        authorizeAll: false,
        maintenance: false,
        portalAccess: 'member',
      });
      expect(portalMembers.status).toBe(201);
      await members.update({ name: 'Lucía' }, { email: 'lucia@example.org', roleId: portalMembers.body.id });
      const member = await sessionOf((await members.findOneByOrFail({ name: 'Lucía' })).id);
      expect(await member.get('/api/auth/me')).toMatchObject({ status: 200, body: { access: 'member' } });
      await expect(connect(lab.running.httpUrl, member.cookie)).rejects.toThrow('UNAUTHENTICATED');

      // The staff role lowered to the members' portal: its socket closes, and cannot reopen.
      const staff = await sessionOf(staffId);
      const socket = await connect(lab.running.httpUrl, staff.cookie);
      const ended = closedSoon(socket);
      const staffRole = (await members.findOneByOrFail({ id: staffId })).roleId;
      expect((await admin.patch(`/api/roles/${staffRole}`, { portalAccess: 'member' })).status).toBe(200);
      expect(await ended).toBe('io server disconnect');
      await expect(connect(lab.running.httpUrl, staff.cookie)).rejects.toThrow('UNAUTHENTICATED');
      expect((await admin.patch(`/api/roles/${staffRole}`, { portalAccess: 'manager' })).status).toBe(200);
    });

    it('when the member is disabled', async () => {
      const staff = await staffSession();
      const socket = await connect(lab.running.httpUrl, staff.cookie);
      const ended = closedSoon(socket);
      expect((await admin.patch(`/api/members/${staffId}`, { disabled: true })).status).toBe(200);
      expect(await ended).toBe('io server disconnect');
      await expect(connect(lab.running.httpUrl, staff.cookie)).rejects.toThrow('UNAUTHENTICATED');
    });
  });

  it('accepts only same-origin browsers', () => {
    expect(sameOrigin('http://lab.example:23336', 'lab.example:23336')).toBe(true);
    expect(sameOrigin('https://evil.example', 'lab.example:23336')).toBe(false);
    expect(sameOrigin(undefined, 'lab.example:23336')).toBe(true);
  });
});
