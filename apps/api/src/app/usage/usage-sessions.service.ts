import { Inject, Injectable } from '@nestjs/common';
import {
  FULL_CARD_UID_ACCESS,
  hasAccess,
  type Page,
  type PortalAccess,
  type UsageSessionDeleted,
  type UsageSessionDto,
} from '@fabomatic/contracts';
import type { Response } from 'express';
import { type EntityManager, In, LessThan, type SelectQueryBuilder } from 'typeorm';
import { PortalReads } from '../../core/database/portal-reads';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { PostgresRunner, sqlRunnerOf } from '../../core/database/sql';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { conflict, notFound } from '../../core/http/api-error';
import { csvCell, spanHours } from '../../core/database/csv-records';
import { type ExportColumn, ExportStreams, keysetText, keysetQuery, rawRows } from '../../core/http/export';
import { findKeysetPage, sortExpression } from '../../core/http/paging';
import { EventBus } from '../../core/events/event-bus';
import { Clock } from '../../core/time/clock';
import { type AuditActor, AuditService } from '../audit/audit.service';
import { Machine } from '../machines/machine.entity';
import { Member } from '../members/member.entity';
import { fullName, invalidField, rangeOf } from './activity-query';
import { type SearchIds, searchCondition, searchIds } from './history-search';
import { toSessionMessage } from './session-message';
import { type SessionFacts, UsageAggregates } from './usage-aggregates';
import type {
  UsageSessionExportQueryDto,
  UsageSessionInputDto,
  UsageSessionListQueryDto,
  UsageSessionUpdateDto,
} from './usage-session.dto';
import { UsageSession } from './usage-session.entity';

/** Never NULL: keyset pages compare (value, id) pairs. `startedAt` walks its (startedAt, id) index. */
const SORTABLE = {
  startedAt: 's."startedAt"',
  // an open session counts up to its last heartbeat
  duration: '(COALESCE(s."endedAt", s."lastSeenAt") - s."startedAt")',
  machine: `COALESCE((SELECT m."nameSortKey" FROM machines m WHERE m.id = s."machineId"), '')`,
  member: `COALESCE((SELECT LOWER(mb.name || ' ' || mb.surname) FROM members mb WHERE mb.id = s."memberId"), '')`,
} as const;

/** Whole seconds of a span, rounded as the board ledger rounds what it adds to the hour meter. */
const meterSeconds = (startedAt: number, endedAt: number | null) =>
  endedAt === null ? 0 : Math.round((endedAt - startedAt) / 1000);

/** Times may be this far ahead of the server clock (the browser's clock differs a little). */
const CLOCK_SKEW_MS = 60_000;

interface Names {
  readonly members: Map<number, string>;
  readonly machines: Map<number, string>;
}

interface ExportRow {
  memberName: string | null;
  memberSurname: string | null;
  machineName: string | null;
  startedAt: string | number;
  endedAt: string | number | null;
  endReason: string | null;
  replay: boolean | number;
}

const EXPORT_COLUMNS: readonly ExportColumn<ExportRow>[] = [
  {
    header: 'Member',
    value: (r) => fullName({ name: r.memberName ?? '', surname: r.memberSurname ?? '' }),
    cell: csvCell.name('member.name', 'member.surname', 'empty'),
  },
  { header: 'Machine', value: (r) => r.machineName, cell: csvCell.text('machine.name') },
  { header: 'Start', value: (r) => new Date(Number(r.startedAt)), cell: csvCell.isoTime('s."startedAt"') },
  {
    header: 'End',
    value: (r) => (r.endedAt === null ? null : new Date(Number(r.endedAt))),
    cell: csvCell.isoTime('s."endedAt"'),
  },
  {
    header: 'Duration (hours)',
    value: (r) => (r.endedAt === null ? null : spanHours(Number(r.startedAt), Number(r.endedAt))),
    cell: csvCell.hours('s."startedAt"', 's."endedAt"'),
  },
  { header: 'End reason', value: (r) => r.endReason, cell: csvCell.text('s."endReason"') },
  { header: 'Replay', value: (r) => Boolean(r.replay), cell: csvCell.boolean('s.replay') },
];

/**
 * The usage history: lists and exports, and staff corrections. A correction moves the machine's hour
 * meter by exactly what the session gains or loses, in the same transaction, with the machine locked
 * against the board's own session writes.
 */
