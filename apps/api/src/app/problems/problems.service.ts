import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import {
  type AccessManagement,
  type DowntimeReportDto,
  type MachineDowntimeDto,
  type MemberNotificationsDto,
  type Page,
  type ProblemReportDto,
  type ReportableMachineDto,
  hasAccess,
  type StoredAuthorizationState,
} from '@fabomatic/contracts';
import type { Response } from 'express';
import { type EntityManager, IsNull } from 'typeorm';
import { PortalReads } from '../../core/database/portal-reads';
import { ms } from '../../core/database/sql';
import { UnitOfWork } from '../../core/database/unit-of-work';
import type { PendingEvents } from '../../core/events/domain-events';
import { ApiError, invalidField, notFound } from '../../core/http/api-error';
import { Clock } from '../../core/time/clock';
import { decideAccess } from '../access-events/access-policy';
import { AuditService } from '../audit/audit.service';
import type { SessionUser } from '../auth/session-user';
import { findCardHolder, findGrant, findMachineById, type CardHolder } from '../boards/board-directory';
import { policyOf } from '../authorizations/certification-store';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { Machine } from '../machines/machine.entity';
import { Member } from '../members/member.entity';
import { MachineOutage } from './machine-outage.entity';
import type { ProblemMailFacts } from './problem-emails';
import { ProblemNotifier } from './problem-notifier';
import { cleanPhoto } from './problem-photo';
import { ProblemPhoto } from './problem-photo.entity';
import { ProblemReport } from './problem-report.entity';
import type { DowntimeQueryDto, ProblemListQueryDto, ProblemReportInputDto } from './problem.dto';

/** Who asks: the signed-in user. */
type Viewer = Pick<SessionUser, 'id' | 'email' | 'access'>;

const isStaff = (viewer: Viewer) => hasAccess(viewer.access, 'read-only');
const isManager = (viewer: Viewer) => hasAccess(viewer.access, 'manager');
const fullName = (m: Pick<Member, 'name' | 'surname'>) => `${m.name} ${m.surname}`.trim();
const DAY_MS = 86_400_000;

/** What a change of the machine's out-of-order state did. */
interface MachineTransition {
  readonly wentOut: boolean;
  readonly cameBack: boolean;
}

const forbidden = (
  code: 'PROBLEM_NOT_AUTHORIZED' | 'PROBLEM_OUT_OF_ORDER_STAFF_ONLY' | 'PROBLEM_NOT_REPORTER',
  message: string,
) => new ApiError(HttpStatus.FORBIDDEN, code, message);
const notOpen = () => new ApiError(HttpStatus.CONFLICT, 'PROBLEM_NOT_OPEN', 'the report is no longer open');
const hardLockRefused = () =>
  new ApiError(
    HttpStatus.FORBIDDEN,
    'PROBLEM_HARD_LOCK_NOT_ALLOWED',
    'a hard lock is for managers and admins, on an out-of-order report',
  );

/** The median of some numbers, null when there are none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? null) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * Problem reports (issue 14). A state change and the machine's out-of-order columns (what the board
 * path reads with the machine) are written in one transaction, with the outage interval and the audit
 * entry; the board sees it at its next `checkmachine` or tap (`machine-changed` empties the
 * directory cache). Emails go after the commit.
 */
