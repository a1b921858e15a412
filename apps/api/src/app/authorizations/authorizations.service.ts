import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import {
  type AuthorizationDto,
  type AuthorizationHistoryDto,
  type AuthorizationState,
  type AuthorizationTransitionRequest,
  type BulkAuthorizationResult,
  DEFAULT_PAGE_SIZE,
  hasAccess,
  type Page,
} from '@fabomatic/contracts';
import type { Response } from 'express';
import { type EntityManager, In, type SelectQueryBuilder } from 'typeorm';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { PortalReads } from '../../core/database/portal-reads';
import { UnitOfWork } from '../../core/database/unit-of-work';
import type { PendingEvents } from '../../core/events/domain-events';
import { ApiError, conflict, notFound } from '../../core/http/api-error';
import { type ExportColumn, ExportStreams, keysetQuery } from '../../core/http/export';
import { entityChunkRows } from '../../core/http/export-chunks';
import { containing, findPage, sortExpression } from '../../core/http/paging';
import { Clock } from '../../core/time/clock';
import { AuditService } from '../audit/audit.service';
import type { SessionUser } from '../auth/session-user';
import { MachineType } from '../machine-types/machine-type.entity';
import { Machine } from '../machines/machine.entity';
import { Role } from '../roles/role.entity';
import { fullName } from '../usage/activity-query';
import { Member } from '../members/member.entity';
import { isUniqueViolation } from '../members/unique-violation';
import type {
  AuthorizationExportQueryDto,
  AuthorizationInputDto,
  AuthorizationListQueryDto,
  AuthorizationUpdateDto,
  BulkAuthorizationInputDto,
} from './authorization.dto';
import { AuthorizationChangeEntry } from './authorization-change.entity';
import { Authorization } from './authorization.entity';
import {
  afterRow,
  type AuthorizationRow,
  AuthorizationRowReader,
  factsOf,
  mayBeInStates,
  type StateFilterContext,
} from './authorization-rows';
import { activeState, certificationState, effectiveExpiry, type LifecycleAction } from './certification';
import { assertMayManage, certificationActor, notTrainerForType, trainedTypes } from './certification-access';
import {
  applyLifecycle,
  grantAuthorization,
  type LifecycleContext,
  parseReminderDays,
  policyOf,
  recordChange,
} from './certification-store';

const SORTABLE = {
  member: 'mb.name',
  machine: 'mc.nameSortKey',
  createdAt: 'a.createdAt',
  expiresAt: 'a.expiresAt',
  id: 'a.id',
} as const;

type Loaded = Authorization & {
  member: Member & { role?: Role };
  machine: Machine & { type?: MachineType | null };
  grantedBy?: Member | null;
};

/**
 * Rows a chunk of a derived-state list reads: a chunk's rows are converted and judged on the event
 * loop (a few ms for 200), which is free between chunks.
 */
const STATE_CHUNK_ROWS = 200;

/** The states stored as such; the others (expiring, expired) are derived from dates at read time. */
const DERIVED: readonly AuthorizationState[] = ['active', 'expiring', 'expired'];

/** Extra restriction of a list: only these machine types (a trainer's own page). */
interface Scope {
  readonly typeIds?: ReadonlySet<number>;
}

const invalid = (field: string, message: string) =>
  new ApiError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', message, { [field]: [message] });
const toDate = (iso: string | null | undefined) => (iso ? new Date(iso) : null);

/**
 * An expiry already past would grant nothing, shown "expired" at once: a typing mistake (2020 for
 * 2030). Refused; an authorization that must end now is deleted instead.
 */
function futureExpiry(iso: string | null | undefined, now: Date): Date | null {
  const expiresAt = toDate(iso);
  if (expiresAt !== null && expiresAt.getTime() <= now.getTime()) {
    throw new ApiError(
      HttpStatus.BAD_REQUEST,
      'AUTHORIZATION_EXPIRY_PAST',
      'the expiry date is already past',
      {
        expiresAt: ['must be in the future'],
      },
    );
  }
  return expiresAt;
}

