import { HttpStatus, Injectable } from '@nestjs/common';
import type { InterventionDto, Page } from '@fabomatic/contracts';
import type { Response } from 'express';
import {
  type EntityManager,
  type FindOptionsWhere,
  In,
  type ObjectLiteral,
  type SelectQueryBuilder,
} from 'typeorm';
import { PortalReads } from '../../core/database/portal-reads';
import { sqlRunnerOf } from '../../core/database/sql';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { ApiError, notFound } from '../../core/http/api-error';
import { csvCell } from '../../core/database/csv-records';
import { type ExportColumn, ExportStreams, keysetText, keysetQuery, rawRows } from '../../core/http/export';
import { findKeysetPage, sortExpression } from '../../core/http/paging';
import { Clock } from '../../core/time/clock';
import { type AuditActor, AuditService } from '../audit/audit.service';
import { Machine } from '../machines/machine.entity';
import { Member } from '../members/member.entity';
import type {
  InterventionExportQueryDto,
  InterventionInputDto,
  InterventionListQueryDto,
} from './intervention.dto';
import { Intervention } from './intervention.entity';
import { MaintenancePlan } from './maintenance-plan.entity';
import { recomputePlans } from '../usage/usage-aggregates';

const SORTABLE = { performedAt: 'i."performedAt"', id: 'i.id', machineId: 'i."machineId"' } as const;

const invalidSort = () => {
  const message = `sort must be one of ${Object.keys(SORTABLE).join(', ')}`;
  return new ApiError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', message, { sort: [message] });
};

/** A manual intervention may be dated this far ahead of the server clock (clocks differ a little). */
const CLOCK_SKEW_MS = 60_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;
/** Ids per `IN (…)` look-up: well under every driver's parameter limit, even for a full export. */
const LOOKUP_CHUNK = 500;

/**
 * An exported intervention as the database returns it, names joined: no entity is hydrated and no
 * name looked up per chunk (times are bigint strings on PostgreSQL, booleans 0/1 on SQLite).
 */
interface ExportRow {
  id: number;
  performedAt: string | number;
  machineName: string | null;
  planDescription: string | null;
  memberName: string | null;
  memberSurname: string | null;
  source: string;
  replay: boolean | number;
}

const EXPORT_COLUMNS: readonly ExportColumn<ExportRow>[] = [
  { header: 'id', value: (i) => Number(i.id), cell: csvCell.integer('i.id') },
  {
    header: 'performedAt',
    value: (i) => new Date(Number(i.performedAt)),
    cell: csvCell.isoTime('i."performedAt"'),
  },
  { header: 'machine', value: (i) => i.machineName ?? '', cell: csvCell.text('machine.name') },
  { header: 'plan', value: (i) => i.planDescription, cell: csvCell.text('plan.description') },
  {
    header: 'member',
    value: (i) =>
      i.memberName === null || i.memberSurname === null ? null : `${i.memberName} ${i.memberSurname}`.trim(),
    cell: csvCell.name('member.name', 'member.surname', 'null'),
  },
  { header: 'source', value: (i) => i.source, cell: csvCell.text('i.source') },
  { header: 'replay', value: (i) => Boolean(i.replay), cell: csvCell.boolean('i.replay') },
];

