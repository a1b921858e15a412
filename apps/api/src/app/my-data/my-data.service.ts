import { Inject, Injectable } from '@nestjs/common';
import type {
  MyAuthorizationDto,
  MyAuthorizationState,
  MyAuthorizationsDto,
  MyMachineDto,
  MyRefusedTapDto,
  MySessionDto,
  MySessionPage,
  Page,
} from '@fabomatic/contracts';
import type { Response } from 'express';
import { In, type SelectQueryBuilder } from 'typeorm';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { PortalReads } from '../../core/database/portal-reads';
import { csvCell, spanHours } from '../../core/database/csv-records';
import { notFound } from '../../core/http/api-error';
import { type ExportColumn, ExportStreams, keysetText, keysetQuery, rawRows } from '../../core/http/export';
import { findKeysetPage } from '../../core/http/paging';
import { Clock } from '../../core/time/clock';
import { AccessEvent } from '../access-events/access-event.entity';
import { Authorization } from '../authorizations/authorization.entity';
import { type CertificationFacts, effectiveExpiry } from '../authorizations/certification';
import { policyOf } from '../authorizations/certification-store';
import type { MachineType } from '../machine-types/machine-type.entity';
import { Machine } from '../machines/machine.entity';
import { Member } from '../members/member.entity';
import { rangeOf } from '../usage/activity-query';
import { UsageSession } from '../usage/usage-session.entity';
import type { MyRefusedQueryDto, MySessionExportQueryDto, MySessionQueryDto } from './my-data.dto';

/** Newest first; (memberId, startedAt) and (memberId, occurredAt) indexes keep reads to the member's rows. */
/** Refusals of a lapsed authorization, shown with the date it lapsed on. */
const LAPSED = new Set<string>(['authorization-expired', 'authorization-unused']);

const SESSION_SORT = { startedAt: 's."startedAt"' } as const;
const EVENT_SORT = { occurredAt: 'e."occurredAt"' } as const;

type LoadedAuthorization = Authorization & { machine: Machine & { type: MachineType | null } };

/** The certification facts of an authorization (certification.ts), as the board decides on them. */
function factsOf(a: Authorization, exempt: boolean): CertificationFacts {
  return {
    status: a.status,
    expiresAt: a.expiresAt?.getTime() ?? null,
    grantedAt: a.grantedAt?.getTime() ?? null,
    lastUsedAt: a.lastUsedAt?.getTime() ?? null,
    exempt,
  };
}

/** What the board would decide about an authorization now (see access-policy.ts, same order). */
export function authorizationState(
  machine: Pick<Machine, 'retiredAt' | 'blocked'>,
  expiresAt: Date | null,
  authorizeAll: boolean,
  now: number,
): MyAuthorizationState {
  if (machine.retiredAt !== null) return 'machine-retired';
  if (machine.blocked) return 'machine-blocked';
  if (authorizeAll) return 'active';
  return expiresAt !== null && expiresAt.getTime() <= now ? 'expired' : 'active';
}

interface SessionExportRow {
  machineName: string | null;
  startedAt: string | number;
  endedAt: string | number | null;
  endReason: string | null;
}

const SESSION_COLUMNS: readonly ExportColumn<SessionExportRow>[] = [
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
];

/**
 * The signed-in member's own standing, sessions and refused taps. Every method takes the member's id
 * from the session (the controller passes `user.id`), never from the request.
 */
@Injectable()
export class MyDataService {
  constructor(
    private readonly reads: PortalReads,
    private readonly exports: ExportStreams,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'LAB_TIME_ZONE'>,
  ) {}

