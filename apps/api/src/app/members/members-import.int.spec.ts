import type { QueryResult } from '@fabomatic/board-sim';
import {
  CSRF_HEADER,
  CSRF_HEADER_VALUE,
  MAX_MEMBER_IMPORT_ROWS,
  type MemberDto,
  type MemberImportResult,
  type Page,
  type RoleDto,
} from '@fabomatic/contracts';
import { ApiClient } from '../../testing/api-client';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { startTestApp, type TestApp, type TestDatabase } from '../../testing/test-app';
import { AuditEntry } from '../audit/audit-entry.entity';
import { hashPassword } from '../auth/password-hashing';
import { Member } from './member.entity';

const PASSWORD = 'Tessera-Verde-2026';
const BOM = '\uFEFF';

interface Answer<T = MemberImportResult> {
  readonly status: number;
  readonly body: T;
}

/** Posts a CSV file as the portal does: the file's bytes as `text/csv`, with the CSRF header. */
async function upload(
  lab: TestApp,
  client: ApiClient | null,
  file: string | Buffer,
  query = '',
  contentType = 'text/csv',
): Promise<Answer> {
  const response = await fetch(`${lab.running.httpUrl}/api/members/import${query}`, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      [CSRF_HEADER]: CSRF_HEADER_VALUE,
      ...(client ? { cookie: client.cookie } : {}),
    },
    body: typeof file === 'string' ? file : new Uint8Array(file),
  });
  return { status: response.status, body: (await response.json()) as MemberImportResult };
}

async function reply(result: Promise<QueryResult>): Promise<Record<string, unknown>> {
  const r = await result;
  if (r.status !== 'reply' || r.reply === null) throw new Error(`expected a reply, got ${JSON.stringify(r)}`);
  return r.reply;
}

async function signIn(lab: TestApp, email: string): Promise<ApiClient> {
  const client = new ApiClient(lab.running.httpUrl);
  const login = await client.login(email, PASSWORD);
  if (login.status !== 200) throw new Error(`login of ${email} failed: ${JSON.stringify(login.body)}`);
  return client;
}

/** The lab, with a manager (Stefano, staff@example.org) who can sign in. */
async function startLab(
  database: TestDatabase,
): Promise<{ lab: TestApp; admin: ApiClient; manager: ApiClient }> {
  const lab = await startTestApp({ database, broker: 'embedded', seed: LAB_SEED });
  const admin = await adminClient(lab);
  await lab.dataSource
    .getRepository(Member)
    .update({ email: 'staff@example.org' }, { passwordHash: await hashPassword(PASSWORD) });
  return { lab, admin, manager: await signIn(lab, 'staff@example.org') };
}

/** Members and audit entries: what an import must leave alone when it fails. */
async function counts(lab: TestApp): Promise<[number, number]> {
  return [
    await lab.dataSource.getRepository(Member).count(),
    await lab.dataSource.getRepository(AuditEntry).count(),
  ];
}