/** Member × machine authorizations, optionally expiring; the boards see a change within the second. */
@Injectable()
export class AuthorizationsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly reads: PortalReads,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly exports: ExportStreams,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'LAB_TIME_ZONE'>,
  ) {}

  /**
   * The list with each row's lifecycle. A filter on a derived state (active, expiring, expired)
   * cannot be SQL alone: the effective expiry counts lab days under the type's policy. The query
   * keeps the rows that may be in the state (mayBeInStates), reads them by keyset, a chunk at a
   * time with the event loop free between chunks, and applies the exact rule here: the page's rows
   * are kept, the others only counted.
   */
  async list(query: AuthorizationListQueryDto, scope: Scope = {}): Promise<Page<AuthorizationDto>> {
    const now = this.clock.now();
    const wanted = this.wantedStates(query);
    const toRow = (a: Authorization) => this.toDto(rowOf(a as Loaded), now);
    if (wanted === null) return findPage(this.filtered(query, scope), query, SORTABLE, toRow);
    const sortKey = query.sort ?? 'member';
    const expression = sortExpression(SORTABLE, sortKey);
    if (expression === undefined) return findPage(this.filtered(query, scope), query, SORTABLE, toRow); // refuses the sort
    const direction = query.order === 'desc' ? 'DESC' : 'ASC';
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
    const first = (page - 1) * pageSize;
    const context = await this.stateContext(now);
    const reader = this.rowReader();
    const nullsHigh = this.reads.manager.connection.options.type === 'postgres';
    // Read back as text: PostgreSQL's timestamps have microseconds, a Date only milliseconds.
    const cursorSql = sortKey === 'createdAt' ? `CAST(${expression} AS TEXT)` : expression;
    const items: AuthorizationDto[] = [];
    let total = 0;
    let after: { readonly value: unknown; readonly id: number } | null = null;
    for (;;) {
      const qb = mayBeInStates(reader.select(this.filtered(query, scope)), wanted, context);
      qb.addSelect(`(${cursorSql})`, 'cursor_value');
      if (after) afterRow(qb, expression, direction, nullsHigh, after.value, after.id);
      qb.orderBy(expression, direction).addOrderBy('a.id', direction).limit(STATE_CHUNK_ROWS);
      const raw = await qb.getRawMany<Record<string, unknown>>();
      for (const r of raw) {
        const row = reader.row(r);
        if (!wanted.has(this.stateOf(row, context.now))) continue;
        if (total >= first && items.length < pageSize) items.push(this.toDto(row, now));
        total += 1;
      }
      const last = raw.at(-1);
      if (raw.length < STATE_CHUNK_ROWS || last === undefined) break;
      after = { value: last['cursor_value'], id: Number(last['a_id']) };
      // Between chunks the board replies and other requests get their turn.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return { items, total, page, pageSize };
  }

  /** A trainer's page: the authorizations of the machine types they train (none: an empty page). */
  async trainees(user: SessionUser, query: AuthorizationListQueryDto): Promise<Page<AuthorizationDto>> {
    const typeIds = await trainedTypes(this.reads.manager, user.id);
    return this.list(query, { typeIds });
  }

  /** Derived-state filters (state=active|expiring|expired, or the older `expired`), else null. */
  private wantedStates(query: AuthorizationListQueryDto): ReadonlySet<AuthorizationState> | null {
    if (query.state !== undefined) return DERIVED.includes(query.state) ? new Set([query.state]) : null;
    if (query.expired === undefined) return null;
    return new Set<AuthorizationState>(
      query.expired ? ['expired'] : ['pending', 'active', 'expiring', 'suspended', 'revoked'],
    );
  }

  async export(query: AuthorizationExportQueryDto, response: Response): Promise<void> {
    const now = this.clock.now();
    const wanted = this.wantedStates(query);
    const context = wanted === null ? null : await this.stateContext(now);
    const reader = this.rowReader();
    const rows = keysetQuery(
      () => {
        const qb = reader.select(this.filtered(query));
        return wanted && context ? mayBeInStates(qb, wanted, context) : qb;
      },
      { keys: [SORTABLE.member, SORTABLE.machine], id: SORTABLE.id, direction: 'ASC' },
      entityChunkRows(this.exports),
      async (qb) => {
        const raw = await qb.getRawMany<Record<string, unknown>>();
        const rows = raw.map((r) => this.toDto(reader.row(r), now));
        return { raw, rows: wanted === null ? rows : rows.filter((a) => wanted.has(a.state)) };
      },
    );
    await this.exports.send(response, query.format ?? 'csv', 'authorizations', EXPORT_COLUMNS, rows);
  }

  async get(id: number): Promise<AuthorizationDto> {
    const found = await this.joined().where('a.id = :id', { id }).getOne();
    if (!found) throw notFound('authorization');
    return this.toDto(rowOf(found as Loaded), this.clock.now());
  }

  private rowReader(): AuthorizationRowReader {
    return new AuthorizationRowReader(this.reads.manager.connection);
  }

  /** What a derived-state filter needs: the reminder windows of the machine types that have any. */
  private async stateContext(now: Date): Promise<StateFilterContext> {
    const types = await this.reads.manager.find(MachineType, { select: { id: true, reminderDays: true } });
    const windows = new Map<number, number>();
    for (const type of types) {
      const window = Math.max(0, ...parseReminderDays(type.reminderDays));
      if (window > 0) windows.set(type.id, window);
    }
    return { now: now.getTime(), timeZone: this.config.LAB_TIME_ZONE, windows };
  }

  private stateOf(row: AuthorizationRow, now: number): AuthorizationState {
    return certificationState(factsOf(row), row.policy, this.config.LAB_TIME_ZONE, now);
  }

  /**
   * An authorization's history, oldest first: staff (read-only and up), the trainers of its type, and
   * the member it belongs to.
   */
  async history(user: SessionUser, id: number): Promise<AuthorizationHistoryDto[]> {
    const em = this.reads.manager;
    const found = await em.findOne(Authorization, { where: { id }, relations: { machine: true } });
    if (!found) throw notFound('authorization');
    if (!hasAccess(user.access, 'read-only') && found.memberId !== user.id) {
      const types = await trainedTypes(em, user.id);
      if (found.machine?.typeId == null || !types.has(found.machine.typeId)) throw notTrainerForType();
    }
    const rows = await em
      .createQueryBuilder(AuthorizationChangeEntry, 'h')
      .leftJoinAndMapOne('h.actor', Member, 'ac', 'ac.id = h."actorId"')
      .where('h."authorizationId" = :id', { id })
      .orderBy('h.at', 'ASC')
      .addOrderBy('h.id', 'ASC')
      .getMany();
    return rows.map((h) => {
      const actor = (h as AuthorizationChangeEntry & { actor?: Member | null }).actor;
      return {
        id: h.id,
        at: h.at.toISOString(),
        change: h.change,
        from: h.fromStatus,
        to: h.toStatus,
        reason: h.reason,
        actor: actor ? { id: actor.id, name: fullName(actor) } : null,
        expiresAt: h.expiresAt?.toISOString() ?? null,
      };
    });
  }

  /**
   * Renew, suspend, reinstate or revoke (suspend and revoke need a reason): managers and admins, or a
   * trainer of the machine's type on someone else's authorization. History row, audit, boards told.
   */
  async transition(
    user: SessionUser,
    id: number,
    action: Exclude<LifecycleAction, 'grant'>,
    input: AuthorizationTransitionRequest,
  ): Promise<AuthorizationDto> {
    await this.write(async (em, events) => {
      const existing = await em.findOneBy(Authorization, { id });
      if (!existing) throw notFound('authorization');
      const machine = await em.findOneBy(Machine, { id: existing.machineId });
      assertMayManage(await certificationActor(em, user), existing.memberId, machine?.typeId ?? null);
      const before = { ...existing };
      const saved = await applyLifecycle(em, existing, action, this.context(user), {
        reason: input.reason ?? null,
      });
      await this.audit.record(em, user, 'update', 'authorization', id, before, saved);
      events.publish('authorization-changed', { memberId: saved.memberId, machineId: saved.machineId });
    });
    return this.get(id);
  }

  private context(user: SessionUser | null): LifecycleContext {
    return { actorId: user?.id ?? null, now: this.clock.now(), timeZone: this.config.LAB_TIME_ZONE };
  }

  private joined(): SelectQueryBuilder<Authorization> {
    return this.reads.manager
      .createQueryBuilder(Authorization, 'a')
      .innerJoinAndSelect('a.member', 'mb')
      .leftJoinAndSelect('mb.role', 'rl')
      .innerJoinAndSelect('a.machine', 'mc')
      .leftJoinAndSelect('mc.type', 'mt')
      .leftJoinAndMapOne('a.grantedBy', Member, 'gb', 'gb.id = a."grantedById"');
  }

  private toDto(a: AuthorizationRow, now: Date): AuthorizationDto {
    const facts = factsOf(a);
    const timeZone = this.config.LAB_TIME_ZONE;
    const expiry = effectiveExpiry(facts, a.policy, timeZone);
    const state =
      facts.status === 'active' ? activeState(expiry, a.policy, timeZone, now.getTime()) : facts.status;
    return {
      id: a.id,
      memberId: a.memberId,
      memberName: a.member.name,
      memberSurname: a.member.surname,
      memberDisabled: a.member.disabled,
      machineId: a.machineId,
      machineName: a.machine.name,
      machineTypeId: a.machine.typeId ?? null,
      expiresAt: a.expiresAt?.toISOString() ?? null,
      expired: state === 'expired',
      createdAt: a.createdAt.toISOString(),
      state,
      effectiveExpiresAt: expiry === null ? null : new Date(expiry.at).toISOString(),
      expiryCause: expiry?.cause ?? null,
      lastUsedAt: a.lastUsedAt?.toISOString() ?? null,
      grantedAt: a.grantedAt?.toISOString() ?? null,
      grantedBy: a.grantedBy ? { id: a.grantedBy.id, name: fullName(a.grantedBy) } : null,
      exempt: facts.exempt,
    };
  }

  /**
   * Grants (grantAuthorization: history row, validity from the type's policy unless `expiresAt` is
   * given): managers, admins, and trainers of the machine's type for other members. A pending or
   * revoked authorization is granted again; an active or suspended one is a conflict.
   */
  async create(actor: SessionUser, input: AuthorizationInputDto): Promise<AuthorizationDto> {
    const expiresAt =
      input.expiresAt === undefined ? undefined : futureExpiry(input.expiresAt, this.clock.now());
    const id = await this.write(async (em, events) => {
      await this.authorizable(em, 'memberId', [input.memberId]);
      const machine = await this.machine(em, input.machineId);
      assertMayManage(await certificationActor(em, actor), input.memberId, machine.typeId);
      const { authorization, changed } = await grantAuthorization(
        em,
        input.memberId,
        input.machineId,
        this.context(actor),
        expiresAt === undefined ? {} : { expiresAt },
      );
      if (!changed) throw alreadyAuthorized();
      await this.audit.record(em, actor, 'create', 'authorization', authorization.id, null, authorization);
      events.publish('authorization-changed', { memberId: input.memberId, machineId: input.machineId });
      return authorization.id;
    });
    return this.get(id);
  }

  /**
   * Authorizes many members on one machine: grants the missing (or pending, or revoked)
   * authorizations, skips those in force or suspended. Trainers: their types, never themselves.
   */
  async bulk(actor: SessionUser, input: BulkAuthorizationInputDto): Promise<BulkAuthorizationResult> {
    const memberIds = [...new Set(input.memberIds)];
    const expiresAt =
      input.expiresAt === undefined ? undefined : futureExpiry(input.expiresAt, this.clock.now());
    return this.write(async (em, events) => {
      const machine = await this.machine(em, input.machineId);
      const who = await certificationActor(em, actor);
      for (const memberId of memberIds) assertMayManage(who, memberId, machine.typeId);
      await this.authorizable(em, 'memberIds', memberIds);
      const context = this.context(actor);
      let created = 0;
      for (const memberId of memberIds) {
        const { authorization, changed } = await grantAuthorization(
          em,
          memberId,
          input.machineId,
          context,
          expiresAt === undefined ? {} : { expiresAt },
        );
        if (!changed) continue;
        created += 1;
        await this.audit.record(em, actor, 'create', 'authorization', authorization.id, null, authorization);
      }
      events.publish('authorization-changed', { memberId: null, machineId: input.machineId });
      return { created, skipped: memberIds.length - created };
    });
  }

  async update(actor: SessionUser, id: number, input: AuthorizationUpdateDto): Promise<AuthorizationDto> {
    const expiresAt = futureExpiry(input.expiresAt, this.clock.now());
    await this.write(async (em, events) => {
      const existing = await em.findOneBy(Authorization, { id });
      if (!existing) throw notFound('authorization');
      const before = { ...existing };
      const saved = await em.save(Object.assign(existing, { expiresAt }));
      await recordChange(em, saved, 'expiry-changed', before.status, null, this.context(actor));
      await this.audit.record(em, actor, 'update', 'authorization', id, before, saved);
      events.publish('authorization-changed', { memberId: saved.memberId, machineId: saved.machineId });
    });
    return this.get(id);
  }

  /**
   * Admins only: erases an authorization entered by mistake (its history rows stay, as the audit
   * entry does). Everyone else revokes: nothing of a certification is deleted.
   */
  async remove(actor: SessionUser, id: number): Promise<void> {
    await this.write(async (em, events) => {
      const existing = await em.findOneBy(Authorization, { id });
      if (!existing) throw notFound('authorization');
      await em.delete(Authorization, id);
      await this.audit.record(em, actor, 'delete', 'authorization', id, existing, null);
      events.publish('authorization-changed', { memberId: existing.memberId, machineId: existing.machineId });
    });
  }

  /**
   * Runs a change (a lost race on the member × machine index is a conflict); its
   * `authorization-changed` reaches the boards' directory once committed.
   */
  private async write<T>(work: (em: EntityManager, events: PendingEvents) => Promise<T>): Promise<T> {
    try {
      return await this.uow.run(work);
    } catch (error) {
      if (isUniqueViolation(error)) throw alreadyAuthorized();
      throw error;
    }
  }

  private filtered(query: AuthorizationListQueryDto, scope: Scope = {}): SelectQueryBuilder<Authorization> {
    const qb = this.joined()
      // A deleted member's authorizations grant nothing; they come back if the member is restored.
      .where('mb."deletedAt" IS NULL');
    if (query.memberId !== undefined) qb.andWhere('a."memberId" = :memberId', { memberId: query.memberId });
    if (query.machineId !== undefined)
      qb.andWhere('a."machineId" = :machineId', { machineId: query.machineId });
    if (query.machineTypeId !== undefined)
      qb.andWhere('mc."typeId" = :machineTypeId', { machineTypeId: query.machineTypeId });
    if (scope.typeIds !== undefined)
      qb.andWhere('mc."typeId" IN (:...scopeTypeIds)', { scopeTypeIds: [...scope.typeIds, 0] });
    // Derived states read the active rows and are told apart in `list` (see wantedStates).
    if (query.state !== undefined)
      qb.andWhere('a.status = :status', { status: DERIVED.includes(query.state) ? 'active' : query.state });
    if (query.q) {
      qb.andWhere(
        `(LOWER(mb.name) LIKE :q ESCAPE '\\' OR LOWER(mb.surname) LIKE :q ESCAPE '\\'
          OR LOWER(mb.name || ' ' || mb.surname) LIKE :q ESCAPE '\\' OR LOWER(mc.name) LIKE :q ESCAPE '\\')`,
        { q: containing(query.q) },
      );
    }
    return qb;
  }

  /** The members exist and are not deleted (deleted members cannot be authorized). */
  private async authorizable(em: EntityManager, field: string, memberIds: readonly number[]): Promise<void> {
    const found = await em.find(Member, {
      select: { id: true, name: true, surname: true, deletedAt: true },
      where: { id: In([...memberIds]) },
    });
    const live = new Set(found.filter((m) => !m.deletedAt).map((m) => m.id));
    const refused = memberIds.filter((id) => !live.has(id));
    if (refused.length === 0) return;
    const missing = refused.filter((id) => !found.some((m) => m.id === id));
    if (missing.length > 0) throw invalid(field, `no member has the id ${missing.join(', ')}`);
    const names = found
      .filter((m) => m.deletedAt)
      .map(fullName)
      .join(', ');
    throw conflict('MEMBER_DELETED_NOT_AUTHORIZABLE', `deleted members cannot be authorized: ${names}`, {
      members: names,
    });
  }

  private async machine(em: EntityManager, id: number): Promise<Machine> {
    const machine = await em.findOneBy(Machine, { id });
    if (!machine) throw invalid('machineId', 'no machine has this id');
    if (machine.retiredAt)
      throw new ApiError(HttpStatus.CONFLICT, 'MACHINE_RETIRED', `machine ${machine.name} is retired`);
    return machine;
  }
}

