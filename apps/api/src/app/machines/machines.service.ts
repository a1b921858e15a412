import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type {
  MachineBoardDto,
  MachineDeleteResult,
  MachineDto,
  MachineRetireResult,
  Page,
} from '@fabomatic/contracts';
import type { Response } from 'express';
import { type EntityManager, In, IsNull, Not } from 'typeorm';
import { PortalReads } from '../../core/database/portal-reads';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { pacedSweep } from '../../core/database/paced-sweep';
import { sqlRunnerOf } from '../../core/database/sql';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { ApiError, conflict, notFound } from '../../core/http/api-error';
import { type ExportColumn, ExportStreams, pagedChunks } from '../../core/http/export';
import { entityChunkRows } from '../../core/http/export-chunks';
import { containing, findPage } from '../../core/http/paging';
import { EventBus } from '../../core/events/event-bus';
import { Clock } from '../../core/time/clock';
import { type AuditActor, AuditService } from '../audit/audit.service';
import { Authorization } from '../authorizations/authorization.entity';
import { Board } from '../boards/board.entity';
import { MachineType } from '../machine-types/machine-type.entity';
import { Intervention } from '../maintenance/intervention.entity';
import { MaintenancePlan } from '../maintenance/maintenance-plan.entity';
import { Member } from '../members/member.entity';
import { closeOpenSessions } from '../usage/close-open-sessions';
import { toSessionMessage } from '../usage/session-message';
import { UsageAggregates, warmTotals } from '../usage/usage-aggregates';
import { UsageSession } from '../usage/usage-session.entity';
import { confirmationRequired } from './delete-confirmation';
import type {
  MachineExportQueryDto,
  MachineInputDto,
  MachineListQueryDto,
  MachineUpdateDto,
} from './machine.dto';
import { Machine } from './machine.entity';
import { topicIdTaken } from './topic-id-taken';

const SORTABLE = {
  // the stored natural-order key: MACHINE2 before MACHINE10 (machine-sort-key.ts)
  name: 'm.nameSortKey',
  topicId: 'CAST(m."topicId" AS INTEGER)',
  usageHours: 'm."usageSeconds"',
  lastSeenAt: 'm."lastSeenAt"',
  id: 'm.id',
} as const;

const EXPORT_COLUMNS: readonly ExportColumn<MachineDto>[] = [
  { header: 'id', value: (m) => m.id },
  { header: 'topicId', value: (m) => m.topicId },
  { header: 'name', value: (m) => m.name },
  { header: 'type', value: (m) => m.typeName },
  { header: 'blocked', value: (m) => m.blocked },
  { header: 'usageHours', value: (m) => m.usageHours },
  { header: 'lastSeenAt', value: (m) => m.lastSeenAt },
];

const hoursToSeconds = (hours: number) => Math.round(hours * 3600);