  async authorizations(memberId: number): Promise<MyAuthorizationsDto> {
    const em = this.reads.manager;
    const member = await em.findOne(Member, { where: { id: memberId }, relations: { role: true } });
    if (!member) throw notFound('member');
    const authorizeAll = member.role?.authorizeAll ?? false;
    const exempt = authorizeAll || (member.role?.maintenance ?? false);
    const now = this.clock.now().getTime();
    const timeZone = this.config.LAB_TIME_ZONE;
    const [granted, machines] = await Promise.all([
      em.find(Authorization, {
        where: { memberId },
        relations: { machine: { type: true } },
      }) as Promise<LoadedAuthorization[]>,
      em.find(Machine, { relations: { type: true }, order: { name: 'ASC' } }),
    ]);
    const authorizations: MyAuthorizationDto[] = granted
      .sort((a, b) => a.machine.name.localeCompare(b.machine.name))
      .map((a) => {
        // The end the board applies: the validity's, or the disuse's when that comes first.
        const expiry = effectiveExpiry(factsOf(a, exempt), policyOf(a.machine.type), timeZone);
        const expiresAt = expiry === null ? null : new Date(expiry.at);
        const base = authorizationState(a.machine, expiresAt, authorizeAll, now);
        return {
          id: a.id,
          machineId: a.machineId,
          machineName: a.machine.name,
          machineType: a.machine.type?.name ?? null,
          since: a.createdAt.toISOString(),
          expiresAt: expiresAt?.toISOString() ?? null,
          // The board's order: the machine first, then the lifecycle's status, then the expiry.
          state: base.startsWith('machine-') || authorizeAll || a.status === 'active' ? base : a.status,
        };
      });
    const have = new Set(granted.map((a) => a.machineId));
    const inService = machines.filter((m) => m.retiredAt === null);
    const toDto = (m: Machine): MyMachineDto => ({
      machineId: m.id,
      machineName: m.name,
      machineType: m.type?.name ?? null,
      accessManagement: m.type?.accessManagement ?? 'authorization',
      blocked: m.blocked,
    });
    const open = inService.filter((m) => m.type?.accessManagement === 'open');
    const notAuthorized = authorizeAll
      ? []
      : inService.filter((m) => m.type?.accessManagement !== 'open' && !have.has(m.id));
    return {
      authorizeAll,
      disabled: member.disabled,
      authorizations,
      notAuthorized: notAuthorized.map(toDto),
      open: open.map(toDto),
    };
  }

  async sessions(memberId: number, query: MySessionQueryDto): Promise<MySessionPage> {
    const page = await findKeysetPage(
      this.sessionsOf(memberId, query),
      { ...query, sort: 'startedAt', order: 'desc' },
      SESSION_SORT,
      (s) => s,
    );
    // A bounded sum: only this member's sessions, by their (memberId, startedAt) index.
    const totals = await this.sessionsOf(memberId, query)
      .andWhere('s."endedAt" IS NOT NULL')
      .select('COUNT(*)', 'n')
      .addSelect('COALESCE(SUM(s."endedAt" - s."startedAt"), 0)', 'ms')
      .getRawOne<{ n: string | number; ms: string | number }>();
    const names = await this.machineNames(page.items.map((s) => s.machineId));
    return {
      ...page,
      items: page.items.map((s) => sessionDto(s, names)),
      totalSeconds: Math.round(Number(totals?.ms ?? 0) / 1000),
      totalSessions: Number(totals?.n ?? 0),
    };
  }

  async exportSessions(memberId: number, query: MySessionExportQueryDto, response: Response): Promise<void> {
    const joined = () =>
      this.sessionsOf(memberId, query).leftJoin(Machine, 'machine', 'machine.id = s."machineId"');
    const order = { keys: [SESSION_SORT.startedAt], id: 's.id', direction: 'DESC' as const };
    const rows = keysetQuery(
      () =>
        joined().select([
          'machine.name AS "machineName"',
          's."startedAt" AS "startedAt"',
          's."endedAt" AS "endedAt"',
          's."endReason" AS "endReason"',
        ]),
      order,
      this.exports.chunkRows,
      rawRows<SessionExportRow & Record<string, unknown>>,
    );
    const text = keysetText(joined, order, this.exports.chunkRows, SESSION_COLUMNS, this.reads);
    await this.exports.send(response, query.format ?? 'csv', 'my-sessions', SESSION_COLUMNS, rows, text);
  }

  async refused(memberId: number, query: MyRefusedQueryDto): Promise<Page<MyRefusedTapDto>> {
    const member = await this.reads.manager.findOne(Member, {
      where: { id: memberId },
      select: { id: true, cardUid: true, createdAt: true },
    });
    if (!member) throw notFound('member');
    const qb = this.refusedOf(member, query);
    const page = await findKeysetPage(
      qb,
      { ...query, sort: 'occurredAt', order: 'desc' },
      EVENT_SORT,
      (e) => e,
    );
    const machineIds = page.items.flatMap((e) => (e.machineId === null ? [] : [e.machineId]));
    const [names, expiries] = await Promise.all([
      this.machineNames(machineIds),
      this.expiries(memberId, page.items),
    ]);
    return {
      ...page,
      items: page.items.map((e) => {
        const expiry = e.machineId === null ? undefined : expiries.get(e.machineId);
        const expired = LAPSED.has(e.reason) && expiry != null && expiry.getTime() <= e.occurredAt.getTime();
        return {
          id: e.id,
          occurredAt: e.occurredAt.toISOString(),
          machineId: e.machineId,
          machineName: e.machineId === null ? null : (names.get(e.machineId) ?? null),
          action: e.action,
          reason: e.reason,
          authorizationExpiresAt: expired ? expiry.toISOString() : null,
          count: e.count,
        };
      }),
    };
  }

