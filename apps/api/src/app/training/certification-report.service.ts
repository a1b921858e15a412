import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type {
  AuthorizationState,
  CertificationReportDto,
  ExpiryCause,
  RenewAuthorizationsResult,
} from '@fabomatic/contracts';
import type { Response } from 'express';
import { In } from 'typeorm';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { PortalReads } from '../../core/database/portal-reads';
import { ms } from '../../core/database/sql';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { ApiError, invalidField } from '../../core/http/api-error';
import { type ExportColumn, ExportStreams, keysetQuery, rawRows } from '../../core/http/export';
import { Clock } from '../../core/time/clock';
import { AuditService } from '../audit/audit.service';
import type { SessionUser } from '../auth/session-user';
import { Authorization } from '../authorizations/authorization.entity';
import {
  certificationState,
  effectiveExpiry,
  localDay,
  mayManage,
  startOfLocalDay,
} from '../authorizations/certification';
import { applyLifecycle, policyOf } from '../authorizations/certification-store';
import { localDate } from '../jobs/lab-week';
import { fullName } from '../usage/activity-query';
import type { CertificationExportQueryDto, CertificationReportQueryDto } from './certification-report.dto';
import { expiringAuthorizations } from './expiring-authorizations';
import { trainingActor } from './training-access';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** One row of the certification export. */
export interface CertificationExportRow {
  readonly id: number;
  readonly memberId: number;
  readonly memberName: string;
  readonly machineName: string;
  readonly machineTypeName: string | null;
  readonly state: AuthorizationState;
  readonly grantedAt: Date | null;
  readonly grantedBy: string | null;
  readonly expiresAt: Date | null;
  readonly expiryCause: ExpiryCause | null;
  readonly lastUsedAt: Date | null;
}

const EXPORT_COLUMNS: readonly ExportColumn<CertificationExportRow>[] = [
  { header: 'id', value: (r) => r.id },
  { header: 'member id', value: (r) => r.memberId },
  { header: 'member', value: (r) => r.memberName },
  { header: 'machine', value: (r) => r.machineName },
  { header: 'machine type', value: (r) => r.machineTypeName },
  { header: 'state', value: (r) => r.state },
  { header: 'granted at', value: (r) => r.grantedAt },
  { header: 'granted by', value: (r) => r.grantedBy },
  { header: 'expires at', value: (r) => r.expiresAt },
  { header: 'expiry cause', value: (r) => r.expiryCause },
  { header: 'last used at', value: (r) => r.lastUsedAt },
];

interface ExportRaw extends Record<string, unknown> {
  id: number;
  memberId: number;
  name: string;
  surname: string;
  machineName: string;
  typeName: string | null;
  status: Authorization['status'];
  expiresAt: string | number | null;
  grantedAt: string | number | null;
  lastUsedAt: string | number | null;
  validityDays: number | null;
  decayDays: number | null;
  reminderDays: string | null;
  authorizeAll: boolean | number;
  maintenance: boolean | number;
  grantorName: string | null;
  grantorSurname: string | null;
}

/**
 * The staff's certification tools (issue 15): the report (authorizations expiring in the next 30 and
 * 90 days, trainings held per month), the bulk renewal and the export with each authorization's state.
 */