@Injectable()
export class MachinesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly reads: PortalReads,
    private readonly audit: AuditService,
    private readonly exports: ExportStreams,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'LAB_TIME_ZONE'>,
    private readonly clock: Clock,
    private readonly bus: EventBus,
  ) {}

  async list(query: MachineListQueryDto): Promise<Page<MachineDto>> {
    const qb = this.reads.manager.createQueryBuilder(Machine, 'm');
    if (query.q) {
      qb.andWhere(`(LOWER(m.name) LIKE :q ESCAPE '\\' OR m."topicId" LIKE :q ESCAPE '\\')`, {
        q: containing(query.q),
      });
    }
    if (query.typeId !== undefined) qb.andWhere('m."typeId" = :typeId', { typeId: query.typeId });
    if (query.blocked !== undefined) qb.andWhere('m.blocked = :blocked', { blocked: query.blocked });
    // Retired machines keep their history but leave the lists (and pickers) unless asked for.
    qb.andWhere(query.retired ? 'm."retiredAt" IS NOT NULL' : 'm."retiredAt" IS NULL');
    const page = await findPage(qb, query, SORTABLE, (machine) => machine);
    const related = await this.related(page.items);
    return { ...page, items: page.items.map((m) => toDto(m, related)) };
  }

  async export(response: Response, query: MachineExportQueryDto): Promise<void> {
    const { format, ...filters } = query;
    // A catalogue bounded by the lab's size: read through the list's own paging, a chunk a page.
    const rows = pagedChunks((page) =>
      this.list({ ...filters, page, pageSize: entityChunkRows(this.exports) }),
    );
    await this.exports.send(response, format ?? 'csv', 'machines', EXPORT_COLUMNS, rows);
  }

  async get(id: number): Promise<MachineDto> {
    const machine = await this.reads.manager.findOneBy(Machine, { id });
    if (!machine) throw notFound('machine');
    return toDto(machine, await this.related([machine]));
  }

  async create(actor: AuditActor, input: MachineInputDto): Promise<MachineDto> {
    const machine = await this.uow.run(async (em, events) => {
      await assertUnique(em, null, input.topicId, input.name);
      if (input.typeId != null) await assertTypeExists(em, input.typeId);
      const created = await em.save(
        em.create(Machine, {
          topicId: input.topicId,
          name: input.name,
          typeId: input.typeId ?? null,
          blocked: input.blocked ?? false,
          usageSeconds: hoursToSeconds(input.usageHours ?? 0),
          lastSeenAt: null,
        }),
      );
      await assignBoards(em, created);
      await this.audit.record(em, actor, 'create', 'machine', created.id, null, created);
      events.publish('machine-changed', { machineId: created.id });
      return created;
    });
    return this.get(machine.id);
  }

  async update(actor: AuditActor, id: number, input: MachineUpdateDto): Promise<MachineDto> {
    await this.uow.run(async (em, events) => {
      const existing = await em.findOneBy(Machine, { id });
      if (!existing) throw notFound('machine');
      await assertUnique(
        em,
        id,
        input.topicId !== existing.topicId ? input.topicId : undefined,
        input.name !== existing.name ? input.name : undefined,
      );
      if (input.typeId != null && input.typeId !== existing.typeId) await assertTypeExists(em, input.typeId);
      const before = { ...existing };
      const { usageHours, ...fields } = input;
      Object.assign(existing, fields);
      if (usageHours !== undefined) existing.usageSeconds = hoursToSeconds(usageHours);
      const saved = await em.save(existing);
      if (saved.topicId !== before.topicId) await assignBoards(em, saved);
      await this.audit.record(em, actor, 'update', 'machine', id, before, saved);
      events.publish('machine-changed', { machineId: id });
    });
    return this.get(id);
  }

  /**
   * Deletes a machine with its sessions, authorizations, plans and interventions (the foreign keys
   * cascade); when it has any, the delete must be confirmed. Its closed sessions (years of them on
   * an old machine) go first, in small paced transactions with their report totals, so that no board
   * waits seconds behind the delete (docs/performance.md); then the rest goes in one transaction,
   * audited. A delete stopped half-way (the process stopped) leaves the machine with part of its
   * history: deleting it again finishes.
   */
  async remove(actor: AuditActor, id: number, confirm: boolean): Promise<MachineDeleteResult> {
    // Checked before anything changes: a refused delete deletes nothing.
    const counts = await this.uow.run(async (em) => {
      const machine = await em.findOneBy(Machine, { id });
      if (!machine) throw notFound('machine');
      const found: MachineDeleteResult = {
        sessions: await em.countBy(UsageSession, { machineId: id }),
        authorizations: await em.countBy(Authorization, { machineId: id }),
        plans: await em.countBy(MaintenancePlan, { machineId: id }),
        interventions: await em.countBy(Intervention, { machineId: id }),
      };
      const inUseBy = await userOf(em, id);
      if (inUseBy !== null && !confirm) {
        throw confirmationRequired(
          `machine ${machine.name} is in use by ${inUseBy}`,
          { ...found },
          {
            code: 'MACHINE_IN_USE',
            inUseBy,
          },
        );
      }
      if (Object.values(found).some((n) => n > 0) && !confirm) {
        throw confirmationRequired(`machine ${machine.name} has history and settings`, { ...found });
      }
      return found;
    });
    const zone = this.config.LAB_TIME_ZONE;
    await pacedSweep<object>(this.uow, {
      table: 'usage_sessions',
      time: '"startedAt"',
      where: '"machineId" = ? AND "endedAt" IS NOT NULL',
      params: [id],
      warm: (warmer, rows) =>
        warmTotals(
          warmer,
          zone,
          rows.map((r) => r.id),
        ),
      change: async (em, rows) => {
        const ids = rows.map((r) => r.id);
        const list = ids.map(() => '?').join(', ');
        // The report totals lose these sessions in the same transaction (the plans go with the machine).
        await new UsageAggregates(sqlRunnerOf(em), zone).addSessions(-1, `s."id" IN (${list})`, ids);
        await em.delete(UsageSession, ids);
        return ids.length;
      },
    });
    // Its maintenance history too (ten years: ~900 rows spread over the table, 15 ms from disk).
    await pacedSweep<object>(this.uow, {
      table: 'interventions',
      time: '"performedAt"',
      where: '"machineId" = ?',
      params: [id],
      change: async (em, rows) => {
        await em.delete(
          Intervention,
          rows.map((r) => r.id),
        );
        return rows.length;
      },
    });
    return this.uow.run(async (em, events) => {
      const machine = await em.findOneBy(Machine, { id });
      if (!machine) throw notFound('machine');
      // Explicit, child rows first: the result never depends on the driver enforcing foreign keys.
      await em.delete(Intervention, { machineId: id });
      await em.delete(MaintenancePlan, { machineId: id });
      // What is left of its sessions (the open one, any since the sweep) leaves the report totals too.
      await new UsageAggregates(sqlRunnerOf(em), zone).addSessions(-1, 's."machineId" = ?', [id]);
      await em.delete(UsageSession, { machineId: id });
      await em.delete(Authorization, { machineId: id });
      await em.update(Board, { machineId: id }, { machineId: null });
      await em.delete(Machine, id);
      await this.audit.record(em, actor, 'delete', 'machine', id, { ...machine, ...counts }, null);
      events.publish('machine-changed', { machineId: id, removed: true });
      return counts;
    });
  }

  /**
   * Retires a machine: its board refuses everyone from now on, it leaves the lists, and its
   * sessions, authorizations, plans and report totals stay. A session open on it is closed now,
   * hours counted (the board's later `stopuse` is refused).
   */
  async retire(actor: AuditActor, id: number): Promise<MachineRetireResult> {
    const closed = await this.uow.run(async (em, events) => {
      const machine = await em.findOneBy(Machine, { id });
      if (!machine) throw notFound('machine');
      if (machine.retiredAt) throw new ApiError(HttpStatus.CONFLICT, 'MACHINE_RETIRED', 'already retired');
      const now = this.clock.now();
      const inUseBy = await userOf(em, id);
      const sessions = await closeOpenSessions(this.uow, em, 'machineId', id, {
        now: now.getTime(),
        timeZone: this.config.LAB_TIME_ZONE,
      });
      const before = { ...machine };
      // Only this column: closing the session just moved the hour meter this row holds stale.
      await em.update(Machine, { id }, { retiredAt: now });
      await this.audit.record(em, actor, 'retire', 'machine', id, before, {
        ...machine,
        retiredAt: now,
        sessionsClosed: sessions.map((s) => s.id),
      });
      events.publish('machine-changed', { machineId: id });
      return { sessions, inUseBy };
    });
    for (const session of closed.sessions) this.bus.publish('session-stopped', toSessionMessage(session));
    return {
      machine: await this.get(id),
      sessionClosedFor: closed.sessions.length > 0 ? closed.inUseBy : null,
    };
  }

  /** Puts a retired machine back in service: its board is answered again. */
  async reinstate(actor: AuditActor, id: number): Promise<MachineDto> {
    await this.uow.run(async (em, events) => {
      const machine = await em.findOneBy(Machine, { id });
      if (!machine) throw notFound('machine');
      if (!machine.retiredAt)
        throw conflict('MACHINE_NOT_RETIRED', `machine ${machine.name} is not retired`, {
          machine: machine.name,
        });
      await em.update(Machine, { id }, { retiredAt: null });
      await this.audit.record(em, actor, 'reinstate', 'machine', id, machine, {
        ...machine,
        retiredAt: null,
      });
      events.publish('machine-changed', { machineId: id });
    });
    return this.get(id);
  }

  /** The names of the machines' types and the board each one has (its latest seen). */
  private async related(machines: readonly Machine[]): Promise<Related> {
    if (machines.length === 0) return { typeNames: new Map(), boards: new Map() };
    const ids = [...new Set(machines.map((m) => m.typeId).filter((t): t is number => t !== null))];
    const types = ids.length === 0 ? [] : await this.reads.manager.findBy(MachineType, { id: In(ids) });
    const boardRows = await this.reads.manager.find(Board, {
      select: { id: true, serial: true, machineId: true, lastSeenAt: true },
      where: { machineId: In(machines.map((m) => m.id)) },
      order: { lastSeenAt: 'ASC' },
    });
    const boards = new Map<number, MachineBoardDto>();
    for (const b of boardRows)
      if (b.machineId !== null) boards.set(b.machineId, { id: b.id, serial: b.serial });
    return { typeNames: new Map(types.map((t) => [t.id, t.name])), boards };
  }
}