const EXPORT_COLUMNS: readonly ExportColumn<AuthorizationDto>[] = [
  { header: 'id', value: (a) => a.id },
  { header: 'member id', value: (a) => a.memberId },
  { header: 'name', value: (a) => a.memberName },
  { header: 'surname', value: (a) => a.memberSurname },
  { header: 'machine', value: (a) => a.machineName },
  { header: 'expires at', value: (a) => a.expiresAt },
  { header: 'expired', value: (a) => a.expired },
  { header: 'state', value: (a) => a.state },
  { header: 'effective expiry', value: (a) => a.effectiveExpiresAt },
  { header: 'expiry cause', value: (a) => a.expiryCause },
  { header: 'last used at', value: (a) => a.lastUsedAt },
  { header: 'granted at', value: (a) => a.grantedAt },
  { header: 'granted by', value: (a) => a.grantedBy?.name ?? null },
  { header: 'created at', value: (a) => a.createdAt },
];

/** An authorization read as entities (a page, one row) as the DTO mapping takes it. */
function rowOf(a: Loaded): AuthorizationRow {
  const role = a.member.role;
  return {
    id: a.id,
    memberId: a.memberId,
    machineId: a.machineId,
    status: a.status,
    expiresAt: a.expiresAt,
    grantedAt: a.grantedAt,
    lastUsedAt: a.lastUsedAt,
    createdAt: a.createdAt,
    member: a.member,
    machine: { name: a.machine.name, typeId: a.machine.typeId ?? null },
    exempt: Boolean(role && (role.authorizeAll || role.maintenance)),
    policy: policyOf(a.machine.type ?? null),
    grantedBy: a.grantedBy ?? null,
  };
}

const alreadyAuthorized = () =>
  conflict('ALREADY_AUTHORIZED', 'this member is already authorized on this machine');
