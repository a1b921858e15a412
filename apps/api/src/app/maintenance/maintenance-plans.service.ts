import { HttpStatus, Injectable } from '@nestjs/common';
import type { MaintenancePlanDeleteResult, MaintenancePlanDto, Page } from '@fabomatic/contracts';
import type { Response } from 'express';
import { type EntityManager, In } from 'typeorm';
import { PortalReads } from '../../core/database/portal-reads';
import { sqlRunnerOf } from '../../core/database/sql';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { ApiError, notFound } from '../../core/http/api-error';
import { type ExportColumn, ExportStreams, pagedChunks } from '../../core/http/export';
import { entityChunkRows } from '../../core/http/export-chunks';
import { containing, findPage } from '../../core/http/paging';
import { Clock } from '../../core/time/clock';
import { type AuditActor, AuditService } from '../audit/audit.service';
import { MaintenanceCache } from './maintenance-cache';
import { Machine } from '../machines/machine.entity';
import { recomputePlans } from '../usage/usage-aggregates';
import { Intervention } from './intervention.entity';
import type {
  MaintenancePlanExportQueryDto,
  MaintenancePlanInputDto,
  MaintenancePlanListQueryDto,
  MaintenancePlanUpdateDto,
} from './maintenance-plan.dto';
import { MaintenancePlan } from './maintenance-plan.entity';
import { loadMachineMaintenance, type PlanStatus, planStatuses } from './maintenance-status';

const SORTABLE = {
  id: 'p.id',
  description: 'p.description',
  hoursBetween: 'p."hoursBetween"',
  machineId: 'p."machineId"',
} as const;

const EXPORT_COLUMNS: readonly ExportColumn<MaintenancePlanDto>[] = [
  { header: 'id', value: (p) => p.id },
  { header: 'machine', value: (p) => p.machineName },
  { header: 'description', value: (p) => p.description },
  { header: 'hoursBetween', value: (p) => p.hoursBetween },
  { header: 'hoursSince', value: (p) => Math.round(p.hoursSince * 100) / 100 },
  { header: 'due', value: (p) => p.due },
  { header: 'lastInterventionAt', value: (p) => p.lastInterventionAt },
  { header: 'lcdMessage', value: (p) => p.lcdMessage },
  { header: 'instructionsUrl', value: (p) => p.instructionsUrl },
];