interface Related {
  readonly typeNames: ReadonlyMap<number, string>;
  readonly boards: ReadonlyMap<number, MachineBoardDto>;
}

/** The full name of the member using the machine now, or null when it is free. */
async function userOf(em: EntityManager, machineId: number): Promise<string | null> {
  const open = await em.findOne(UsageSession, { where: { machineId, endedAt: IsNull() } });
  if (!open) return null;
  const member = await em.findOneBy(Member, { id: open.memberId });
  return member ? `${member.name} ${member.surname}`.trim() : `#${open.memberId}`;
}

async function assertUnique(
  em: EntityManager,
  id: number | null,
  topicId: string | undefined,
  name: string | undefined,
): Promise<void> {
  const other = id === null ? {} : { id: Not(id) };
  const holder = topicId === undefined ? null : await em.findOneBy(Machine, { topicId, ...other });
  if (holder) throw topicIdTaken(holder);
  if (name !== undefined && (await em.findOneBy(Machine, { name, ...other }))) {
    throw conflict('MACHINE_NAME_TAKEN', `a machine named ${name} exists`, { field: 'name', name });
  }
}

async function assertTypeExists(em: EntityManager, typeId: number): Promise<void> {
  if (!(await em.existsBy(MachineType, { id: typeId }))) {
    throw new ApiError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', 'no such machine type', {
      typeId: ['no such machine type'],
    });
  }
}

/** The topic id is a board's only identity: boards on the machine's topic are its boards. */
async function assignBoards(em: EntityManager, machine: Machine): Promise<void> {
  await em.update(Board, { machineId: machine.id, topicId: Not(machine.topicId) }, { machineId: null });
  await em.update(Board, { topicId: machine.topicId }, { machineId: machine.id });
}

function toDto(machine: Machine, { typeNames, boards }: Related): MachineDto {
  return {
    id: machine.id,
    topicId: machine.topicId,
    name: machine.name,
    typeId: machine.typeId,
    typeName: machine.typeId === null ? null : (typeNames.get(machine.typeId) ?? null),
    blocked: machine.blocked,
    usageHours: machine.usageSeconds / 3600,
    lastSeenAt: machine.lastSeenAt?.toISOString() ?? null,
    retiredAt: machine.retiredAt?.toISOString() ?? null,
    board: boards.get(machine.id) ?? null,
  };
}