/** Writes on both databases: the rows go in one transaction, or none do. */
describe.each<TestDatabase>(['sqlite', 'postgres'])('members CSV import on %s', (database) => {
  let lab: TestApp;
  let manager: ApiClient;

  beforeAll(async () => {
    ({ lab, manager } = await startLab(database));
  });
  afterAll(() => lab?.stop());

  it('imports an Italian Excel file (BOM, `;`, CRLF, quotes) after a preview that writes nothing', async () => {
    const file =
      BOM +
      [
        'Nome;name;Surname;EMAIL;Card;Role;Disabled;Weekly_Summary;Language',
        // Quoted: a `;` and a `,` inside values, an escaped quote, accents.
        ';"Niccolò";"D\'Angelo; jr, ""Nico""";Niccolo.DAngelo@Example.org; 0A1B2C3D ;fab users;no;sì;IT',
        ';Zoë;Müller;;04A1B2C3D4E5F6;Fab Users;;;',
      ].join('\r\n') +
      '\r\n';
    // `Nome` is no column of ours: refused, nothing created.
    const wrongHeader = await upload(lab, manager, file, '?dryRun=true');
    expect(wrongHeader).toMatchObject({
      status: 200,
      body: { rows: 2, created: 0, problems: [{ row: 1, column: 'Nome', code: 'UNKNOWN_COLUMN' }] },
    });

    const good = file.replace('Nome;', 'id;');
    const before = await counts(lab);
    const board = await lab.board('3');
    expect(await reply(board.checkuser('0a1b2c3d'))).toMatchObject({ is_valid: false });
    expect(await upload(lab, manager, good, '?dryRun=true')).toEqual({
      status: 200,
      body: { dryRun: true, rows: 2, created: 0, problems: [], problemsNotListed: 0 },
    });
    expect(await counts(lab)).toEqual(before);

    expect(await upload(lab, manager, good)).toEqual({
      status: 200,
      body: { dryRun: false, rows: 2, created: 2, problems: [], problemsNotListed: 0 },
    });
    const niccolo = await lab.dataSource.getRepository(Member).findOneByOrFail({ name: 'Niccolò' });
    expect(niccolo).toMatchObject({
      surname: 'D\'Angelo; jr, "Nico"',
      email: 'niccolo.dangelo@example.org',
      cardUid: '0a1b2c3d',
      disabled: false,
      receiveWeeklySummary: true,
      language: 'it',
      passwordHash: null,
      deletedAt: null,
    });
    const zoe = await lab.dataSource.getRepository(Member).findOneByOrFail({ name: 'Zoë' });
    expect(zoe).toMatchObject({ surname: 'Müller', email: null, cardUid: '04a1b2c3d4e5f6', language: 'en' });
    // Each creation audited as the manager's, as the member form does.
    const audit = await lab.dataSource.getRepository(AuditEntry).findBy({
      entityType: 'member',
      entityId: String(niccolo.id),
    });
    expect(audit).toMatchObject([
      {
        action: 'create',
        actorLabel: 'staff@example.org',
        before: null,
        after: {
          id: niccolo.id,
          name: 'Niccolò',
          cardUid: '0a1b2c3d',
          createdAt: niccolo.createdAt.toISOString(),
        },
      },
    ]);
    expect(await lab.dataSource.getRepository(AuditEntry).count()).toBe(before[1] + 2);
    // The boards know the new cards at once (open machine: any known member may use it).
    expect(await reply(board.checkuser('0a1b2c3d'))).toMatchObject({ is_valid: true });
    const found = await manager.get<Page<MemberDto>>('/api/members?q=m%C3%BCller');
    expect(found.body.items.map((m) => [m.name, m.roleName])).toEqual([['Zoë', 'Fab Users']]);

    // The same file again: every email and card is taken now, and nothing is written.
    const again = await upload(lab, manager, good);
    expect(again.body).toMatchObject({
      created: 0,
      problems: [
        { row: 2, column: 'email', code: 'EMAIL_TAKEN', value: 'niccolo.dangelo@example.org' },
        { row: 2, column: 'card', code: 'CARD_TAKEN', value: '0a1b2c3d' },
        { row: 3, column: 'card', code: 'CARD_TAKEN', value: '04a1b2c3d4e5f6' },
      ],
    });
    expect(await lab.dataSource.getRepository(Member).count()).toBe(before[0] + 2);
  });

  it('writes nothing when two rows are wrong, and reports both at their spreadsheet row', async () => {
    const before = await counts(lab);
    const file = [
      'name,surname,email,card,role',
      'Anna,Verdi,anna@example.org,,Fab Users',
      '', // a blank line is a blank spreadsheet row: skipped, but counted
      'Bruno,Neri,not-an-email,,Fab Users',
      'Carla,Bassi,,XYZ,Fab Users',
      'Dario,Gallo,,,Fab Users',
    ].join('\n');
    expect(await upload(lab, manager, file)).toEqual({
      status: 200,
      body: {
        dryRun: false,
        rows: 4,
        created: 0,
        problems: [
          { row: 4, column: 'email', code: 'INVALID_EMAIL', value: 'not-an-email' },
          { row: 5, column: 'card', code: 'INVALID_CARD', value: 'XYZ' },
        ],
        problemsNotListed: 0,
      },
    });
    expect(await counts(lab)).toEqual(before);
    expect(await lab.dataSource.getRepository(Member).countBy({ name: 'Anna' })).toBe(0);
  });
});