@Injectable()
export class ProblemsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly reads: PortalReads,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly notifier: ProblemNotifier,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(
    viewer: Viewer,
    input: ProblemReportInputDto,
    photo: Buffer | null,
  ): Promise<ProblemReportDto> {
    const outOfOrder = input.severity === 'out-of-order';
    const hardLock = input.hardLock === true;
    if (hardLock && (!isManager(viewer) || !outOfOrder)) throw hardLockRefused();
    const machine = await this.reads.manager.findOne(Machine, {
      where: { id: input.machineId },
      relations: { type: true },
    });
    if (!machine) throw invalidField('machineId', 'no such machine');
    if (machine.retiredAt !== null)
      throw new ApiError(HttpStatus.CONFLICT, 'MACHINE_RETIRED', `${machine.name} is retired`);
    if (!isStaff(viewer)) {
      if (!(await this.mayUse(viewer.id, machine.id)))
        throw forbidden('PROBLEM_NOT_AUTHORIZED', `you are not authorized on ${machine.name}`);
      if (outOfOrder && machine.type && !machine.type.membersMayDeclareOutOfOrder)
        throw forbidden(
          'PROBLEM_OUT_OF_ORDER_STAFF_ONLY',
          `only staff may declare ${machine.name} out of order`,
        );
    }
    const clean = photo ? await cleanPhoto(photo) : null;
    const { report, transition } = await this.uow.run(async (em, events) => {
      await lockMachine(em, machine.id);
      const created = await em.save(
        em.create(ProblemReport, {
          machineId: machine.id,
          reporterId: viewer.id,
          severity: input.severity,
          hardLock,
          description: input.description,
          state: 'open',
          hasPhoto: clean !== null,
          createdAt: this.clock.now(),
          resolvedAt: null,
          resolvedById: null,
          resolution: null,
          cancelledAt: null,
          outageId: null,
        }),
      );
      if (clean) await em.save(em.create(ProblemPhoto, { reportId: created.id, ...clean }));
      const transition = outOfOrder ? await this.syncMachine(em, events, machine.id) : NO_TRANSITION;
      const report = await em.findOneByOrFail(ProblemReport, { id: created.id });
      await this.audit.record(em, viewer, 'create', 'problem-report', report.id, null, report);
      const dto = await this.toDto(em, report, null);
      events.publish('problem-reported', { report: dto });
      return { report: dto, transition };
    });
    const facts = this.facts(report);
    this.notifier.notify(async () => {
      await this.notifier.reported(facts, viewer.id);
      if (transition.wentOut) await this.notifier.machineStatus('out-of-order', report.machineId, facts);
    });
    return this.get(viewer, report.id);
  }

  async list(viewer: Viewer, query: ProblemListQueryDto, mine = false): Promise<Page<ProblemReportDto>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 25;
    const qb = this.reads.manager.createQueryBuilder(ProblemReport, 'r');
    if (mine) qb.andWhere('r."reporterId" = :me', { me: viewer.id });
    if (query.state) qb.andWhere('r.state = :state', { state: query.state });
    if (query.machineId) qb.andWhere('r."machineId" = :machineId', { machineId: query.machineId });
    if (query.severity) qb.andWhere('r.severity = :severity', { severity: query.severity });
    const total = await qb.getCount();
    // Open first, then newest first.
    const rows = await qb
      .addSelect(`CASE WHEN r.state = 'open' THEN 0 ELSE 1 END`, 'open_first')
      .orderBy('open_first', 'ASC')
      .addOrderBy('r."createdAt"', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .offset((page - 1) * pageSize)
      .limit(pageSize)
      .getMany();
    const items = await this.toDtos(this.reads.manager, rows, viewer);
    return { items, total, page, pageSize };
  }

  async get(viewer: Viewer, id: number): Promise<ProblemReportDto> {
    const report = await this.visible(viewer, id);
    return this.toDto(this.reads.manager, report, viewer);
  }

  async sendPhoto(viewer: Viewer, id: number, response: Response): Promise<void> {
    const report = await this.visible(viewer, id);
    const photo = report.hasPhoto
      ? await this.reads.manager.findOneBy(ProblemPhoto, { reportId: report.id })
      : null;
    if (!photo) throw new ApiError(HttpStatus.NOT_FOUND, 'PROBLEM_NO_PHOTO', 'the report has no photo');
    response.setHeader('Content-Type', photo.mime);
    // A member's photo: never kept by a shared proxy or cache.
    response.setHeader('Cache-Control', 'private, no-store');
    response.setHeader('Content-Disposition', `inline; filename="problem-${report.id}"`);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.end(photo.bytes);
  }

  async resolve(viewer: Viewer, id: number, resolution: string): Promise<ProblemReportDto> {
    const { dto, transition } = await this.change(viewer, id, 'resolve', (report) => {
      report.state = 'resolved';
      report.resolvedAt = this.clock.now();
      report.resolvedById = viewer.id;
      report.resolution = resolution;
    });
    const facts = this.facts(dto);
    this.notifier.notify(async () => {
      await this.notifier.resolved(facts, dto.reporter?.id ?? 0);
      if (transition.cameBack) await this.notifier.machineStatus('back-in-order', dto.machineId, facts);
    });
    return this.get(viewer, id);
  }

  async cancel(viewer: Viewer, id: number): Promise<ProblemReportDto> {
    const { dto, transition } = await this.change(viewer, id, 'cancel', (report) => {
      if (report.reporterId !== viewer.id)
        throw forbidden('PROBLEM_NOT_REPORTER', 'only the reporter may cancel a report');
      report.state = 'cancelled';
      report.cancelledAt = this.clock.now();
    });
    if (transition.cameBack) {
      const facts = this.facts(dto);
      this.notifier.notify(() => this.notifier.machineStatus('back-in-order', dto.machineId, facts));
    }
    return this.get(viewer, id);
  }

  async setHardLock(viewer: Viewer, id: number, hardLock: boolean): Promise<ProblemReportDto> {
    await this.change(viewer, id, 'update', (report) => {
      if (report.severity !== 'out-of-order') throw hardLockRefused();
      report.hardLock = hardLock;
    });
    return this.get(viewer, id);
  }

  /** `GET /api/me/reportable-machines`: in service, and (members) where the board would let them in. */
  async reportableMachines(viewer: Viewer): Promise<ReportableMachineDto[]> {
    const rows = await this.reads.all<{
      id: number;
      topicId: string;
      name: string;
      blocked: boolean | number;
      typeId: number | null;
      typeName: string | null;
      accessManagement: AccessManagement | null;
      membersMay: boolean | number | null;
      outOfOrderSince: string | number | null;
      validityDays: number | null;
      decayDays: number | null;
      reminderDays: string | null;
    }>(
      `SELECT m."id", m."topicId", m."name", m."blocked", m."typeId", t."name" AS "typeName",
              t."accessManagement", t."membersMayDeclareOutOfOrder" AS "membersMay", m."outOfOrderSince",
              t."validityDays", t."decayDays", t."reminderDays"
       FROM "machines" m LEFT JOIN "machine_types" t ON t."id" = m."typeId"
       WHERE m."retiredAt" IS NULL ORDER BY m."nameSortKey", m."name", m."id"`,
    );
    const staff = isStaff(viewer);
    // A member: the board's rule on each machine, from one read of their authorizations.
    const holder = staff ? null : await this.holder(viewer.id);
    const grants = new Map(
      staff
        ? []
        : (
            await this.reads.all<{
              machineId: number;
              status: StoredAuthorizationState;
              expiresAt: string | number | null;
              grantedAt: string | number | null;
              lastUsedAt: string | number | null;
            }>(
              `SELECT "machineId", "status", "expiresAt", "grantedAt", "lastUsedAt" FROM "authorizations"
               WHERE "memberId" = ?`,
              [viewer.id],
            )
          ).map((g) => [
            Number(g.machineId),
            {
              status: g.status,
              expiresAt: ms(g.expiresAt),
              grantedAt: ms(g.grantedAt),
              lastUsedAt: ms(g.lastUsedAt),
            },
          ]),
    );
    const now = this.clock.now().getTime();
    const usable = (r: (typeof rows)[number]) =>
      staff ||
      (holder !== null &&
        decideAccess({
          member: holder,
          machine: {
            id: Number(r.id),
            topicId: r.topicId,
            name: r.name,
            blocked: Boolean(r.blocked),
            retired: false,
            typeId: r.typeId,
            autoLogoffMinutes: null,
            graceMinutes: null,
            accessManagement: r.accessManagement,
            policy: policyOf(
              r.typeId === null
                ? null
                : {
                    validityDays: r.validityDays === null ? null : Number(r.validityDays),
                    decayDays: r.decayDays === null ? null : Number(r.decayDays),
                    reminderDays: r.reminderDays ?? '',
                  },
            ),
            outOfOrder: false,
            hardLock: false,
          },
          authorization: grants.get(Number(r.id)) ?? null,
          now,
          timeZone: this.config.LAB_TIME_ZONE,
        }).granted);
    return rows.filter(usable).map((r) => ({
      machineId: Number(r.id),
      name: r.name,
      typeName: r.typeName,
      mayDeclareOutOfOrder: staff || r.membersMay === null || Boolean(r.membersMay),
      outOfOrder: r.outOfOrderSince !== null,
    }));
  }

  async notifications(viewer: Viewer): Promise<MemberNotificationsDto> {
    const member = await this.reads.manager.findOneBy(Member, { id: viewer.id });
    if (!member) throw notFound('member');
    return { machineStatus: member.machineStatusEmails };
  }

  async setNotifications(viewer: Viewer, input: MemberNotificationsDto): Promise<MemberNotificationsDto> {
    await this.uow.run(async (em) => {
      const member = await em.findOneBy(Member, { id: viewer.id });
      if (!member) throw notFound('member');
      if (member.machineStatusEmails === input.machineStatus) return;
      await em.update(Member, { id: viewer.id }, { machineStatusEmails: input.machineStatus });
      await this.audit.record(
        em,
        viewer,
        'update',
        'member',
        viewer.id,
        { machineStatusEmails: member.machineStatusEmails },
        { machineStatusEmails: input.machineStatus },
      );
    });
    return this.notifications(viewer);
  }

  /** Downtime per machine from the outage intervals overlapping [from, to). */
  async downtime(query: DowntimeQueryDto): Promise<DowntimeReportDto> {
    const now = this.clock.now().getTime();
    const to = query.to ? Date.parse(query.to) : now;
    const from = query.from ? Date.parse(query.from) : to - 30 * DAY_MS;
    if (from >= to) throw invalidField('from', 'must be before to');
    const rows = await this.reads.all<{
      machineId: number;
      machineName: string;
      startedAt: string | number;
      endedAt: string | number | null;
    }>(
      `SELECT o."machineId", m."name" AS "machineName", o."startedAt", o."endedAt"
       FROM "machine_outages" o JOIN "machines" m ON m."id" = o."machineId"
       WHERE o."startedAt" < ? AND (o."endedAt" IS NULL OR o."endedAt" > ?)
       ORDER BY m."name", o."startedAt"`,
      [to, from],
    );
    const byMachine = new Map<
      number,
      { name: string; outages: number; downtimeMs: number; repairs: number[] }
    >();
    const repairs: number[] = [];
    for (const row of rows) {
      const id = Number(row.machineId);
      const startedAt = ms(row.startedAt) ?? 0;
      const endedAt = ms(row.endedAt);
      const entry = byMachine.get(id) ?? { name: row.machineName, outages: 0, downtimeMs: 0, repairs: [] };
      entry.outages++;
      entry.downtimeMs += Math.max(0, Math.min(endedAt ?? Math.min(now, to), to) - Math.max(startedAt, from));
      if (endedAt !== null) {
        entry.repairs.push(endedAt - startedAt);
        repairs.push(endedAt - startedAt);
      }
      byMachine.set(id, entry);
    }
    const machines: MachineDowntimeDto[] = [...byMachine.entries()].map(([machineId, e]) => ({
      machineId,
      machineName: e.name,
      outages: e.outages,
      downtimeMs: e.downtimeMs,
      medianRepairMs: median(e.repairs),
    }));
    return {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      machines,
      medianRepairMs: median(repairs),
    };
  }

  /** A report the viewer may see: staff see all, a member their own (others: not found). */
  private async visible(viewer: Viewer, id: number): Promise<ProblemReport> {
    const report = await this.reads.manager.findOneBy(ProblemReport, { id });
    if (!report || (!isStaff(viewer) && report.reporterId !== viewer.id)) throw notFound('problem report');
    return report;
  }

  /** A state change of an open report, with its machine's out-of-order state, audit and live event. */
  private async change(
    viewer: Viewer,
    id: number,
    action: 'resolve' | 'cancel' | 'update',
    apply: (report: ProblemReport) => void,
  ): Promise<{ dto: ProblemReportDto; transition: MachineTransition }> {
    return this.uow.run(async (em, events) => {
      const found = await em.findOneBy(ProblemReport, { id });
      if (!found || (!isStaff(viewer) && found.reporterId !== viewer.id)) throw notFound('problem report');
      await lockMachine(em, found.machineId);
      const report = await em.findOneByOrFail(ProblemReport, { id });
      if (report.state !== 'open') throw notOpen();
      const before = { ...report };
      apply(report);
      await em.save(report);
      const transition =
        report.severity === 'out-of-order'
          ? await this.syncMachine(em, events, report.machineId)
          : NO_TRANSITION;
      const after = await em.findOneByOrFail(ProblemReport, { id });
      await this.audit.record(em, viewer, action, 'problem-report', id, before, after);
      const dto = await this.toDto(em, after, null);
      events.publish('problem-changed', { report: dto });
      return { dto, transition };
    });
  }

  /**
   * Brings the machine's out-of-order columns and outage intervals in line with its open
   * out-of-order reports (inside the report's transaction, the machine locked): an outage starts
   * with the first such report and ends when the last one closes.
   */
  private async syncMachine(
    em: EntityManager,
    events: PendingEvents,
    machineId: number,
  ): Promise<MachineTransition> {
    const open = await em.find(ProblemReport, {
      where: { machineId, state: 'open', severity: 'out-of-order' },
    });
    const machine = await em.findOneByOrFail(Machine, { id: machineId });
    const now = this.clock.now();
    const wasOut = machine.outOfOrderSince !== null;
    const hardLock = open.some((r) => r.hardLock);
    let outage = await em.findOne(MachineOutage, { where: { machineId, endedAt: IsNull() } });
    if (open.length > 0) {
      outage ??= await em.save(em.create(MachineOutage, { machineId, startedAt: now, endedAt: null }));
      const outageId = outage.id;
      for (const r of open.filter((r) => r.outageId !== outageId))
        await em.update(ProblemReport, { id: r.id }, { outageId });
      const since = machine.outOfOrderSince ?? outage.startedAt;
      if (!wasOut || machine.outOfOrderHardLock !== hardLock) {
        await em.update(Machine, { id: machineId }, { outOfOrderSince: since, outOfOrderHardLock: hardLock });
        events.publish('machine-changed', { machineId });
      }
      return { wentOut: !wasOut, cameBack: false };
    }
    if (outage) await em.update(MachineOutage, { id: outage.id }, { endedAt: now });
    if (wasOut) {
      await em.update(Machine, { id: machineId }, { outOfOrderSince: null, outOfOrderHardLock: false });
      events.publish('machine-changed', { machineId });
    }
    return { wentOut: false, cameBack: wasOut };
  }

  /** Whether the member's card would be let in on the machine (the board's rule, outage aside). */
  private async mayUse(memberId: number, machineId: number): Promise<boolean> {
    const holder = await this.holder(memberId);
    const machine = await findMachineById(this.reads, machineId);
    if (!holder || !machine) return false;
    const authorization = await findGrant(this.reads, memberId, machineId);
    return decideAccess({
      member: holder,
      machine: { ...machine, outOfOrder: false, hardLock: false },
      authorization,
      now: this.clock.now().getTime(),
      timeZone: this.config.LAB_TIME_ZONE,
    }).granted;
  }

  /** The member as the access decision sees them, card or not. */
  private async holder(memberId: number): Promise<CardHolder | null> {
    const member = await this.reads.manager.findOne(Member, {
      where: { id: memberId },
      relations: { role: true },
    });
    if (!member?.role) return null;
    if (member.cardUid) return findCardHolder(this.reads, member.cardUid);
    return {
      id: member.id,
      name: member.name,
      surname: member.surname,
      disabled: member.disabled,
      deleted: member.deletedAt !== null,
      authorizeAll: member.role.authorizeAll,
      maintenance: member.role.maintenance,
    };
  }

  private facts(report: ProblemReportDto): ProblemMailFacts {
    return {
      machineName: report.machineName,
      description: report.description,
      outOfOrder: report.severity === 'out-of-order',
      reporterName: report.reporter?.name ?? '',
      resolution: report.resolution,
    };
  }

  /** `viewer` null: as staff see it (live events, emails). */
  private async toDto(
    em: EntityManager,
    report: ProblemReport,
    viewer: Viewer | null,
  ): Promise<ProblemReportDto> {
    const [dto] = await this.toDtos(em, [report], viewer);
    if (!dto) throw notFound('problem report');
    return dto;
  }

  private async toDtos(
    em: EntityManager,
    reports: readonly ProblemReport[],
    viewer: Viewer | null,
  ): Promise<ProblemReportDto[]> {
    if (reports.length === 0) return [];
    const machineIds = [...new Set(reports.map((r) => r.machineId))];
    const memberIds = [
      ...new Set(
        reports.flatMap((r) => [r.reporterId, ...(r.resolvedById === null ? [] : [r.resolvedById])]),
      ),
    ];
    const machines = new Map(
      (
        await em.find(Machine, { where: machineIds.map((id) => ({ id })), select: { id: true, name: true } })
      ).map((m) => [m.id, m.name]),
    );
    const members = new Map(
      (
        await em.find(Member, {
          where: memberIds.map((id) => ({ id })),
          select: { id: true, name: true, surname: true },
        })
      ).map((m) => [m.id, { id: m.id, name: fullName(m) }]),
    );
    const staff = viewer === null || isStaff(viewer);
    return reports.map((r) => {
      const mine = viewer !== null && r.reporterId === viewer.id;
      return {
        id: r.id,
        machineId: r.machineId,
        machineName: machines.get(r.machineId) ?? '',
        severity: r.severity,
        hardLock: r.hardLock,
        description: r.description,
        state: r.state,
        hasPhoto: r.hasPhoto,
        reporter: staff || mine ? (members.get(r.reporterId) ?? null) : null,
        mine,
        createdAt: r.createdAt.toISOString(),
        resolvedAt: r.resolvedAt?.toISOString() ?? null,
        resolvedBy: r.resolvedById === null ? null : (members.get(r.resolvedById) ?? null),
        resolution: r.resolution,
        cancelledAt: r.cancelledAt?.toISOString() ?? null,
      };
    });
  }
}

const NO_TRANSITION: MachineTransition = { wentOut: false, cameBack: false };

/** The machine's row lock for the rest of the transaction (SQLite: already serialised). */
async function lockMachine(em: EntityManager, machineId: number): Promise<void> {
  if (em.connection.options.type !== 'postgres') return;
  await em.query('SELECT "id" FROM "machines" WHERE "id" = $1 FOR UPDATE', [machineId]);
}