  /**
   * The member's refused requests, and the taps of their card refused as an unknown card since the
   * member was created (before then the card was not theirs).
   */
  refusedOf(
    member: Pick<Member, 'id' | 'cardUid' | 'createdAt'>,
    query: { from?: string; to?: string },
  ): SelectQueryBuilder<AccessEvent> {
    const qb = this.eventsAbout(member).andWhere('e.granted = :granted', { granted: false });
    const { from, to } = rangeOf(query);
    if (from !== null) qb.andWhere('e."occurredAt" >= :from', { from });
    if (to !== null) qb.andWhere('e."occurredAt" <= :to', { to });
    return qb;
  }

  /** Every access event about the member: theirs, and their card's unknown-card taps (see above). */
  eventsAbout(member: Pick<Member, 'id' | 'cardUid' | 'createdAt'>): SelectQueryBuilder<AccessEvent> {
    const qb = this.reads.manager.createQueryBuilder(AccessEvent, 'e');
    if (member.cardUid === null) return qb.where('e."memberId" = :me', { me: member.id });
    return qb.where(
      `(e."memberId" = :me OR (e."memberId" IS NULL AND e."cardUid" = :card AND e.reason = 'unknown-card' AND e."occurredAt" >= :since))`,
      { me: member.id, card: member.cardUid.toLowerCase(), since: member.createdAt.getTime() },
    );
  }

  /** The member's sessions the filter selects: overlapping the range, as the staff list filters. */
  sessionsOf(memberId: number, query: MySessionQueryDto): SelectQueryBuilder<UsageSession> {
    const { from, to } = rangeOf(query);
    const qb = this.reads.manager
      .createQueryBuilder(UsageSession, 's')
      .where('s."memberId" = :memberId', { memberId });
    if (query.machineId !== undefined)
      qb.andWhere('s."machineId" = :machineId', { machineId: query.machineId });
    if (to !== null) qb.andWhere('s."startedAt" <= :to', { to });
    if (from !== null) qb.andWhere('(s."endedAt" IS NULL OR s."endedAt" >= :from)', { from });
    return qb;
  }

  private async machineNames(ids: readonly number[]): Promise<Map<number, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const machines = await this.reads.manager.find(Machine, {
      where: { id: In(unique) },
      select: { id: true, name: true },
    });
    return new Map(machines.map((m) => [m.id, m.name]));
  }

  /**
   * The member's current authorization expiry per machine (the validity's or the disuse's, whichever
   * the board applies), for the machines of expired and unused refusals.
   */
  private async expiries(
    memberId: number,
    events: readonly AccessEvent[],
  ): Promise<Map<number, Date | null>> {
    const ids = [
      ...new Set(events.flatMap((e) => (LAPSED.has(e.reason) && e.machineId !== null ? [e.machineId] : []))),
    ];
    if (ids.length === 0) return new Map();
    const rows = (await this.reads.manager.find(Authorization, {
      where: { memberId, machineId: In(ids) },
      relations: { machine: { type: true } },
    })) as LoadedAuthorization[];
    const timeZone = this.config.LAB_TIME_ZONE;
    return new Map(
      rows.map((a) => {
        const expiry = effectiveExpiry(factsOf(a, false), policyOf(a.machine.type), timeZone);
        return [a.machineId, expiry === null ? null : new Date(expiry.at)];
      }),
    );
  }
}

function sessionDto(s: UsageSession, names: Map<number, string>): MySessionDto {
  const endedAt = s.endedAt?.getTime() ?? null;
  return {
    id: s.id,
    machineId: s.machineId,
    machineName: names.get(s.machineId) ?? '',
    startedAt: s.startedAt.toISOString(),
    endedAt: s.endedAt?.toISOString() ?? null,
    durationSeconds: endedAt === null ? null : Math.round((endedAt - s.startedAt.getTime()) / 1000),
    open: endedAt === null,
  };
}
