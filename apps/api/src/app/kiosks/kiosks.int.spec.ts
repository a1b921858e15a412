import {
  type CreatedKioskDto,
  type KioskDto,
  type KioskMachineDto,
  type KioskStatusDto,
  type LabSettingsDto,
  KIOSK_MACHINE_EVENT,
} from '@fabomatic/contracts';
import { io, type Socket } from 'socket.io-client';
import { ApiClient } from '../../testing/api-client';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { startTestApp, type TestApp, type TestDatabase } from '../../testing/test-app';
import { AuditEntry } from '../audit/audit-entry.entity';
import { hashPassword } from '../auth/password-hashing';
import { Member } from '../members/member.entity';
import { LIVE_PATH } from '../realtime/live.gateway';
import { Role } from '../roles/role.entity';
import { Kiosk } from './kiosk.entity';
import { kioskTokenHash } from './kiosk-token';

const PASSWORD = 'Tessera-Verde-2026';

function kioskSocket(url: string, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(url, {
      path: LIVE_PATH,
      transports: ['websocket'],
      reconnection: false,
      auth: { kioskToken: token },
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

const kioskGet = (lab: TestApp, token: string | null, scheme = 'Kiosk') =>
  fetch(`${lab.running.httpUrl}/api/kiosk/status`, {
    headers: token === null ? {} : { authorization: `${scheme} ${token}` },
  }).then(async (r) => ({ status: r.status, body: await r.json() }));

/** What must never reach a kiosk: surnames, emails, card UIDs of the seed's members. */
const PERSONAL = ['Martínez', 'Rossi', 'Admin', 'Staff', '@example.org', ...Object.values(CARDS)];
function expectNothingPersonal(payload: unknown): void {
  const text = JSON.stringify(payload).toLowerCase();
  for (const value of PERSONAL) expect(text).not.toContain(value.toLowerCase());
  expect(text).not.toContain('memberid');
}

async function until<T>(read: () => T | undefined, ms = 3000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() - start > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Issue 14: the kiosk screen's tokens, its read and its live tiles. */
describe.each<TestDatabase>(['sqlite', 'postgres'])('kiosk screens on %s', (database) => {
  let lab: TestApp;
  let admin: ApiClient;
  let manager: ApiClient;
  let viewer: ApiClient;

  beforeAll(async () => {
    lab = await startTestApp({ database, broker: 'embedded', seed: LAB_SEED });
    admin = await adminClient(lab);
    const hash = await hashPassword(PASSWORD);
    const members = lab.dataSource.getRepository(Member);
    const viewers = await lab.dataSource
      .getRepository(Role)
      .save({ name: 'Viewers', portalAccess: 'read-only' });
    await members.update({ email: 'staff@example.org' }, { passwordHash: hash });
    await members.update(
      { name: 'Mario' },
      { email: 'viewer@example.org', passwordHash: hash, roleId: viewers.id },
    );
    manager = new ApiClient(lab.running.httpUrl);
    viewer = new ApiClient(lab.running.httpUrl);
    expect((await manager.login('staff@example.org', PASSWORD)).status).toBe(200);
    expect((await viewer.login('viewer@example.org', PASSWORD)).status).toBe(200);
  });
  afterAll(() => lab?.stop());

  it('lets managers create kiosks (token shown once, only its hash stored, audited), not read-only staff', async () => {
    expect((await viewer.post('/api/kiosks', { name: 'Hall TV' })).status).toBe(403);
    expect((await viewer.get('/api/kiosks')).status).toBe(403);
    expect((await manager.post('/api/kiosks', { name: '  ' })).status).toBe(400);
    const created = await manager.post<CreatedKioskDto>('/api/kiosks', { name: 'Hall TV' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Hall TV', createdBy: 'Stefano Staff', revokedAt: null });
    expect(created.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.body.url).toMatch(new RegExp(`/kiosk#token=${created.body.token}$`));
    const stored = await lab.dataSource.getRepository(Kiosk).findOneByOrFail({ id: created.body.id });
    expect(stored.tokenHash).toBe(kioskTokenHash(created.body.token));
    const list = await manager.get<KioskDto[]>('/api/kiosks');
    expect(JSON.stringify(list.body)).not.toContain(created.body.token);
    expect(list.body.find((k) => k.id === created.body.id)).toMatchObject({ name: 'Hall TV' });
    const audit = await lab.dataSource
      .getRepository(AuditEntry)
      .findOneByOrFail({ entityType: 'kiosk', entityId: String(created.body.id) });
    expect(audit.action).toBe('create');
    expect(JSON.stringify(audit.after)).not.toContain(stored.tokenHash);
    expect(JSON.stringify(audit.after)).not.toContain(created.body.token);
  });

  it('answers the kiosk read with its token only, without personal data, first names only when allowed', async () => {
    const { body: kiosk } = await manager.post<CreatedKioskDto>('/api/kiosks', { name: 'Lobby' });
    expect(await kioskGet(lab, null)).toMatchObject({ status: 401, body: { code: 'KIOSK_TOKEN_INVALID' } });
    expect(await kioskGet(lab, 'x'.repeat(43))).toMatchObject({
      status: 401,
      body: { code: 'KIOSK_TOKEN_INVALID' },
    });
    expect(await kioskGet(lab, kiosk.token, 'Bearer')).toMatchObject({ status: 401 });
    const board = await lab.board('1');
    await board.startuse(CARDS.lucia);
    try {
      const hidden = await kioskGet(lab, kiosk.token);
      expect(hidden.status).toBe(200);
      const machines = (hidden.body as KioskStatusDto).machines;
      expect(machines.map((m) => m.name)).toEqual([
        'Fresa CNC',
        'Laser Trotec Speedy 400',
        'Prusa MK4',
        'Trapano',
      ]);
      expect(machines.find((m) => m.name === 'Prusa MK4')).toMatchObject({
        state: 'in-use',
        firstName: null,
      });
      expect(machines.find((m) => m.name === 'Fresa CNC')).toMatchObject({ state: 'blocked' });
      expectNothingPersonal(hidden.body);
      expect(JSON.stringify(hidden.body)).not.toContain('Lucía');

      expect((await viewer.request('PUT', '/api/lab-settings', { kioskShowsFirstNames: true })).status).toBe(
        403,
      );
      const put = await manager.request<LabSettingsDto>('PUT', '/api/lab-settings', {
        kioskShowsFirstNames: true,
        labName: 'Fab Lab Test',
      });
      expect(put).toMatchObject({
        status: 200,
        body: { kioskShowsFirstNames: true, labName: 'Fab Lab Test' },
      });
      expect((await viewer.get('/api/lab-settings')).body).toEqual(put.body);
      const shown = await kioskGet(lab, kiosk.token);
      expect((shown.body as KioskStatusDto).labName).toBe('Fab Lab Test');
      expect((shown.body as KioskStatusDto).machines.find((m) => m.name === 'Prusa MK4')).toMatchObject({
        state: 'in-use',
        firstName: 'Lucía',
      });
      expectNothingPersonal(shown.body);
      expect(
        await lab.dataSource
          .getRepository(AuditEntry)
          .countBy({ entityType: 'lab-settings', action: 'update' }),
      ).toBe(1);
    } finally {
      await board.stopuse(CARDS.lucia, 60);
      await manager.request('PUT', '/api/lab-settings', { kioskShowsFirstNames: false });
    }
    const used = await lab.dataSource.getRepository(Kiosk).findOneByOrFail({ id: kiosk.id });
    expect(used.lastUsedAt).not.toBeNull();
  });

  it('pushes a sanitised tile to a kiosk socket when a board starts a session, and nothing else', async () => {
    const { body: kiosk } = await manager.post<CreatedKioskDto>('/api/kiosks', { name: 'Workshop' });
    await expect(kioskSocket(lab.running.httpUrl, 'not-a-token')).rejects.toThrow('KIOSK_TOKEN_INVALID');
    await manager.request('PUT', '/api/lab-settings', { kioskShowsFirstNames: true });
    const socket = await kioskSocket(lab.running.httpUrl, kiosk.token);
    const received: { name: string; payload: unknown }[] = [];
    socket.onAny((name: string, payload: unknown) => received.push({ name, payload }));
    const board = await lab.board('1');
    try {
      await board.checkuser(CARDS.mario);
      await board.startuse(CARDS.lucia);
      const tile = await until(
        () =>
          received.find(
            (e) => e.name === KIOSK_MACHINE_EVENT && (e.payload as KioskMachineDto).state === 'in-use',
          )?.payload as KioskMachineDto | undefined,
      );
      expect(tile).toEqual({
        machineId: expect.any(Number),
        name: 'Prusa MK4',
        typeName: 'Printer',
        state: 'in-use',
        since: expect.any(String),
        firstName: 'Lucía',
      });
      await board.stopuse(CARDS.lucia, 60);
      await until(() =>
        received.find(
          (e) => e.name === KIOSK_MACHINE_EVENT && (e.payload as KioskMachineDto).state !== 'in-use',
        ),
      );
      expect([...new Set(received.map((e) => e.name))]).toEqual([KIOSK_MACHINE_EVENT]);
      for (const event of received) expectNothingPersonal(event.payload);
    } finally {
      socket.close();
      await manager.request('PUT', '/api/lab-settings', { kioskShowsFirstNames: false });
    }
  });

  it('revoking a kiosk refuses its token at once and closes its socket (read-only staff cannot)', async () => {
    const { body: kiosk } = await manager.post<CreatedKioskDto>('/api/kiosks', { name: 'Old TV' });
    const socket = await kioskSocket(lab.running.httpUrl, kiosk.token);
    const closed = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
    expect((await viewer.post(`/api/kiosks/${kiosk.id}/revoke`)).status).toBe(403);
    const revoked = await admin.post<KioskDto>(`/api/kiosks/${kiosk.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    expect(await closed).toBe('io server disconnect');
    expect(await kioskGet(lab, kiosk.token)).toMatchObject({
      status: 401,
      body: { code: 'KIOSK_TOKEN_REVOKED' },
    });
    await expect(kioskSocket(lab.running.httpUrl, kiosk.token)).rejects.toThrow('KIOSK_TOKEN_REVOKED');
    expect((await admin.post(`/api/kiosks/999999/revoke`)).status).toBe(404);
    expect(
      await lab.dataSource
        .getRepository(AuditEntry)
        .countBy({ entityType: 'kiosk', entityId: String(kiosk.id), action: 'revoke' }),
    ).toBe(1);
  });
});