@Injectable()
export class CertificationReportService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'LAB_TIME_ZONE'>,
    private readonly reads: PortalReads,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditService,
    private readonly exports: ExportStreams,
    private readonly clock: Clock,
  ) {}

  async report(query: CertificationReportQueryDto): Promise<CertificationReportDto> {
    const tz = this.config.LAB_TIME_ZONE;
    const now = this.clock.now().getTime();
    const today = localDay(tz, now);
    const dayOf = (value: string) =>
      DATE_ONLY.test(value) ? Math.floor(Date.parse(value) / 86_400_000) : localDay(tz, Date.parse(value));
    const toDay = query.to ? dayOf(query.to) : today;
    const fromDay = query.from
      ? dayOf(query.from)
      : (() => {
          // The first day of the month eleven months back: twelve whole months with this one.
          const d = new Date(toDay * 86_400_000);
          return Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 11, 1) / 86_400_000);
        })();
    if (fromDay > toDay) throw invalidField('from', 'must not be after to');
    const expiring = await expiringAuthorizations(this.reads, tz, now, 90);
    const counts = new Map<
      number,
      { machineTypeId: number; machineTypeName: string; within30: number; within90: number }
    >();
    for (const a of expiring) {
      const c = counts.get(a.machineTypeId) ?? {
        machineTypeId: a.machineTypeId,
        machineTypeName: a.machineTypeName,
        within30: 0,
        within90: 0,
      };
      c.within90++;
      if (a.daysLeft < 30) c.within30++;
      counts.set(a.machineTypeId, c);
    }
    const sessions = await this.reads.all<{
      completedAt: string | number;
      machineTypeId: number;
      machineTypeName: string;
      qualified: string | number;
    }>(
      `SELECT s."completedAt", s."machineTypeId", t."name" AS "machineTypeName",
              (SELECT COUNT(*) FROM "training_attendees" x
               WHERE x."sessionId" = s."id" AND x."outcome" = 'qualified') AS "qualified"
       FROM "training_sessions" s JOIN "machine_types" t ON t."id" = s."machineTypeId"
       WHERE s."completedAt" >= ? AND s."completedAt" < ?`,
      [startOfLocalDay(tz, fromDay), startOfLocalDay(tz, toDay + 1)],
    );
    const months = new Map<
      string,
      { month: string; machineTypeId: number; machineTypeName: string; sessions: number; qualified: number }
    >();
    for (const s of sessions) {
      const month = localDate(ms(s.completedAt) ?? 0, tz).slice(0, 7);
      const key = `${month}/${s.machineTypeId}`;
      const m = months.get(key) ?? {
        month,
        machineTypeId: Number(s.machineTypeId),
        machineTypeName: s.machineTypeName,
        sessions: 0,
        qualified: 0,
      };
      m.sessions++;
      m.qualified += Number(s.qualified);
      months.set(key, m);
    }
    const iso = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
    return {
      timeZone: tz,
      from: iso(fromDay),
      to: iso(toDay),
      within30: expiring.filter((a) => a.daysLeft < 30).length,
      within90: expiring.length,
      counts: [...counts.values()].sort((a, b) => a.machineTypeName.localeCompare(b.machineTypeName)),
      expiring: expiring.map((a) => ({
        id: a.id,
        memberId: a.memberId,
        memberName: a.memberName,
        machineId: a.machineId,
        machineName: a.machineName,
        machineTypeId: a.machineTypeId,
        machineTypeName: a.machineTypeName,
        expiresAt: new Date(a.expiresAt).toISOString(),
        lastDay: localDate(a.expiresAt - 1, tz),
        cause: a.cause,
        daysLeft: a.daysLeft,
      })),
      trainings: [...months.values()].sort(
        (a, b) => a.month.localeCompare(b.month) || a.machineTypeName.localeCompare(b.machineTypeName),
      ),
    };
  }

  /**
   * Renews every listed authorization, or none: managers and admins everywhere, trainers for the
   * machine types they train only (never their own). Each renewal restarts the validity and the
   * decay, leaves its history row and an audit entry; the boards hear of it once committed.
   */
  async renew(user: SessionUser, ids: readonly number[]): Promise<RenewAuthorizationsResult> {
    const unique = [...new Set(ids)];
    return this.uow.run(async (em, events) => {
      const found = await em.find(Authorization, {
        where: { id: In(unique) },
        relations: { member: true, machine: true },
      });
      const missing = unique.filter((id) => !found.some((a) => a.id === id));
      if (missing.length > 0) throw invalidField('ids', `no authorization has the id ${missing.join(', ')}`);
      const actor = await trainingActor(em, user);
      const refused = found.filter((a) => !mayManage(actor, a.memberId, a.machine?.typeId ?? null));
      if (refused.length > 0) {
        const names = refused
          .map((a) => `${a.member ? fullName(a.member) : a.memberId} (${a.machine?.name ?? a.machineId})`)
          .join(', ');
        throw new ApiError(
          HttpStatus.FORBIDDEN,
          'RENEWAL_REFUSED',
          `nothing renewed: you may not renew ${names}`,
          undefined,
          { authorizations: names },
        );
      }
      const context = { actorId: user.id, now: this.clock.now(), timeZone: this.config.LAB_TIME_ZONE };
      for (const authorization of found) {
        const { member: _member, machine: _machine, ...before } = authorization;
        const renewed = await applyLifecycle(em, authorization, 'renew', context);
        const { member: _m, machine: _mc, ...after } = renewed;
        await this.audit.record(em, user, 'renew', 'authorization', authorization.id, before, after);
        events.publish('authorization-changed', {
          memberId: authorization.memberId,
          machineId: authorization.machineId,
        });
      }
      return { renewed: found.length };
    });
  }

  async export(query: CertificationExportQueryDto, response: Response): Promise<void> {
    const tz = this.config.LAB_TIME_ZONE;
    const now = this.clock.now().getTime();
    const rows = keysetQuery(
      () =>
        this.reads.manager
          .createQueryBuilder(Authorization, 'a')
          .innerJoin('a.member', 'mb')
          .innerJoin('roles', 'r', 'r.id = mb."roleId"')
          .innerJoin('a.machine', 'mc')
          .leftJoin('machine_types', 't', 't.id = mc."typeId"')
          .leftJoin('members', 'g', 'g.id = a."grantedById"')
          .select('a.id', 'id')
          .addSelect('a."memberId"', 'memberId')
          .addSelect('mb.name', 'name')
          .addSelect('mb.surname', 'surname')
          .addSelect('mc.name', 'machineName')
          .addSelect('t.name', 'typeName')
          .addSelect('a.status', 'status')
          .addSelect('a."expiresAt"', 'expiresAt')
          .addSelect('a."grantedAt"', 'grantedAt')
          .addSelect('a."lastUsedAt"', 'lastUsedAt')
          .addSelect('t."validityDays"', 'validityDays')
          .addSelect('t."decayDays"', 'decayDays')
          .addSelect('t."reminderDays"', 'reminderDays')
          .addSelect('r."authorizeAll"', 'authorizeAll')
          .addSelect('r.maintenance', 'maintenance')
          .addSelect('g.name', 'grantorName')
          .addSelect('g.surname', 'grantorSurname')
          .where('mb."deletedAt" IS NULL'),
      { keys: ['mb.name', 'mc.name'], id: 'a.id', direction: 'ASC' },
      this.exports.chunkRows,
      async (qb) => {
        const { raw } = await rawRows<ExportRaw>(qb);
        return { raw, rows: raw.map((r) => exportRow(r, tz, now)) };
      },
    );
    await this.exports.send(response, query.format ?? 'csv', 'certifications', EXPORT_COLUMNS, rows);
  }
}

