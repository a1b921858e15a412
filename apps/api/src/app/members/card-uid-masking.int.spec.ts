import type {
  AccessEventDto,
  AccessEventMessage,
  MemberDto,
  Page,
  UnknownCardDto,
} from '@fabomatic/contracts';
import { io, type Socket } from 'socket.io-client';
import { ApiClient } from '../../testing/api-client';
import { csvExport } from '../../testing/exports';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { startTestApp, type TestApp } from '../../testing/test-app';
import { hashPassword } from '../auth/password-hashing';
import { LIVE_PATH } from '../realtime/live.gateway';
import { Role } from '../roles/role.entity';
import { Member } from './member.entity';

const PASSWORD = 'Tessera-Verde-2026';

function connect(url: string, cookie: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(url, {
      path: LIVE_PATH,
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: { cookie },
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

describe('card UIDs below the manager level', () => {
  let lab: TestApp;
  let viewer: ApiClient;
  let manager: ApiClient;

  beforeAll(async () => {
    lab = await startTestApp({ database: 'sqlite', broker: 'embedded', seed: LAB_SEED });
    await adminClient(lab);
    const roles = lab.dataSource.getRepository(Role);
    const viewers = await roles.save(
      roles.create({ name: 'Viewers', portalAccess: 'read-only', reserved: false }),
    );
    const members = lab.dataSource.getRepository(Member);
    const passwordHash = await hashPassword(PASSWORD);
    await members.update({ name: 'Mario' }, { roleId: viewers.id, email: 'mario@example.org', passwordHash });
    await members.update({ name: 'Stefano' }, { passwordHash });
    viewer = new ApiClient(lab.running.httpUrl);
    expect((await viewer.login('mario@example.org', PASSWORD)).status).toBe(200);
    manager = new ApiClient(lab.running.httpUrl);
    expect((await manager.login('staff@example.org', PASSWORD)).status).toBe(200);
  });
  afterAll(() => lab?.stop());

  it('masks them in live events for read-only dashboards, and not for managers', async () => {
    const [masked, full] = await Promise.all([
      connect(lab.running.httpUrl, viewer.cookie),
      connect(lab.running.httpUrl, manager.cookie),
    ]);
    try {
      const seen = { masked: [] as AccessEventMessage[], full: [] as AccessEventMessage[] };
      masked.on('access-event', (event: AccessEventMessage) => seen.masked.push(event));
      full.on('access-event', (event: AccessEventMessage) => seen.full.push(event));
      const board = await lab.board('1');
      await board.checkuser(CARDS.lucia);
      await board.checkuser(CARDS.unknown);
      const deadline = Date.now() + 5000;
      while ((seen.masked.length < 2 || seen.full.length < 2) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      expect(seen.masked.map((e) => e.cardUid)).toEqual(['••••••ccd1', '••••••beef']);
      expect(seen.full.map((e) => e.cardUid)).toEqual([CARDS.lucia, CARDS.unknown]);
    } finally {
      masked.close();
      full.close();
    }
  });

  it('masks them in every API answer and export a read-only user gets', async () => {
    const lucia = (await viewer.get<Page<MemberDto>>('/api/members?q=Luc')).body.items[0];
    expect(lucia?.cardUid).toBe('••••••ccd1');
    expect((await viewer.get<MemberDto>(`/api/members/${lucia?.id}`)).body.cardUid).toBe('••••••ccd1');
    const events = (await viewer.get<Page<AccessEventDto>>('/api/access-events')).body.items;
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect(event.cardUid).toMatch(/^••••••[0-9a-f]{4}$/);
    const unknown = (await viewer.get<Page<UnknownCardDto>>('/api/unknown-cards')).body.items;
    expect(unknown.map((c) => c.cardUid)).toEqual(['••••••beef']);
    const exported = [
      ...(await csvExport(viewer, '/api/access-events/export')).map((row) => row['Card']),
      ...(await csvExport(viewer, '/api/unknown-cards/export')).map((row) => row['card']),
    ];
    expect(exported.length).toBeGreaterThan(2);
    for (const card of exported) expect(card).toMatch(/^••••••[0-9a-f]{4}$/);
    // The manager sees them in full.
    expect((await manager.get<MemberDto>(`/api/members/${lucia?.id}`)).body.cardUid).toBe(CARDS.lucia);
    expect((await manager.get<Page<UnknownCardDto>>('/api/unknown-cards')).body.items[0]?.cardUid).toBe(
      CARDS.unknown,
    );
  });

  it('attack: a read-only user cannot spell a card out by searching parts of it, but finds a whole one', async () => {
    const count = async (path: string) => (await viewer.get<Page<unknown>>(path)).body.total;
    for (const part of ['aabb', 'aabbcc', 'ccd1']) {
      expect(await count(`/api/members?q=${part}`)).toBe(0);
      expect(await count(`/api/access-events?q=${part}`)).toBe(0);
      expect(await count(`/api/usage?q=${part}`)).toBe(0);
    }
    expect(await count('/api/unknown-cards?q=dead')).toBe(0);
    expect(await count(`/api/members?q=${CARDS.lucia}`)).toBe(1);
    expect(await count(`/api/access-events?q=${CARDS.lucia.toUpperCase()}`)).toBeGreaterThan(0);
    expect(await count(`/api/unknown-cards?q=${CARDS.unknown}`)).toBe(1);
    // Managers still search by part.
    expect((await manager.get<Page<unknown>>('/api/members?q=aabb')).body.total).toBe(1);
  });
});
