import { crc32 } from 'node:zlib';
import type { QueryResult } from '@fabomatic/board-sim';
import {
  CSRF_HEADER,
  CSRF_HEADER_VALUE,
  type DowntimeReportDto,
  type MachineStatusDto,
  type LiveEventMap,
  type MachineTypeDto,
  type MemberNotificationsDto,
  OUT_OF_ORDER_DESCRIPTION,
  type Page,
  PROBLEM_PHOTO_MAX_BYTES,
  type ProblemReportDto,
  type ReportableMachineDto,
} from '@fabomatic/contracts';
import sharp from 'sharp';
import { io, type Socket } from 'socket.io-client';
import { ApiClient, type ApiResponse } from '../../testing/api-client';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { decodeQuotedPrintable, SmtpInbox } from '../../testing/smtp-inbox';
import { startTestApp, type TestApp, type TestDatabase } from '../../testing/test-app';
import { AccessEvent } from '../access-events/access-event.entity';
import { AuditEntry } from '../audit/audit-entry.entity';
import { hashPassword } from '../auth/password-hashing';
import { Machine } from '../machines/machine.entity';
import { Member } from '../members/member.entity';
import { Role } from '../roles/role.entity';
import { LIVE_PATH } from '../realtime/live.gateway';
import { MachineOutage } from './machine-outage.entity';
import { ProblemReport } from './problem-report.entity';

const PASSWORD = 'Segnala-Guasti-2026';
const HOUR = 3_600_000;
const MINUTE = 60_000;

async function reply(result: Promise<QueryResult>): Promise<Record<string, unknown>> {
  const r = await result;
  if (r.status !== 'reply' || r.reply === null) throw new Error(`expected a reply, got ${JSON.stringify(r)}`);
  return r.reply;
}

/** A PNG of 4×4 red pixels carrying a text chunk (a location a phone might write). */
async function pngWithText(text: string): Promise<Buffer> {
  const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#ff0000' } })
    .png()
    .toBuffer();
  const data = Buffer.concat([Buffer.from('Comment\0', 'latin1'), Buffer.from(text, 'latin1')]);
  const type = Buffer.from('tEXt', 'latin1');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([type, data])) >>> 0);
  const iend = png.length - 12;
  return Buffer.concat([png.subarray(0, iend), length, type, data, crc, png.subarray(iend)]);
}

/** A dashboard's socket, recording every live event it receives. */
async function liveSocket(url: string, cookie: string) {
  const socket: Socket = io(url, {
    path: LIVE_PATH,
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: { cookie },
  });
  const events: { name: string; payload: unknown }[] = [];
  socket.onAny((name: string, payload: unknown) => events.push({ name, payload }));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return { socket, events };
}

/**
 * Issue 14: problem reports and machines out of order, seen as the lab meets them: the API and who
 * may do what, the board's answers, the emails and the downtime report.
 */