/** Maintenance plans, each with its status: hours of use since its last intervention, and due. */
@Injectable()
export class MaintenancePlansService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly reads: PortalReads,
    private readonly audit: AuditService,
    private readonly cache: MaintenanceCache,
    private readonly clock: Clock,
    private readonly exports: ExportStreams,
  ) {}

  async list(query: MaintenancePlanListQueryDto): Promise<Page<MaintenancePlanDto>> {
    const qb = this.reads.manager.createQueryBuilder(MaintenancePlan, 'p');
    if (query.q) qb.andWhere(`LOWER(p.description) LIKE :q ESCAPE '\\'`, { q: containing(query.q) });
    if (query.machineId !== undefined)
      qb.andWhere('p."machineId" = :machineId', { machineId: query.machineId });
    const page = await findPage(qb, query, SORTABLE, (plan) => plan);
    return { ...page, items: await this.toDtos(page.items) };
  }

  async export(response: Response, query: MaintenancePlanExportQueryDto): Promise<void> {
    const { format, ...filters } = query;
    // A catalogue bounded by the lab's size: read through the list's own paging, a chunk a page.
    const rows = pagedChunks((page) =>
      this.list({ ...filters, page, pageSize: entityChunkRows(this.exports) }),
    );
    await this.exports.send(response, format ?? 'csv', 'maintenance-plans', EXPORT_COLUMNS, rows);
  }

  async get(id: number): Promise<MaintenancePlanDto> {
    const plan = await this.reads.manager.findOneBy(MaintenancePlan, { id });
    if (!plan) throw notFound('maintenance plan');
    const [dto] = await this.toDtos([plan]);
    if (!dto) throw notFound('maintenance plan');
    return dto;
  }

  async create(actor: AuditActor, input: MaintenancePlanInputDto): Promise<MaintenancePlanDto> {
    const plan = await this.uow.run(async (em, events) => {
      await assertMachineExists(em, input.machineId);
      const created = await em.save(
        em.create(MaintenancePlan, {
          machineId: input.machineId,
          hoursBetween: input.hoursBetween,
          description: input.description,
          lcdMessage: input.lcdMessage ?? '',
          instructionsUrl: input.instructionsUrl ?? null,
        }),
      );
      // A new plan has seen every closed session of its machine (none of its interventions yet).
      await this.uow.lockMachine(sqlRunnerOf(em), created.machineId);
      await recomputePlans(sqlRunnerOf(em), '"id" = ?', [created.id]);
      await this.audit.record(em, actor, 'create', 'maintenance-plan', created.id, null, created);
      events.publish('plan-changed', { machineId: created.machineId });
      return created;
    });
    return this.get(plan.id);
  }

  async update(actor: AuditActor, id: number, input: MaintenancePlanUpdateDto): Promise<MaintenancePlanDto> {
    await this.uow.run(async (em, events) => {
      const existing = await em.findOneBy(MaintenancePlan, { id });
      if (!existing) throw notFound('maintenance plan');
      if (input.machineId !== undefined && input.machineId !== existing.machineId) {
        await assertMachineExists(em, input.machineId);
      }
      const before = { ...existing };
      const saved = await em.save(Object.assign(existing, input));
      if (saved.machineId !== before.machineId) {
        // Moved to another machine: it counts that machine's use since its last intervention.
        await this.uow.lockMachine(sqlRunnerOf(em), saved.machineId);
        await recomputePlans(sqlRunnerOf(em), '"id" = ?', [id]);
      }
      await this.audit.record(em, actor, 'update', 'maintenance-plan', id, before, saved);
      for (const machineId of new Set([before.machineId, saved.machineId]))
        events.publish('plan-changed', { machineId });
    });
    return this.get(id);
  }

  /** Deletes a plan; its interventions stay in the history, detached from it. */
  async remove(actor: AuditActor, id: number): Promise<MaintenancePlanDeleteResult> {
    const { detachedInterventions } = await this.uow.run(async (em, events) => {
      const plan = await em.findOneBy(MaintenancePlan, { id });
      if (!plan) throw notFound('maintenance plan');
      const detached = await em.countBy(Intervention, { planId: id });
      await em.update(Intervention, { planId: id }, { planId: null });
      await em.delete(MaintenancePlan, id);
      await this.audit.record(em, actor, 'delete', 'maintenance-plan', id, plan, null);
      events.publish('plan-changed', { machineId: plan.machineId });
      return { detachedInterventions: detached };
    });
    return { detachedInterventions };
  }

  /** Statuses come from the same sums as the boards' `checkmachine` (their cache when fresh). */
  private async toDtos(plans: readonly MaintenancePlan[]): Promise<MaintenancePlanDto[]> {
    const machineIds = [...new Set(plans.map((p) => p.machineId))];
    if (machineIds.length === 0) return [];
    const machines = await this.reads.manager.find(Machine, {
      select: { id: true, name: true },
      where: { id: In(machineIds) },
    });
    const names = new Map(machines.map((m) => [m.id, m.name]));
    const now = this.clock.now().getTime();
    const statuses = new Map<number, PlanStatus>();
    for (const machineId of machineIds) {
      const maintenance =
        this.cache.peek(machineId, now) ?? (await loadMachineMaintenance(this.reads, machineId));
      for (const status of planStatuses(maintenance, now)) statuses.set(status.planId, status);
    }
    return plans.map((plan) => {
      const status = statuses.get(plan.id);
      return {
        id: plan.id,
        machineId: plan.machineId,
        machineName: names.get(plan.machineId) ?? '',
        hoursBetween: plan.hoursBetween,
        description: plan.description,
        lcdMessage: plan.lcdMessage,
        instructionsUrl: plan.instructionsUrl,
        lastInterventionAt: status?.lastInterventionAt
          ? new Date(status.lastInterventionAt).toISOString()
          : null,
        hoursSince: status?.hoursSince ?? 0,
        due: status?.due ?? false,
      };
    });
  }
}

async function assertMachineExists(em: EntityManager, machineId: number): Promise<void> {
  if (!(await em.existsBy(Machine, { id: machineId }))) {
    throw new ApiError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', 'no such machine', {
      machineId: ['no such machine'],
    });
  }
}
