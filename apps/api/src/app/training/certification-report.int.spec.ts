import type {
  CertificationReportDto,
  RenewAuthorizationsResult,
  TrainingSessionDto,
} from '@fabomatic/contracts';
import { ApiClient } from '../../testing/api-client';
import { csvRows, download, xlsxRows } from '../../testing/exports';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { startTestApp, TEST_ADMIN, type TestApp, type TestDatabase } from '../../testing/test-app';
import { localDate } from '../jobs/lab-week';
import { AuditEntry } from '../audit/audit-entry.entity';
import { hashPassword } from '../auth/password-hashing';
import { AuthorizationChangeEntry } from '../authorizations/authorization-change.entity';
import { Authorization } from '../authorizations/authorization.entity';
import { MachineType } from '../machine-types/machine-type.entity';
import { Machine } from '../machines/machine.entity';
import { Member } from '../members/member.entity';
import { Role } from '../roles/role.entity';
import { Trainer } from './trainer.entity';

const PASSWORD = 'Tessera-Verde-2026';
const DAY = 86_400_000;

/**
 * Issue 15, the staff's certification tools: the report (expiring in 30/90 days, trainings per
 * month), the bulk renewal (all or nothing; trainers for their types only) and the export.
 */
describe.each<TestDatabase>(['sqlite', 'postgres'])(
  'certification report, renewal and export on %s',
  (database) => {
    let lab: TestApp;
    let admin: ApiClient;
    let lucia: ApiClient;
    let tom: ApiClient;
    const ids = { lucia: 0, mario: 0, tom: 0, printer: 0, handTools: 0, prusa: 0, laser: 0 };
    const auth = { marioPrusa: 0, marioLaser: 0, luciaPrusa: 0, staffPrusa: 0 };

    beforeAll(async () => {
      lab = await startTestApp({
        database,
        broker: 'embedded',
        seed: LAB_SEED,
        env: { LAB_TIME_ZONE: 'Europe/Rome' },
      });
      admin = await adminClient(lab);
      const source = lab.dataSource;
      const role = await source
        .getRepository(Role)
        .save(source.getRepository(Role).create({ name: 'Portal members', portalAccess: 'member' }));
      const hash = await hashPassword(PASSWORD);
      const members = source.getRepository(Member);
      await members.update(
        { name: 'Lucía' },
        { email: 'lucia@example.org', passwordHash: hash, roleId: role.id },
      );
      await members.update({ name: 'Mario' }, { email: 'mario@example.org', roleId: role.id });
      ids.tom = (
        await members.save(
          members.create({
            name: 'Tom',
            surname: 'Turner',
            email: 'tom@example.org',
            passwordHash: hash,
            roleId: role.id,
          }),
        )
      ).id;
      ids.lucia = (await members.findOneByOrFail({ name: 'Lucía' })).id;
      ids.mario = (await members.findOneByOrFail({ name: 'Mario' })).id;
      const staff = (await members.findOneByOrFail({ cardUid: CARDS.staff })).id;
      const types = source.getRepository(MachineType);
      ids.printer = (await types.findOneByOrFail({ name: 'Printer' })).id;
      ids.handTools = (await types.findOneByOrFail({ name: 'Hand tools' })).id;
      await types.update({ id: ids.printer }, { validityDays: 365, reminderDays: '30,7,1' });
      ids.prusa = (await source.getRepository(Machine).findOneByOrFail({ topicId: '1' })).id;
      ids.laser = (await source.getRepository(Machine).findOneByOrFail({ topicId: '012' })).id;
      const now = lab.clock.now().getTime();
      const authorizations = source.getRepository(Authorization);
      const set = async (memberId: number, machineId: number, days: number) => {
        const row = await authorizations.findOneByOrFail({ memberId, machineId });
        await authorizations.update(
          { id: row.id },
          { status: 'active', expiresAt: new Date(now + days * DAY) },
        );
        return row.id;
      };
      auth.marioPrusa = await set(ids.mario, ids.prusa, 10);
      auth.marioLaser = await set(ids.mario, ids.laser, 60);
      auth.luciaPrusa = await set(ids.lucia, ids.prusa, 120);
      // Staff are exempt: a date set on theirs does not make it expire.
      auth.staffPrusa = await set(staff, ids.prusa, 5);
      await source.getRepository(Trainer).save([
        {
          memberId: ids.lucia,
          machineTypeId: ids.printer,
          grantedAt: new Date(now),
          grantedById: null,
          revokedAt: null,
        },
        {
          memberId: ids.tom,
          machineTypeId: ids.handTools,
          grantedAt: new Date(now),
          grantedById: null,
          revokedAt: null,
        },
      ]);
      lucia = new ApiClient(lab.running.httpUrl);
      expect((await lucia.login('lucia@example.org', PASSWORD)).status).toBe(200);
      tom = new ApiClient(lab.running.httpUrl);
      expect((await tom.login('tom@example.org', PASSWORD)).status).toBe(200);
    });
    afterAll(() => lab?.stop());

    it('reports the authorizations expiring in 30 and 90 days, and the trainings held per month', async () => {
      const planned = await lucia.post<TrainingSessionDto>('/api/training-sessions', {
        machineTypeId: ids.printer,
        startsAt: new Date(lab.clock.now().getTime() + DAY).toISOString(),
        place: 'Laser room',
        capacity: 2,
        memberIds: [ids.tom],
      });
      expect(planned.status).toBe(201);
      expect(
        (
          await lucia.post(`/api/training-sessions/${planned.body.id}/outcomes`, {
            outcomes: [{ memberId: ids.tom, outcome: 'qualified' }],
            machineIds: [ids.prusa],
          })
        ).status,
      ).toBe(200);
      const report = await admin.get<CertificationReportDto>('/api/reports/certifications');
      expect(report.status).toBe(200);
      expect(report.body).toMatchObject({
        timeZone: 'Europe/Rome',
        within30: 1,
        within90: 2,
        counts: [{ machineTypeId: ids.printer, machineTypeName: 'Printer', within30: 1, within90: 2 }],
      });
      expect(report.body.expiring.map((e) => [e.id, e.memberName, e.machineName, e.cause])).toEqual([
        [auth.marioPrusa, 'Mario Rossi', 'Prusa MK4', 'validity'],
        [auth.marioLaser, 'Mario Rossi', 'Laser Trotec Speedy 400', 'validity'],
      ]);
      expect(report.body.trainings).toEqual([
        {
          month: localDate(lab.clock.now().getTime(), 'Europe/Rome').slice(0, 7),
          machineTypeId: ids.printer,
          machineTypeName: 'Printer',
          sessions: 1,
          qualified: 1,
        },
      ]);
      // A span without trainings; members are refused the report.
      const old = await admin.get<CertificationReportDto>(
        '/api/reports/certifications?from=2020-01-01&to=2020-12-31',
      );
      expect(old.body).toMatchObject({ from: '2020-01-01', to: '2020-12-31', trainings: [], within90: 2 });
      expect((await lucia.get('/api/reports/certifications')).status).toBe(403);
    });

    it('renews in bulk all or nothing: a trainer only within their types, never their own', async () => {
      const before = await lab.dataSource
        .getRepository(Authorization)
        .findOneByOrFail({ id: auth.marioPrusa });
      expect(await tom.post('/api/authorizations/renew', { ids: [auth.marioPrusa] })).toMatchObject({
        status: 403,
        body: { code: 'RENEWAL_REFUSED', params: { authorizations: 'Mario Rossi (Prusa MK4)' } },
      });
      expect(
        await lucia.post('/api/authorizations/renew', { ids: [auth.marioPrusa, auth.luciaPrusa] }),
      ).toMatchObject({
        status: 403,
        body: { code: 'RENEWAL_REFUSED', params: { authorizations: 'Lucía Martínez (Prusa MK4)' } },
      });
      expect(
        await lucia.post('/api/authorizations/renew', { ids: [auth.marioPrusa, 999_999] }),
      ).toMatchObject({
        status: 400,
      });
      expect(await lucia.post('/api/authorizations/renew', { ids: [] })).toMatchObject({ status: 400 });
      const unchanged = await lab.dataSource
        .getRepository(Authorization)
        .findOneByOrFail({ id: auth.marioPrusa });
      expect(unchanged.expiresAt).toEqual(before.expiresAt);

      const renewed = await lucia.post<RenewAuthorizationsResult>('/api/authorizations/renew', {
        ids: [auth.marioPrusa, auth.marioLaser],
      });
      expect(renewed).toMatchObject({ status: 200, body: { renewed: 2 } });
      const after = await lab.dataSource
        .getRepository(Authorization)
        .findOneByOrFail({ id: auth.marioPrusa });
      expect(after.grantedById).toBe(ids.lucia);
      expect(after.expiresAt!.getTime()).toBeGreaterThan(lab.clock.now().getTime() + 364 * DAY);
      const history = await lab.dataSource
        .getRepository(AuthorizationChangeEntry)
        .findBy({ authorizationId: auth.marioPrusa, change: 'renewed' });
      expect(history).toEqual([
        expect.objectContaining({ actorId: ids.lucia, fromStatus: 'active', toStatus: 'active' }),
      ]);
      const audit = await lab.dataSource
        .getRepository(AuditEntry)
        .findBy({ action: 'renew', entityType: 'authorization' });
      expect(audit.map((a) => a.entityId).sort()).toEqual(
        [String(auth.marioPrusa), String(auth.marioLaser)].sort(),
      );
      const report = await admin.get<CertificationReportDto>('/api/reports/certifications');
      expect(report.body.within90).toBe(0);

      // A suspended one cannot be renewed: nothing is, the error says why.
      await lab.dataSource
        .getRepository(Authorization)
        .update({ id: auth.marioLaser }, { status: 'suspended' });
      expect(
        await admin.post('/api/authorizations/renew', { ids: [auth.marioPrusa, auth.marioLaser] }),
      ).toMatchObject({
        status: 409,
        body: { code: 'AUTHORIZATION_TRANSITION_INVALID' },
      });
      expect(
        await lab.dataSource
          .getRepository(AuthorizationChangeEntry)
          .countBy({ authorizationId: auth.marioPrusa, change: 'renewed' }),
      ).toBe(1);
      // Managers everywhere, their own included.
      expect(await admin.post('/api/authorizations/renew', { ids: [auth.luciaPrusa] })).toMatchObject({
        status: 200,
        body: { renewed: 1 },
      });
    });

    it('exports every authorization with its state, grant, effective expiry and last use', async () => {
      const csv = await admin.get<string>('/api/authorizations/certifications/export?format=csv');
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toContain('text/csv');
      const rows = csvRows(csv.body);
      const total = await lab.dataSource.getRepository(Authorization).count();
      expect(rows).toHaveLength(total);
      const row = (id: number) => rows.find((r) => r['id'] === String(id));
      expect(row(auth.marioPrusa)).toMatchObject({
        member: 'Mario Rossi',
        machine: 'Prusa MK4',
        'machine type': 'Printer',
        state: 'active',
        'granted by': 'Lucía Martínez',
        'expiry cause': 'validity',
      });
      expect(row(auth.marioPrusa)?.['expires at']).not.toBe('');
      expect(row(auth.marioLaser)).toMatchObject({
        state: 'suspended',
        'expires at': '',
        'expiry cause': '',
      });
      expect(row(auth.staffPrusa)).toMatchObject({ state: 'active', 'expires at': '', 'expiry cause': '' });
      const xlsx = await download(
        lab.running.httpUrl,
        TEST_ADMIN,
        '/api/authorizations/certifications/export?format=xlsx',
      );
      expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
      const sheet = await xlsxRows(xlsx);
      expect(sheet[0]).toEqual([
        'id',
        'member id',
        'member',
        'machine',
        'machine type',
        'state',
        'granted at',
        'granted by',
        'expires at',
        'expiry cause',
        'last used at',
      ]);
      expect(sheet).toHaveLength(total + 1);
      expect((await lucia.get('/api/authorizations/certifications/export')).status).toBe(403);
    });
  },
);