describe('members CSV import: checks and refusals', () => {
  let lab: TestApp;
  let admin: ApiClient;
  let manager: ApiClient;
  let viewer: ApiClient;

  beforeAll(async () => {
    ({ lab, admin, manager } = await startLab('sqlite'));
    const role = await admin.post<RoleDto>('/api/roles', {
      name: 'Viewers',
      authorizeAll: false,
      maintenance: false,
      portalAccess: 'read-only',
    });
    const member = await admin.post<MemberDto>('/api/members', {
      name: 'Vera',
      email: 'viewer@example.org',
      roleId: role.body.id,
    });
    await lab.dataSource
      .getRepository(Member)
      .update({ id: member.body.id }, { passwordHash: await hashPassword(PASSWORD) });
    viewer = await signIn(lab, 'viewer@example.org');
  });
  afterAll(() => lab?.stop());

  it('needs a session and manager level', async () => {
    const file = 'name,role\nOlga,Fab Users\n';
    expect(await upload(lab, null, file)).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
    expect(await upload(lab, viewer, file)).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect(await lab.dataSource.getRepository(Member).countBy({ name: 'Olga' })).toBe(0);
  });

  it('reports duplicates within the file, against existing members, and among deleted ones', async () => {
    const deleted = await manager.post<MemberDto>('/api/members', {
      name: 'Gone',
      email: 'gone@example.org',
      roleId: (await roleId(admin, 'Fab Users')) ?? 0,
    });
    expect((await manager.delete(`/api/members/${deleted.body.id}`)).status).toBe(200);
    const file = [
      'name,email,card,role',
      'Elena,elena@example.org,CAFE0001,Fab Users',
      'Elena bis,ELENA@example.org,cafe0001,Fab Users',
      'Ada again,admin@example.org,,Fab Users',
      `Card thief,,${CARDS.mario.toUpperCase()},Fab Users`,
      'Ghost,Gone@Example.org,,Fab Users',
      'Elena ter,elena@example.org,,Fab Users',
    ].join('\n');
    const answer = await upload(lab, manager, file, '?dryRun=true');
    expect(answer.body.problems).toEqual([
      { row: 3, column: 'email', code: 'DUPLICATE_EMAIL', value: 'elena@example.org', otherRow: 2 },
      { row: 3, column: 'card', code: 'DUPLICATE_CARD', value: 'cafe0001', otherRow: 2 },
      { row: 4, column: 'email', code: 'EMAIL_TAKEN', value: 'admin@example.org' },
      { row: 5, column: 'card', code: 'CARD_TAKEN', value: CARDS.mario },
      { row: 6, column: 'email', code: 'EMAIL_OF_DELETED_MEMBER', value: 'gone@example.org' },
      { row: 7, column: 'email', code: 'DUPLICATE_EMAIL', value: 'elena@example.org', otherRow: 2 },
    ]);
  });

  it('checks roles: by name in any case, unknown, missing, a default role, and only admins give privileged ones', async () => {
    const file = ['name,role', 'Fabio,FAB USERS', 'Gina,Wizards', 'Ugo,', 'Sandro,Fab Staff'].join('\n');
    expect((await upload(lab, manager, file, '?dryRun=true')).body.problems).toEqual([
      { row: 3, column: 'role', code: 'UNKNOWN_ROLE', value: 'Wizards' },
      { row: 4, column: 'role', code: 'REQUIRED' },
      { row: 5, column: 'role', code: 'ROLE_NOT_ALLOWED', value: 'Fab Staff' },
    ]);
    // An admin may give manager access; an empty role takes the default.
    expect(
      (
        await upload(
          lab,
          admin,
          file.replace('Gina,Wizards', 'Gina,Admins'),
          '?dryRun=true&defaultRole=Fab%20Users',
        )
      ).body,
    ).toMatchObject({ rows: 4, problems: [] });
    // No role column: one problem on the header, unless there is a default role.
    expect((await upload(lab, manager, 'name\nIvo\nLea\n', '?dryRun=true')).body.problems).toEqual([
      { row: 1, column: 'role', code: 'MISSING_COLUMN' },
    ]);
    expect(await upload(lab, manager, 'name\nIvo\nLea\n', '?defaultRole=fab%20users')).toMatchObject({
      status: 200,
      body: { created: 2 },
    });
    const ivo = await lab.dataSource.getRepository(Member).findOneByOrFail({ name: 'Ivo' });
    expect(ivo.roleId).toBe(await roleId(admin, 'Fab Users'));
    expect(await upload(lab, manager, 'name\nMia\n', '?defaultRole=Wizards')).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED', fields: { defaultRole: ['no role has this name'] } },
    });
    expect(await upload(lab, manager, 'name\nMia\n', '?defaultRole=Admins')).toMatchObject({
      status: 403,
      body: { code: 'FORBIDDEN' },
    });
    expect((await upload(lab, manager, 'name\nMia\n', '?dryRun=maybe')).status).toBe(400);
  });

  it('checks every value with the rules of the member form', async () => {
    const long = 'x'.repeat(101);
    const file = [
      'name,surname,email,card,role,disabled,weekly summary,language,,',
      `,${long},a@b,1234567,Fab Users,perhaps,yes,fr,,`,
      `${long},,,,Fab Users,1,0,en,,surplus`,
      '   ,,,,Fab Users,,,,',
    ].join('\n');
    expect((await upload(lab, manager, file, '?dryRun=true')).body.problems).toEqual([
      { row: 2, column: 'name', code: 'REQUIRED' },
      { row: 2, column: 'surname', code: 'TOO_LONG', value: `${'x'.repeat(100)}…` },
      { row: 2, column: 'email', code: 'INVALID_EMAIL', value: 'a@b' },
      { row: 2, column: 'card', code: 'INVALID_CARD', value: '1234567' },
      { row: 2, column: 'disabled', code: 'INVALID_YES_NO', value: 'perhaps' },
      { row: 2, column: 'language', code: 'INVALID_LANGUAGE', value: 'fr' },
      { row: 3, column: null, code: 'TOO_MANY_VALUES' },
      { row: 3, column: 'name', code: 'TOO_LONG', value: `${'x'.repeat(100)}…` },
      { row: 4, column: 'name', code: 'REQUIRED' },
    ]);
    // Header problems: a column twice, no name column.
    expect(
      (await upload(lab, manager, 'surname,Surname,role\nRossi,Rossi,Fab Users\n', '?dryRun=true')).body
        .problems,
    ).toEqual([
      { row: 1, column: 'name', code: 'MISSING_COLUMN' },
      { row: 1, column: 'surname', code: 'DUPLICATE_COLUMN', value: 'Surname' },
    ]);
  });

  it('imports again what the members export gives, once emails and cards are changed', async () => {
    const exported = await manager.get<string>('/api/members/export?format=csv&q=rossi');
    expect(exported.body).toContain('portal access');
    const answer = await upload(lab, manager, exported.body, '?dryRun=true');
    // Only the clash with Mario himself: every export column is understood.
    expect(answer.body).toMatchObject({
      rows: 1,
      problems: [{ row: 2, column: 'card', code: 'CARD_TAKEN' }],
    });
  });

  it("reads a file that is not UTF-8 as Windows-1252 (Excel's plain CSV)", async () => {
    const file = Buffer.from('name;surname;role\r\nFrançois;Lefèvre;Fab Users\r\n', 'latin1');
    expect(await upload(lab, manager, file)).toMatchObject({ status: 200, body: { created: 1 } });
    expect(await lab.dataSource.getRepository(Member).findOneByOrFail({ name: 'François' })).toMatchObject({
      surname: 'Lefèvre',
    });
  });

  it('refuses what is not a CSV of members: binary, empty, header only, unreadable, not text/csv', async () => {
    const before = await counts(lab);
    // An XLSX (a zip) uploaded by mistake.
    const xlsx = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00]);
    expect(await upload(lab, manager, xlsx)).toMatchObject({ status: 400, body: { code: 'CSV_INVALID' } });
    expect(await upload(lab, manager, Buffer.from([0x01, 0x02, 0xff, 0x7f, 0x1b]))).toMatchObject({
      status: 400,
      body: { code: 'CSV_INVALID' },
    });
    expect(await upload(lab, manager, 'name,role\n"Unclosed,Fab Users\n')).toMatchObject({
      status: 400,
      body: { code: 'CSV_INVALID' },
    });
    expect(await upload(lab, manager, '')).toMatchObject({ status: 400, body: { code: 'CSV_NO_ROWS' } });
    expect(await upload(lab, manager, `${BOM}name;role\r\n;\r\n`)).toMatchObject({
      status: 400,
      body: { code: 'CSV_NO_ROWS' },
    });
    expect(await upload(lab, manager, '{"name":"Json"}', '', 'application/json')).toMatchObject({
      status: 415,
      body: { code: 'CSV_INVALID' },
    });
    expect(await counts(lab)).toEqual(before);
  });

  it(`refuses a file over 2 MB and more than ${MAX_MEMBER_IMPORT_ROWS} rows, and imports that many`, async () => {
    const big = `name,surname,role\n${`Bob,${'y'.repeat(90)},Fab Users\n`.repeat(25_000)}`;
    expect(Buffer.byteLength(big)).toBeGreaterThan(2 * 1024 * 1024);
    expect(await upload(lab, manager, big)).toMatchObject({
      status: 413,
      body: { code: 'PAYLOAD_TOO_LARGE' },
    });
    const rows = (n: number) =>
      `name,card,role\n${Array.from({ length: n }, (_, i) => `Bulk ${i},${(0xb0000000 + i).toString(16)},Fab Users`).join('\n')}`;
    expect(await upload(lab, manager, rows(MAX_MEMBER_IMPORT_ROWS + 1), '?dryRun=true')).toMatchObject({
      status: 413,
      body: { code: 'CSV_TOO_MANY_ROWS' },
    });
    expect(await upload(lab, manager, rows(MAX_MEMBER_IMPORT_ROWS))).toMatchObject({
      status: 200,
      body: { created: MAX_MEMBER_IMPORT_ROWS, problems: [] },
    });
    expect(await lab.dataSource.getRepository(Member).findOneByOrFail({ name: 'Bulk 4999' })).toMatchObject({
      cardUid: 'b0001387',
    });
  });

  it('lists at most 500 problems and counts the others', async () => {
    const file = `name,role\n${'Nobody,Wizards\n'.repeat(600)}`;
    const answer = await upload(lab, manager, file, '?dryRun=true');
    expect(answer.body).toMatchObject({ rows: 600, problemsNotListed: 100 });
    expect(answer.body.problems).toHaveLength(500);
    expect(answer.body.problems.at(-1)).toEqual({
      row: 501,
      column: 'role',
      code: 'UNKNOWN_ROLE',
      value: 'Wizards',
    });
  });
});

async function roleId(client: ApiClient, name: string): Promise<number | undefined> {
  const roles = await client.get<Page<RoleDto>>('/api/roles?pageSize=100');
  return roles.body.items.find((r) => r.name === name)?.id;
}