describe.each<TestDatabase>(['sqlite', 'postgres'])('problem reports on %s', (database) => {
  let lab: TestApp;
  let inbox: SmtpInbox;
  let admin: ApiClient;
  let lucia: ApiClient;
  let mario: ApiClient;
  let staff: ApiClient;
  let viewer: ApiClient;
  const machine = (topicId: string) => lab.dataSource.getRepository(Machine).findOneByOrFail({ topicId });

  const signIn = async (email: string) => {
    const client = new ApiClient(lab.running.httpUrl);
    const login = await client.login(email, PASSWORD);
    if (login.status !== 200) throw new Error(`${email} login failed: ${JSON.stringify(login.body)}`);
    return client;
  };

  /** `POST /api/problems` as the portal sends it: multipart, with an optional photo. */
  const report = async <T = ProblemReportDto>(
    client: ApiClient,
    fields: Record<string, string | number | boolean>,
    photo?: { bytes: Buffer; name: string; type: string },
  ): Promise<ApiResponse<T>> => {
    const form = new FormData();
    for (const [key, value] of Object.entries(fields)) form.append(key, String(value));
    if (photo)
      form.append('photo', new Blob([new Uint8Array(photo.bytes)], { type: photo.type }), photo.name);
    const response = await fetch(`${lab.running.httpUrl}/api/problems`, {
      method: 'POST',
      headers: { cookie: client.cookie, [CSRF_HEADER]: CSRF_HEADER_VALUE },
      body: form,
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text ? JSON.parse(text) : null) as T,
      headers: response.headers,
    };
  };

  /** The emails to `to` whose subject contains `subject`, waited for up to 3 s when `expected`. */
  const mails = async (to: string, subject: string, expected = 1) => {
    const text = (raw: string) => Buffer.from(decodeQuotedPrintable(raw), 'latin1').toString('utf8');
    const find = () => inbox.messages.filter((m) => m.to.includes(to) && text(m.raw).includes(subject));
    for (let i = 0; i < 150 && find().length < expected; i++) await new Promise((r) => setTimeout(r, 20));
    return find().map((m) => text(m.raw));
  };

  beforeAll(async () => {
    inbox = await SmtpInbox.start();
    lab = await startTestApp({
      database,
      broker: 'embedded',
      seed: LAB_SEED,
      env: { SMTP_URL: inbox.url, SMTP_FROM: 'FabLab <noreply@fab.example.org>' },
    });
    admin = await adminClient(lab);
    const roles = lab.dataSource.getRepository(Role);
    await roles.update({ name: 'Fab Users' }, { portalAccess: 'member' });
    const viewers = await roles.save(roles.create({ name: 'Viewers', portalAccess: 'read-only' }));
    const members = lab.dataSource.getRepository(Member);
    const passwordHash = await hashPassword(PASSWORD);
    await members.update({ name: 'Lucía' }, { email: 'lucia@example.org', passwordHash, language: 'it' });
    await members.update({ name: 'Mario' }, { email: 'mario@example.org', passwordHash });
    await members.update({ email: 'staff@example.org' }, { passwordHash });
    await members.save(
      members.create({
        name: 'Vera',
        surname: 'Viewer',
        email: 'vera@example.org',
        roleId: viewers.id,
        passwordHash,
      }),
    );
    lucia = await signIn('lucia@example.org');
    mario = await signIn('mario@example.org');
    staff = await signIn('staff@example.org');
    viewer = await signIn('vera@example.org');
  });
  afterAll(async () => {
    // Let the emails of the last reports leave before the app and the inbox stop.
    await new Promise((r) => setTimeout(r, 500));
    await lab?.stop();
    await inbox?.close();
  });

  it('lets a member report only where the board would let them in, and out of order only if the type allows', async () => {
    const prusa = await machine('1');
    const laser = await machine('012');
    const trapano = await machine('3');
    // Mario's authorization on the laser expired: the board refuses him, so does the report.
    expect(
      await report(mario, { machineId: laser.id, severity: 'note', description: 'Smells' }),
    ).toMatchObject({
      status: 403,
      body: { code: 'PROBLEM_NOT_AUTHORIZED' },
    });
    // An open machine type: any member may use it, and report on it.
    const note = await report(mario, {
      machineId: trapano.id,
      severity: 'note',
      description: 'Chuck is loose',
    });
    expect(note).toMatchObject({
      status: 201,
      body: {
        state: 'open',
        severity: 'note',
        mine: true,
        reporter: { name: 'Mario Rossi' },
        hasPhoto: false,
      },
    });
    // Where he may report, and how.
    const reportable = await mario.get<ReportableMachineDto[]>('/api/me/reportable-machines');
    expect(reportable.body.map((m) => m.name)).toEqual(['Prusa MK4', 'Trapano']);
    // The type keeps out-of-order to staff.
    const printer = (await admin.get<Page<MachineTypeDto>>('/api/machine-types')).body.items.find(
      (t) => t.name === 'Printer',
    );
    expect(printer?.membersMayDeclareOutOfOrder).toBe(true);
    expect(
      (await admin.patch(`/api/machine-types/${printer?.id}`, { membersMayDeclareOutOfOrder: false })).status,
    ).toBe(200);
    expect(
      (await mario.get<ReportableMachineDto[]>('/api/me/reportable-machines')).body.find(
        (m) => m.name === 'Prusa MK4',
      ),
    ).toMatchObject({ mayDeclareOutOfOrder: false, outOfOrder: false });
    expect(
      await report(lucia, { machineId: prusa.id, severity: 'out-of-order', description: 'Nozzle' }),
    ).toMatchObject({ status: 403, body: { code: 'PROBLEM_OUT_OF_ORDER_STAFF_ONLY' } });
    await admin.patch(`/api/machine-types/${printer?.id}`, { membersMayDeclareOutOfOrder: true });
    // A hard lock is for managers and up.
    for (const client of [lucia, viewer])
      expect(
        await report(client, {
          machineId: prusa.id,
          severity: 'out-of-order',
          description: 'x',
          hardLock: true,
        }),
      ).toMatchObject({ status: 403, body: { code: 'PROBLEM_HARD_LOCK_NOT_ALLOWED' } });
    // Any staff level may report; read-only sees every report and who made it.
    expect(
      (await report(viewer, { machineId: laser.id, severity: 'note', description: 'Fan noisy' })).status,
    ).toBe(201);
    const list = await viewer.get<Page<ProblemReportDto>>('/api/problems?state=open');
    expect(list.body.items.map((r) => [r.machineName, r.reporter?.name])).toEqual([
      ['Laser Trotec Speedy 400', 'Vera Viewer'],
      ['Trapano', 'Mario Rossi'],
    ]);
    // A member sees their own reports only, and not the staff list.
    expect((await lucia.get('/api/problems')).status).toBe(403);
    expect((await lucia.get(`/api/problems/${note.body.id}`)).status).toBe(404);
    expect((await mario.get<Page<ProblemReportDto>>('/api/me/problems')).body.items.map((r) => r.id)).toEqual(
      [note.body.id],
    );
  });

  it('puts the machine out of order at the board: members refused, staff in, sessions kept, emails sent', async () => {
    const prusa = await machine('1');
    const board = await lab.board('1');
    // Lucía used the Prusa lately but opted out of machine emails; Mario is using it now.
    expect(await reply(board.startuse(CARDS.lucia))).toMatchObject({ request_ok: true });
    expect(await reply(board.stopuse(CARDS.lucia, 60))).toMatchObject({ request_ok: true });
    expect(
      await lucia.patch<MemberNotificationsDto>('/api/me/notifications', { machineStatus: false }),
    ).toMatchObject({ status: 200, body: { machineStatus: false } });
    expect((await lucia.get<MemberNotificationsDto>('/api/me/notifications')).body).toEqual({
      machineStatus: false,
    });
    expect(await reply(board.startuse(CARDS.mario))).toMatchObject({ request_ok: true });

    const created = await report(lucia, {
      machineId: prusa.id,
      severity: 'out-of-order',
      description: 'The bed does not heat',
    });
    expect(created).toMatchObject({ status: 201, body: { severity: 'out-of-order', state: 'open' } });
    // The next checkmachine and taps see it.
    expect(await reply(board.checkmachine())).toMatchObject({
      is_valid: true,
      allowed: true,
      maintenance: true,
      description: OUT_OF_ORDER_DESCRIPTION,
    });
    expect(await reply(board.checkuser(CARDS.mario))).toMatchObject({ is_valid: false, level: 0 });
    await lab.settled();
    const refusal = await lab.dataSource
      .getRepository(AccessEvent)
      .findOne({ where: { machineId: prusa.id, action: 'checkuser' }, order: { id: 'DESC' } });
    expect(refusal).toMatchObject({ granted: false, reason: 'machine-out-of-order' });
    expect(await reply(board.checkuser(CARDS.staff))).toMatchObject({ is_valid: true, level: 2 });
    // Mario's session goes on and ends normally.
    expect(await reply(board.inuse(CARDS.mario, 120))).toMatchObject({ request_ok: true });
    expect(await reply(board.stopuse(CARDS.mario, 180))).toMatchObject({ request_ok: true });
    // A maintainer's long tap records maintenance as ever and resolves nothing.
    expect(await reply(board.maintenance(CARDS.staff))).toMatchObject({ request_ok: true });
    expect((await staff.get<ProblemReportDto>(`/api/problems/${created.body.id}`)).body.state).toBe('open');
    // The dashboard card shows it.
    const status = await staff.get<MachineStatusDto>(`/api/machines/${prusa.id}/status`);
    expect(status.body.outOfOrder).toMatchObject({
      reportId: created.body.id,
      description: 'The bed does not heat',
      hardLock: false,
    });
    expect(
      (await mario.get<ReportableMachineDto[]>('/api/me/reportable-machines')).body.find(
        (m) => m.name === 'Prusa MK4',
      )?.outOfOrder,
    ).toBe(true);
    // Staff hear of the report; the recent user of the machine of the outage; the opted-out one not.
    const [toStaff] = await mails('staff@example.org', 'Prusa MK4 reported out of order');
    expect(toStaff).toContain('The bed does not heat');
    expect(toStaff).toContain('Lucía Martínez');
    expect(await mails('mario@example.org', 'FabOMatic: Prusa MK4 is out of order')).toHaveLength(1);
    expect(await mails('lucia@example.org', 'fuori servizio', 0)).toEqual([]);
    // Who else may see or change it.
    expect((await mario.get(`/api/problems/${created.body.id}`)).status).toBe(404);
    expect(await mario.post(`/api/problems/${created.body.id}/cancel`)).toMatchObject({ status: 404 });
    expect(await staff.post(`/api/problems/${created.body.id}/cancel`)).toMatchObject({
      status: 403,
      body: { code: 'PROBLEM_NOT_REPORTER' },
    });
    for (const client of [lucia, viewer])
      expect(
        (await client.post(`/api/problems/${created.body.id}/resolve`, { resolution: 'done' })).status,
      ).toBe(403);
    expect((await viewer.patch(`/api/problems/${created.body.id}`, { hardLock: true })).status).toBe(403);
  });

  it('refuses everyone under a hard lock, staff too, and lifts it', async () => {
    const prusa = await machine('1');
    const board = await lab.board('1');
    const [open] = (await staff.get<Page<ProblemReportDto>>(`/api/problems?machineId=${prusa.id}&state=open`))
      .body.items;
    expect(await staff.patch(`/api/problems/${open?.id}`, { hardLock: true })).toMatchObject({
      status: 200,
      body: { hardLock: true },
    });
    expect(await reply(board.checkmachine())).toMatchObject({ is_valid: true, allowed: false });
    for (const card of [CARDS.staff, CARDS.admin])
      expect(await reply(board.checkuser(card))).toMatchObject({ is_valid: false, level: 0 });
    expect(
      (await staff.get<MachineStatusDto>(`/api/machines/${prusa.id}/status`)).body.outOfOrder?.hardLock,
    ).toBe(true);
    await staff.patch(`/api/problems/${open?.id}`, { hardLock: false });
    expect(await reply(board.checkmachine())).toMatchObject({ allowed: true, maintenance: true });
    expect(await reply(board.checkuser(CARDS.staff))).toMatchObject({ is_valid: true, level: 2 });
  });

  it('restores the machine when the report is resolved, tells the reporter and the recent users', async () => {
    const prusa = await machine('1');
    const board = await lab.board('1');
    const [open] = (await staff.get<Page<ProblemReportDto>>(`/api/problems?machineId=${prusa.id}&state=open`))
      .body.items;
    lab.clock.advance(2 * HOUR);
    expect(await staff.post(`/api/problems/${open?.id}/resolve`, { resolution: '  ' })).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED' },
    });
    const resolved = await staff.post<ProblemReportDto>(`/api/problems/${open?.id}/resolve`, {
      resolution: 'Replaced the thermistor',
    });
    expect(resolved).toMatchObject({
      status: 201,
      body: {
        state: 'resolved',
        resolution: 'Replaced the thermistor',
        resolvedBy: { name: 'Stefano Staff' },
      },
    });
    expect(await reply(board.checkmachine())).toMatchObject({
      allowed: true,
      maintenance: false,
      description: '',
    });
    expect(await reply(board.checkuser(CARDS.mario))).toMatchObject({ is_valid: true, level: 1 });
    expect(
      (await staff.get<MachineStatusDto>(`/api/machines/${prusa.id}/status`)).body.outOfOrder,
    ).toBeNull();
    expect(await staff.post(`/api/problems/${open?.id}/resolve`, { resolution: 'again' })).toMatchObject({
      status: 409,
      body: { code: 'PROBLEM_NOT_OPEN' },
    });
    // The reporter, in her language; Mario hears the machine is back; Lucía opted out of that.
    const [toReporter] = await mails('lucia@example.org', 'segnalazione su Prusa MK4 è stata risolta');
    expect(toReporter).toContain('Replaced the thermistor');
    expect(await mails('mario@example.org', 'Prusa MK4 is back in order')).toHaveLength(1);
    expect(await mails('lucia@example.org', 'di nuovo in servizio', 0)).toEqual([]);
    // Every state change is audited, and the outage is one interval linked to the report.
    const audit = await lab.dataSource
      .getRepository(AuditEntry)
      .find({ where: { entityType: 'problem-report', entityId: String(open?.id) }, order: { id: 'ASC' } });
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'update', 'resolve']);
    const outages = await lab.dataSource.getRepository(MachineOutage).findBy({ machineId: prusa.id });
    expect(outages).toHaveLength(1);
    const stored = await lab.dataSource.getRepository(ProblemReport).findOneByOrFail({ id: open?.id });
    expect(stored.outageId).toBe(outages[0]?.id);
    const lasted = (outages[0]?.endedAt?.getTime() ?? 0) - (outages[0]?.startedAt.getTime() ?? 0);
    expect(lasted - 2 * HOUR).toBeGreaterThanOrEqual(0);
    expect(lasted - 2 * HOUR).toBeLessThan(MINUTE);
  });

  it('lets the reporter cancel while open, no one else, and once', async () => {
    const prusa = await machine('1');
    const created = await report(lucia, {
      machineId: prusa.id,
      severity: 'out-of-order',
      description: 'Jammed',
    });
    expect(await reply((await lab.board('1')).checkmachine())).toMatchObject({ maintenance: true });
    lab.clock.advance(HOUR);
    expect(await lucia.post(`/api/problems/${created.body.id}/cancel`)).toMatchObject({
      status: 201,
      body: { state: 'cancelled', cancelledAt: expect.any(String) },
    });
    expect(await lucia.post(`/api/problems/${created.body.id}/cancel`)).toMatchObject({
      status: 409,
      body: { code: 'PROBLEM_NOT_OPEN' },
    });
    expect(await reply((await lab.board('1')).checkmachine())).toMatchObject({ maintenance: false });
  });

  it('reports downtime per machine and the median time to repair from the outages', async () => {
    const prusa = await machine('1');
    const now = lab.clock.now().getTime();
    const from = new Date(now - 10 * HOUR).toISOString();
    const to = new Date(now + HOUR).toISOString();
    const downtime = await viewer.get<DowntimeReportDto>(`/api/reports/downtime?from=${from}&to=${to}`);
    expect(downtime.status).toBe(200);
    // The clock runs on between requests: a few seconds over the hours it was moved.
    const near = (value: number | null | undefined, ms: number) => {
      expect(value ?? 0).toBeGreaterThanOrEqual(ms);
      expect(value ?? 0).toBeLessThan(ms + MINUTE);
    };
    const [row] = downtime.body.machines;
    expect(downtime.body.machines).toHaveLength(1);
    expect(row).toMatchObject({ machineId: prusa.id, machineName: 'Prusa MK4', outages: 2 });
    near(row?.downtimeMs, 3 * HOUR);
    near(row?.medianRepairMs, 1.5 * HOUR);
    near(downtime.body.medianRepairMs, 1.5 * HOUR);
    expect((await mario.get('/api/reports/downtime')).status).toBe(403);
  });

  it('keeps photos clean: checked by content, metadata stripped, shown to staff and the reporter only', async () => {
    const trapano = await machine('3');
    const png = await pngWithText('GPS 45.6983N 9.6773E');
    expect(png.includes(Buffer.from('45.6983N'))).toBe(true);
    const created = await report(
      lucia,
      { machineId: trapano.id, severity: 'note', description: 'Cracked guard' },
      { bytes: png, name: 'guard.png', type: 'image/png' },
    );
    expect(created).toMatchObject({ status: 201, body: { hasPhoto: true } });
    for (const client of [lucia, viewer]) {
      const photo = await fetch(`${lab.running.httpUrl}/api/problems/${created.body.id}/photo`, {
        headers: { cookie: client.cookie },
      });
      expect(photo.status).toBe(200);
      expect(photo.headers.get('content-type')).toBe('image/png');
      expect(photo.headers.get('cache-control')).toContain('no-store');
      const bytes = Buffer.from(await photo.arrayBuffer());
      expect(bytes.subarray(0, 4).toString('latin1')).toBe('\x89PNG');
      expect(bytes.includes(Buffer.from('45.6983N'))).toBe(false);
      expect((await sharp(bytes).metadata()).width).toBe(4);
    }
    const other = await fetch(`${lab.running.httpUrl}/api/problems/${created.body.id}/photo`, {
      headers: { cookie: mario.cookie },
    });
    expect(other.status).toBe(404);
    // A text file named .jpg is refused for what it is.
    expect(
      await report(
        lucia,
        { machineId: trapano.id, severity: 'note', description: 'Fake' },
        { bytes: Buffer.from('not an image at all, just text'), name: 'photo.jpg', type: 'image/jpeg' },
      ),
    ).toMatchObject({ status: 415, body: { code: 'PROBLEM_PHOTO_TYPE' } });
    // Over 5 MB: refused, nothing stored.
    const before = await lab.dataSource.getRepository(ProblemReport).count();
    const big = Buffer.alloc(PROBLEM_PHOTO_MAX_BYTES + 1024, 0xff);
    expect(
      await report(
        lucia,
        { machineId: trapano.id, severity: 'note', description: 'Big' },
        { bytes: big, name: 'big.jpg', type: 'image/jpeg' },
      ),
    ).toMatchObject({ status: 413, body: { code: 'PROBLEM_PHOTO_TOO_LARGE' } });
    expect(await lab.dataSource.getRepository(ProblemReport).count()).toBe(before);
  });

  it('tells staff dashboards live, never the socket of a member', async () => {
    const laser = await machine('012');
    const staffSocket = await liveSocket(lab.running.httpUrl, viewer.cookie);
    // A member's socket is refused outright: the members' portal has no live feed.
    await expect(liveSocket(lab.running.httpUrl, mario.cookie)).rejects.toThrow('UNAUTHENTICATED');
    try {
      const created = await report(lucia, {
        machineId: laser.id,
        severity: 'out-of-order',
        description: 'Tube broken',
      });
      expect(created.status).toBe(201);
      const named = (name: string) => staffSocket.events.filter((e) => e.name === name).map((e) => e.payload);
      const outOfOrderCard = () =>
        (named('machine-status') as LiveEventMap['machine-status'][]).some(
          (c) => c.machineId === laser.id && c.outOfOrder?.description === 'Tube broken',
        );
      // The dashboard card turns out of order (its status is read after the report's commit).
      for (let i = 0; i < 150 && !outOfOrderCard(); i++) await new Promise((r) => setTimeout(r, 20));
      expect(outOfOrderCard()).toBe(true);
      await lucia.post(`/api/problems/${created.body.id}/cancel`);
      for (let i = 0; i < 100 && named('problem-changed').length === 0; i++)
        await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 300));
      expect(named('problem-reported')).toEqual([
        {
          report: expect.objectContaining({
            id: created.body.id,
            reporter: { id: expect.any(Number), name: 'Lucía Martínez' },
          }),
        },
      ]);
      expect(named('problem-changed')).toEqual([
        { report: expect.objectContaining({ id: created.body.id, state: 'cancelled' }) },
      ]);
    } finally {
      staffSocket.socket.close();
    }
  });
});