/** Interventions: recorded by maintainers' long taps on boards, or entered by hand. */
@Injectable()
export class InterventionsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly reads: PortalReads,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly exports: ExportStreams,
  ) {}

  async list(query: InterventionListQueryDto): Promise<Page<InterventionDto>> {
    const qb = this.filtered(query);
    // History reads newest first unless asked otherwise.
    const page = await findKeysetPage(qb, { ...query, order: query.order ?? 'desc' }, SORTABLE, (i) => i);
    return { ...page, items: await this.toDtos(page.items) };
  }

  async export(response: Response, query: InterventionExportQueryDto): Promise<void> {
    const { format, ...filters } = query;
    const sort = filters.sort ?? 'performedAt';
    const expression = sortExpression(SORTABLE, sort);
    if (expression === undefined) throw invalidSort();
    const joined = () =>
      this.filtered(filters)
        .leftJoin(Machine, 'machine', 'machine.id = i."machineId"')
        .leftJoin(MaintenancePlan, 'plan', 'plan.id = i."planId"')
        .leftJoin(Member, 'member', 'member.id = i."memberId"');
    const order = {
      keys: sort === 'id' ? [] : [expression],
      id: SORTABLE.id,
      direction: (filters.order ?? 'desc') === 'desc' ? ('DESC' as const) : ('ASC' as const),
    };
    const rows = keysetQuery(
      () =>
        joined().select([
          'i.id AS "id"',
          'i."performedAt" AS "performedAt"',
          'machine.name AS "machineName"',
          'plan.description AS "planDescription"',
          'member.name AS "memberName"',
          'member.surname AS "memberSurname"',
          'i.source AS "source"',
          'i.replay AS "replay"',
        ]),
      order,
      this.exports.chunkRows,
      rawRows<ExportRow & Record<string, unknown>>,
    );
    const text = keysetText(joined, order, this.exports.chunkRows, EXPORT_COLUMNS, this.reads);
    await this.exports.send(response, format ?? 'csv', 'interventions', EXPORT_COLUMNS, rows, text);
  }

  private filtered(query: InterventionListQueryDto): SelectQueryBuilder<Intervention> {
    const qb = this.reads.manager.createQueryBuilder(Intervention, 'i');
    if (query.machineId !== undefined)
      qb.andWhere('i."machineId" = :machineId', { machineId: query.machineId });
    if (query.planId !== undefined) qb.andWhere('i."planId" = :planId', { planId: query.planId });
    if (query.memberId !== undefined) qb.andWhere('i."memberId" = :memberId', { memberId: query.memberId });
    if (query.from !== undefined) qb.andWhere('i."performedAt" >= :from', { from: Date.parse(query.from) });
    if (query.to !== undefined) qb.andWhere('i."performedAt" < :to', { to: endOf(query.to) });
    return qb;
  }

  async get(id: number): Promise<InterventionDto> {
    const intervention = await this.reads.manager.findOneBy(Intervention, { id });
    if (!intervention) throw notFound('intervention');
    const [dto] = await this.toDtos([intervention]);
    if (!dto) throw notFound('intervention');
    return dto;
  }

  /** Records an intervention made by hand (`source: manual`). */
  async create(actor: AuditActor, input: InterventionInputDto): Promise<InterventionDto> {
    const now = this.clock.now().getTime();
    const performedAt = input.performedAt === undefined ? now : Date.parse(input.performedAt);
    if (performedAt > now + CLOCK_SKEW_MS) throw invalid('performedAt', 'must not be in the future');
    const created = await this.uow.run(async (em, events) => {
      if (!(await em.existsBy(Machine, { id: input.machineId })))
        throw invalid('machineId', 'no such machine');
      // The plan's counter is recomputed below: no session of the machine may close meanwhile.
      await this.uow.lockMachine(sqlRunnerOf(em), input.machineId);
      if (input.planId != null) {
        const plan = await em.findOneBy(MaintenancePlan, { id: input.planId });
        if (!plan || plan.machineId !== input.machineId)
          throw invalid('planId', "not one of the machine's plans");
      }
      if (input.memberId != null && !(await em.existsBy(Member, { id: input.memberId }))) {
        throw invalid('memberId', 'no such member');
      }
      const saved = await em.save(
        em.create(Intervention, {
          machineId: input.machineId,
          planId: input.planId ?? null,
          memberId: input.memberId ?? null,
          performedAt: new Date(performedAt),
          replay: false,
          source: 'manual',
        }),
      );
      if (saved.planId !== null) await recomputePlans(sqlRunnerOf(em), '"id" = ?', [saved.planId]);
      await this.audit.record(em, actor, 'create', 'intervention', saved.id, null, saved);
      events.publish('plan-changed', { machineId: saved.machineId });
      return saved;
    });
    return this.get(created.id);
  }

  async remove(actor: AuditActor, id: number): Promise<void> {
    await this.uow.run(async (em, events) => {
      const intervention = await em.findOneBy(Intervention, { id });
      if (!intervention) throw notFound('intervention');
      await this.uow.lockMachine(sqlRunnerOf(em), intervention.machineId);
      await em.delete(Intervention, id);
      // The plan counts again from its previous intervention (an admin action: indexed history).
      if (intervention.planId !== null)
        await recomputePlans(sqlRunnerOf(em), '"id" = ?', [intervention.planId]);
      await this.audit.record(em, actor, 'delete', 'intervention', id, intervention, null);
      events.publish('plan-changed', { machineId: intervention.machineId });
    });
  }

  private async toDtos(rows: readonly Intervention[]): Promise<InterventionDto[]> {
    const em = this.reads.manager;
    const machines = await namesById(
      em,
      Machine,
      rows.map((i) => i.machineId),
      (m) => m.name,
    );
    const plans = await namesById(
      em,
      MaintenancePlan,
      rows.map((i) => i.planId),
      (p) => p.description,
    );
    const members = await namesById(
      em,
      Member,
      rows.map((i) => i.memberId),
      (m) => `${m.name} ${m.surname}`.trim(),
    );
    return rows.map((i) => ({
      id: i.id,
      planId: i.planId,
      planDescription: i.planId === null ? null : (plans.get(i.planId) ?? null),
      machineId: i.machineId,
      machineName: machines.get(i.machineId) ?? '',
      memberId: i.memberId,
      memberName: i.memberId === null ? null : (members.get(i.memberId) ?? null),
      performedAt: i.performedAt.toISOString(),
      replay: i.replay,
      source: i.source,
    }));
  }
}

/** The end of a `to` filter: a date alone includes its whole day (UTC). */
function endOf(to: string): number {
  return DATE_ONLY.test(to) ? Date.parse(to) + DAY_MS : Date.parse(to);
}

function invalid(field: string, message: string): ApiError {
  return new ApiError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', `${field} ${message}`, {
    [field]: [message],
  });
}

async function namesById<E extends ObjectLiteral & { id: number }>(
  em: EntityManager,
  entity: new () => E,
  ids: readonly (number | null)[],
  label: (row: E) => string,
): Promise<Map<number, string>> {
  const unique = [...new Set(ids.filter((id): id is number => id !== null))];
  const names = new Map<number, string>();
  for (let start = 0; start < unique.length; start += LOOKUP_CHUNK) {
    const chunk = unique.slice(start, start + LOOKUP_CHUNK);
    const rows = await em.findBy(entity, { id: In(chunk) } as FindOptionsWhere<E>);
    for (const row of rows) names.set(row.id, label(row));
  }
  return names;
}