@Injectable()
export class UsageSessionsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly reads: PortalReads,
    private readonly audit: AuditService,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly exports: ExportStreams,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'LAB_TIME_ZONE'>,
  ) {}

  async list(query: UsageSessionListQueryDto, viewer: PortalAccess): Promise<Page<UsageSessionDto>> {
    const qb = this.filtered(query, await this.search(query, viewer));
    const page = await findKeysetPage(qb, { ...query, order: query.order ?? 'desc' }, SORTABLE, (s) => s);
    const names = await this.names(page.items);
    return { ...page, items: page.items.map((s) => toDto(s, names)) };
  }

  async get(id: number): Promise<UsageSessionDto> {
    const session = await this.reads.manager.findOneBy(UsageSession, { id });
    if (!session) throw notFound('usage session');
    return toDto(session, await this.names([session]));
  }

  async export(query: UsageSessionExportQueryDto, response: Response, viewer: PortalAccess): Promise<void> {
    const sort = query.sort ?? 'startedAt';
    const key = sortExpression(SORTABLE, sort);
    if (key === undefined) throw invalidField('sort', `one of ${Object.keys(SORTABLE).join(', ')}`);
    // A session's machine or member may be gone: those names sort as the lowest.
    const nullable = sort === 'machine' || sort === 'member';
    const search = await this.search(query, viewer);
    const joined = () =>
      this.filtered(query, search)
        .leftJoin(Member, 'member', 'member.id = s."memberId"')
        .leftJoin(Machine, 'machine', 'machine.id = s."machineId"');
    const order = {
      keys: [nullable ? { sql: key, nullable: true as const } : key],
      id: 's.id',
      direction: (query.order ?? 'desc') === 'desc' ? ('DESC' as const) : ('ASC' as const),
    };
    const rows = keysetQuery(
      () =>
        joined().select([
          'member.name AS "memberName"',
          'member.surname AS "memberSurname"',
          'machine.name AS "machineName"',
          's."startedAt" AS "startedAt"',
          's."endedAt" AS "endedAt"',
          's."endReason" AS "endReason"',
          's.replay AS "replay"',
        ]),
      order,
      this.exports.chunkRows,
      rawRows<ExportRow & Record<string, unknown>>,
    );
    const text = keysetText(joined, order, this.exports.chunkRows, EXPORT_COLUMNS, this.reads);
    await this.exports.send(response, query.format ?? 'csv', 'usage', EXPORT_COLUMNS, rows, text);
  }

  async create(actor: AuditActor, input: UsageSessionInputDto): Promise<UsageSessionDto> {
    const startedAt = Date.parse(input.startedAt);
    const endedAt = Date.parse(input.endedAt);
    this.checkTimes(startedAt, endedAt);
    const session = await this.uow.run(async (em, events) => {
      await this.lockMachine(em, input.machineId);
      if (!(await em.existsBy(Machine, { id: input.machineId }))) throw notFound('machine');
      if (!(await em.existsBy(Member, { id: input.memberId }))) throw notFound('member');
      await this.refuseOverlap(em, input.machineId, startedAt, endedAt, null);
      const created = await em.save(
        em.create(UsageSession, {
          memberId: input.memberId,
          machineId: input.machineId,
          startedAt: new Date(startedAt),
          lastSeenAt: new Date(endedAt),
          endedAt: new Date(endedAt),
          endReason: 'manual',
          replay: false,
        }),
      );
      await this.moveMeter(em, input.machineId, meterSeconds(startedAt, endedAt));
      await this.totals(em).change(null, facts(created));
      await this.audit.record(em, actor, 'create', 'usage-session', created.id, null, created);
      events.publish('sessions-edited', { machineId: created.machineId });
      return created;
    });
    return this.get(session.id);
  }

  async update(actor: AuditActor, id: number, input: UsageSessionUpdateDto): Promise<UsageSessionDto> {
    const { session, closed } = await this.uow.run(async (em, events) => {
      const existing = await this.lockedSession(em, id);
      const before = { ...existing };
      const counted = facts(existing);
      const oldStart = existing.startedAt.getTime();
      const oldEnd = existing.endedAt?.getTime() ?? null;
      const startedAt = input.startedAt === undefined ? oldStart : Date.parse(input.startedAt);
      const endedAt = input.endedAt === undefined ? oldEnd : Date.parse(input.endedAt);
      this.checkTimes(startedAt, endedAt);
      await this.refuseOverlap(em, existing.machineId, startedAt, endedAt, id);
      existing.startedAt = new Date(startedAt);
      existing.endedAt = endedAt === null ? null : new Date(endedAt);
      const closing = oldEnd === null && endedAt !== null;
      if (closing) existing.endReason = 'manual';
      const saved = await em.save(existing);
      await this.moveMeter(
        em,
        existing.machineId,
        meterSeconds(startedAt, endedAt) - meterSeconds(oldStart, oldEnd),
      );
      await this.totals(em).change(counted, facts(saved));
      await this.audit.record(em, actor, 'update', 'usage-session', id, before, saved);
      events.publish('sessions-edited', { machineId: saved.machineId });
      return { session: saved, closed: closing };
    });
    if (closed) this.bus.publish('session-stopped', toSessionMessage(ledgerView(session)));
    return this.get(id);
  }

  /** Deletes a session and takes its hours off the machine's hour meter. */
  async remove(actor: AuditActor, id: number): Promise<UsageSessionDeleted> {
    const { session, removed } = await this.uow.run(async (em, events) => {
      const existing = await this.lockedSession(em, id);
      const seconds = meterSeconds(existing.startedAt.getTime(), existing.endedAt?.getTime() ?? null);
      await em.delete(UsageSession, id);
      await this.moveMeter(em, existing.machineId, -seconds);
      await this.totals(em).change(facts(existing), null);
      await this.audit.record(em, actor, 'delete', 'usage-session', id, existing, null);
      events.publish('sessions-edited', { machineId: existing.machineId });
      return { session: existing, removed: seconds };
    });
    if (session.endedAt === null) {
      // The dashboard shows the machine free again.
      const stopped = {
        ...ledgerView(session),
        endedAt: this.clock.now().getTime(),
        endReason: 'manual' as const,
      };
      this.bus.publish('session-stopped', toSessionMessage(stopped));
    }
    return { id, machineId: session.machineId, meterSecondsRemoved: removed };
  }

  /** Members by name or card prefix, machines by name: resolved first, then `IN (…)` on the history. */
  private search(query: UsageSessionListQueryDto, viewer: PortalAccess): Promise<SearchIds | null> {
    const wholeCardOnly = !hasAccess(viewer, FULL_CARD_UID_ACCESS);
    return query.q
      ? searchIds(this.reads.manager, query.q, { membersByCard: true, wholeCardOnly })
      : Promise.resolve(null);
  }

  private filtered(
    query: UsageSessionListQueryDto,
    search: SearchIds | null,
  ): SelectQueryBuilder<UsageSession> {
    const { from, to } = rangeOf(query);
    const qb = this.reads.manager.createQueryBuilder(UsageSession, 's');
    if (query.memberId !== undefined) qb.andWhere('s."memberId" = :memberId', { memberId: query.memberId });
    if (query.machineId !== undefined)
      qb.andWhere('s."machineId" = :machineId', { machineId: query.machineId });
    // Overlapping the range: started by its end, and not ended before its start (open ones run on).
    if (to !== null) qb.andWhere('s."startedAt" <= :to', { to });
    if (from !== null) qb.andWhere('(s."endedAt" IS NULL OR s."endedAt" >= :from)', { from });
    if (query.open !== undefined) qb.andWhere(`s."endedAt" IS ${query.open ? '' : 'NOT '}NULL`);
    if (query.replay !== undefined) qb.andWhere('s.replay = :replay', { replay: query.replay });
    if (search) {
      const { where, params } = searchCondition('s', search, { card: false });
      qb.andWhere(where, params);
    }
    return qb;
  }

  /** The report totals and plan counters, moved in this transaction like the hour meter. */
  private totals(em: EntityManager): UsageAggregates {
    return new UsageAggregates(sqlRunnerOf(em), this.config.LAB_TIME_ZONE);
  }

  private checkTimes(startedAt: number, endedAt: number | null): void {
    if (endedAt !== null && endedAt <= startedAt) {
      throw invalidField('endedAt', 'must be after startedAt', { rule: 'afterStart' });
    }
    const now = this.clock.now().getTime() + CLOCK_SKEW_MS;
    if ((endedAt ?? startedAt) > now) {
      throw invalidField(endedAt === null ? 'startedAt' : 'endedAt', 'must not be in the future', {
        rule: 'notInFuture',
      });
    }
  }

  /** The session, read again once its machine is locked (the board may have just changed it). */
  private async lockedSession(em: EntityManager, id: number): Promise<UsageSession> {
    const found = await em.findOneBy(UsageSession, { id });
    if (!found) throw notFound('usage session');
    await this.lockMachine(em, found.machineId);
    const current = await em.findOneBy(UsageSession, { id });
    if (!current) throw notFound('usage session');
    return current;
  }

  private lockMachine(em: EntityManager, machineId: number): Promise<void> {
    return this.uow.lockMachine(new PostgresRunner(em), machineId);
  }

  /** One machine runs one session at a time: a correction may not overlap another session. */
  private async refuseOverlap(
    em: EntityManager,
    machineId: number,
    startedAt: number,
    endedAt: number | null,
    exceptId: number | null,
  ): Promise<void> {
    const qb = em
      .createQueryBuilder(UsageSession, 's')
      .where('s."machineId" = :machineId', { machineId })
      .andWhere('(s."endedAt" IS NULL OR s."endedAt" > :startedAt)', { startedAt });
    if (endedAt !== null) qb.andWhere('s."startedAt" < :endedAt', { endedAt });
    if (exceptId !== null) qb.andWhere('s.id <> :exceptId', { exceptId });
    const other = await qb.orderBy('s."startedAt"', 'ASC').getOne();
    if (other) {
      const from = other.startedAt.toISOString();
      const to = other.endedAt ? other.endedAt.toISOString() : '';
      throw conflict(
        'USAGE_SESSION_OVERLAP',
        `the machine was in use then: session ${other.id} from ${from} to ${to || 'now (still open)'}`,
        { session: other.id, from, to },
      );
    }
  }

  /** Moves the hour meter; never below zero (staff may have reset it since the session counted). */
  private async moveMeter(em: EntityManager, machineId: number, seconds: number): Promise<void> {
    if (seconds === 0) return;
    await em.increment(Machine, { id: machineId }, 'usageSeconds', seconds);
    if (seconds < 0)
      await em.update(Machine, { id: machineId, usageSeconds: LessThan(0) }, { usageSeconds: 0 });
  }

  private async names(sessions: readonly UsageSession[]): Promise<Names> {
    const memberIds = [
      ...new Set([
        ...sessions.map((s) => s.memberId),
        ...sessions.flatMap((s) => (s.trainerId === null ? [] : [s.trainerId])),
      ]),
    ];
    const machineIds = [...new Set(sessions.map((s) => s.machineId))];
    const em = this.reads.manager;
    const [members, machines] = await Promise.all([
      memberIds.length
        ? em.find(Member, { where: { id: In(memberIds) }, select: { id: true, name: true, surname: true } })
        : [],
      machineIds.length
        ? em.find(Machine, { where: { id: In(machineIds) }, select: { id: true, name: true } })
        : [],
    ]);
    return {
      members: new Map(members.map((m) => [m.id, fullName(m)])),
      machines: new Map(machines.map((m) => [m.id, m.name])),
    };
  }
}

