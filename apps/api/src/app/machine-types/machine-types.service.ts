import { Injectable } from '@nestjs/common';
import type { MachineTypeDeleteResult, MachineTypeDto, Page } from '@fabomatic/contracts';
import type { Response } from 'express';
import type { EntityManager } from 'typeorm';
import { PortalReads } from '../../core/database/portal-reads';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { conflict, notFound } from '../../core/http/api-error';
import { type ExportColumn, ExportStreams, pagedChunks } from '../../core/http/export';
import { entityChunkRows } from '../../core/http/export-chunks';
import { containing, findPage } from '../../core/http/paging';
import { type AuditActor, AuditService } from '../audit/audit.service';
import { parseReminderDays } from '../authorizations/certification-store';
import { confirmationRequired } from '../machines/delete-confirmation';
import { Machine } from '../machines/machine.entity';
import type {
  MachineTypeExportQueryDto,
  MachineTypeInputDto,
  MachineTypeListQueryDto,
  MachineTypeUpdateDto,
} from './machine-type.dto';
import { MachineType } from './machine-type.entity';

const SORTABLE = { name: 't.name', id: 't.id' } as const;

const EXPORT_COLUMNS: readonly ExportColumn<MachineTypeDto>[] = [
  { header: 'id', value: (t) => t.id },
  { header: 'name', value: (t) => t.name },
  { header: 'autoLogoffMinutes', value: (t) => t.autoLogoffMinutes },
  { header: 'graceMinutes', value: (t) => t.graceMinutes },
  { header: 'accessManagement', value: (t) => t.accessManagement },
  { header: 'membersMayDeclareOutOfOrder', value: (t) => t.membersMayDeclareOutOfOrder },
  { header: 'machines', value: (t) => t.machineCount },
  { header: 'validityDays', value: (t) => t.validityDays },
  { header: 'decayDays', value: (t) => t.decayDays },
  { header: 'reminderDays', value: (t) => t.reminderDays.join(' ') },
];

/** The entity's columns from an input: the reminder steps are stored as `30,7,1`. */
function columns(input: Partial<MachineTypeInputDto>): Partial<MachineType> {
  const { reminderDays, ...rest } = input;
  return {
    ...rest,
    ...(reminderDays === undefined
      ? {}
      : { reminderDays: parseReminderDays(reminderDays.join(',')).join(',') }),
  };
}

@Injectable()
export class MachineTypesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly reads: PortalReads,
    private readonly audit: AuditService,
    private readonly exports: ExportStreams,
  ) {}

  async list(query: MachineTypeListQueryDto): Promise<Page<MachineTypeDto>> {
    const qb = this.reads.manager.createQueryBuilder(MachineType, 't');
    if (query.q) qb.andWhere(`LOWER(t.name) LIKE :q ESCAPE '\\'`, { q: containing(query.q) });
    const page = await findPage(qb, query, SORTABLE, (type) => type);
    const counts = await machineCounts(
      this.reads.manager,
      page.items.map((t) => t.id),
    );
    return { ...page, items: page.items.map((type) => toDto(type, counts.get(type.id) ?? 0)) };
  }

  async export(response: Response, query: MachineTypeExportQueryDto): Promise<void> {
    const { format, ...filters } = query;
    // A catalogue bounded by the lab's size: read through the list's own paging, a chunk a page.
    const rows = pagedChunks((page) =>
      this.list({ ...filters, page, pageSize: entityChunkRows(this.exports) }),
    );
    await this.exports.send(response, format ?? 'csv', 'machine-types', EXPORT_COLUMNS, rows);
  }

  async get(id: number): Promise<MachineTypeDto> {
    const type = await this.reads.manager.findOneBy(MachineType, { id });
    if (!type) throw notFound('machine type');
    const counts = await machineCounts(this.reads.manager, [id]);
    return toDto(type, counts.get(id) ?? 0);
  }

  async create(actor: AuditActor, input: MachineTypeInputDto): Promise<MachineTypeDto> {
    const type = await this.uow.run(async (em) => {
      await assertNameFree(em, input.name);
      const created = await em.save(em.create(MachineType, columns(input)));
      await this.audit.record(em, actor, 'create', 'machine-type', created.id, null, created);
      return created;
    });
    return toDto(type, 0);
  }

  async update(actor: AuditActor, id: number, input: MachineTypeUpdateDto): Promise<MachineTypeDto> {
    await this.uow.run(async (em, events) => {
      const existing = await em.findOneBy(MachineType, { id });
      if (!existing) throw notFound('machine type');
      if (input.name !== undefined && input.name !== existing.name) await assertNameFree(em, input.name);
      const before = { ...existing };
      const saved = await em.save(Object.assign(existing, columns(input)));
      await this.audit.record(em, actor, 'update', 'machine-type', id, before, saved);
      events.publish('machine-type-changed', { typeId: id });
    });
    return this.get(id);
  }

  /** Deletes a type; machines of the type become typeless, which must be confirmed. */
  async remove(actor: AuditActor, id: number, confirm: boolean): Promise<MachineTypeDeleteResult> {
    const result = await this.uow.run(async (em, events) => {
      const type = await em.findOneBy(MachineType, { id });
      if (!type) throw notFound('machine type');
      const machines = (await machineCounts(em, [id])).get(id) ?? 0;
      if (machines > 0 && !confirm) {
        throw confirmationRequired(`${machines} machine(s) have this type and would become typeless`, {
          machines,
        });
      }
      // The foreign key would do it too; said explicitly so it never depends on the driver's pragmas.
      await em.update(Machine, { typeId: id }, { typeId: null });
      await em.delete(MachineType, id);
      await this.audit.record(em, actor, 'delete', 'machine-type', id, { ...type, machines }, null);
      events.publish('machine-type-changed', { typeId: id });
      return { machines };
    });
    return result;
  }
}

async function assertNameFree(em: EntityManager, name: string): Promise<void> {
  if (await em.findOneBy(MachineType, { name })) {
    throw conflict('MACHINE_TYPE_NAME_TAKEN', `a machine type named ${name} exists`, { field: 'name', name });
  }
}

async function machineCounts(em: EntityManager, ids: number[]): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const rows = await em
    .createQueryBuilder(Machine, 'm')
    .select('m."typeId"', 'typeId')
    .addSelect('COUNT(*)', 'count')
    .where('m."typeId" IN (:...ids)', { ids })
    .groupBy('m."typeId"')
    .getRawMany<{ typeId: number; count: string | number }>();
  return new Map(rows.map((r) => [Number(r.typeId), Number(r.count)]));
}

function toDto(type: MachineType, machineCount: number): MachineTypeDto {
  return {
    id: type.id,
    name: type.name,
    autoLogoffMinutes: type.autoLogoffMinutes,
    graceMinutes: type.graceMinutes,
    accessManagement: type.accessManagement,
    membersMayDeclareOutOfOrder: type.membersMayDeclareOutOfOrder,
    machineCount,
    validityDays: type.validityDays,
    decayDays: type.decayDays,
    reminderDays: parseReminderDays(type.reminderDays),
  };
}