function exportRow(r: ExportRaw, timeZone: string, now: number): CertificationExportRow {
  const facts = {
    status: r.status,
    expiresAt: ms(r.expiresAt),
    grantedAt: ms(r.grantedAt),
    lastUsedAt: ms(r.lastUsedAt),
    exempt: Boolean(r.authorizeAll) || Boolean(r.maintenance),
  };
  const policy = r.reminderDays === null ? policyOf(null) : policyOf({ ...r, reminderDays: r.reminderDays });
  const expiry = facts.status === 'active' ? effectiveExpiry(facts, policy, timeZone) : null;
  const date = (value: number | null) => (value === null ? null : new Date(value));
  return {
    id: Number(r.id),
    memberId: Number(r.memberId),
    memberName: fullName({ name: r.name, surname: r.surname }),
    machineName: r.machineName,
    machineTypeName: r.typeName,
    state: certificationState(facts, policy, timeZone, now),
    grantedAt: date(facts.grantedAt),
    grantedBy:
      r.grantorName === null ? null : fullName({ name: r.grantorName, surname: r.grantorSurname ?? '' }),
    expiresAt: date(expiry?.at ?? null),
    expiryCause: expiry?.cause ?? null,
    lastUsedAt: date(facts.lastUsedAt),
  };
}