function facts(s: UsageSession): SessionFacts {
  return {
    machineId: s.machineId,
    memberId: s.memberId,
    startedAt: s.startedAt.getTime(),
    endedAt: s.endedAt?.getTime() ?? null,
  };
}

function ledgerView(s: UsageSession) {
  return {
    id: s.id,
    memberId: s.memberId,
    machineId: s.machineId,
    startedAt: s.startedAt.getTime(),
    lastSeenAt: s.lastSeenAt.getTime(),
    endedAt: s.endedAt?.getTime() ?? null,
    endReason: s.endReason,
    replay: s.replay,
  };
}

function toDto(s: UsageSession, names: Names): UsageSessionDto {
  const startedAt = s.startedAt.getTime();
  const endedAt = s.endedAt?.getTime() ?? null;
  return {
    id: s.id,
    memberId: s.memberId,
    memberName: names.members.get(s.memberId) ?? '',
    machineId: s.machineId,
    machineName: names.machines.get(s.machineId) ?? '',
    startedAt: s.startedAt.toISOString(),
    lastSeenAt: s.lastSeenAt.toISOString(),
    endedAt: s.endedAt?.toISOString() ?? null,
    endReason: s.endReason,
    durationSeconds: endedAt === null ? null : Math.round((endedAt - startedAt) / 1000),
    open: endedAt === null,
    replay: s.replay,
    trainerId: s.trainerId,
    trainerName: s.trainerId === null ? null : (names.members.get(s.trainerId) ?? ''),
  };
}
