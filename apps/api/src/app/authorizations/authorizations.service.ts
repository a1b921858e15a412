import { HttpStatus, Injectable } from '@nestjs/common';
import type { AuthorizationDto, BulkAuthorizationResult, Page } from '@fabomatic/contracts';
import type { Response } from 'express';
import { type EntityManager, In, type SelectQueryBuilder } from 'typeorm';
import { PortalReads } from '../../core/database/portal-reads';
import { UnitOfWork } from '../../core/database/unit-of-work';
import type { PendingEvents } from '../../core/events/domain-events';
import { ApiError, conflict, notFound } from '../../core/http/api-error';
import { type ExportColumn, ExportStreams, keysetQuery } from '../../core/http/export';
import { containing, findPage } from '../../core/http/paging';
import { Clock } from '../../core/time/clock';
import { AuditService } from '../audit/audit.service';
import type { SessionUser } from '../auth/session-user';
import { Machine } from '../machines/machine.entity';
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
import { Authorization } from './authorization.entity';

const SORTABLE = {
  member: 'mb.name',
  machine: 'mc.nameSortKey',
  createdAt: 'a.createdAt',
  expiresAt: 'a.expiresAt',
  id: 'a.id',
} as const;

/** Rows one INSERT carries in a bulk authorization (well under SQLite's parameter limit). */
const INSERT_CHUNK = 100;

type Loaded = Authorization & { member: Member; machine: Machine };

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
  ) {}

  async list(query: AuthorizationListQueryDto): Promise<Page<AuthorizationDto>> {
    const now = this.clock.now();
    return findPage(this.filtered(query), query, SORTABLE, (a) => toDto(a as Loaded, now));
  }

  async export(query: AuthorizationExportQueryDto, response: Response): Promise<void> {
    const now = this.clock.now();
    const rows = keysetQuery(
      () => this.filtered(query),
      { keys: [SORTABLE.member, SORTABLE.machine], id: SORTABLE.id, direction: 'ASC' },
      this.exports.chunkRows,
      async (qb) => {
        const { raw, entities } = await qb.getRawAndEntities();
        return { raw, rows: entities.map((a) => toDto(a as Loaded, now)) };
      },
    );
    await this.exports.send(response, query.format ?? 'csv', 'authorizations', EXPORT_COLUMNS, rows);
  }

  async get(id: number): Promise<AuthorizationDto> {
    const found = await this.reads.manager.findOne(Authorization, {
      where: { id },
      relations: { member: true, machine: true },
    });
    if (!found) throw notFound('authorization');
    return toDto(found as Loaded, this.clock.now());
  }

  async create(actor: SessionUser, input: AuthorizationInputDto): Promise<AuthorizationDto> {
    const expiresAt = futureExpiry(input.expiresAt, this.clock.now());
    const id = await this.write(async (em, events) => {
      await this.authorizable(em, 'memberId', [input.memberId]);
      await this.machine(em, input.machineId);
      if (await em.existsBy(Authorization, { memberId: input.memberId, machineId: input.machineId })) {
        throw alreadyAuthorized();
      }
      const created = await em.save(
        em.create(Authorization, {
          memberId: input.memberId,
          machineId: input.machineId,
          expiresAt,
        }),
      );
      await this.audit.record(em, actor, 'create', 'authorization', created.id, null, created);
      events.publish('authorization-changed', { memberId: input.memberId, machineId: input.machineId });
      return created.id;
    });
    return this.get(id);
  }

  /** Authorizes many members on one machine: creates the missing authorizations, skips existing ones. */
  async bulk(actor: SessionUser, input: BulkAuthorizationInputDto): Promise<BulkAuthorizationResult> {
    const memberIds = [...new Set(input.memberIds)];
    const expiresAt = futureExpiry(input.expiresAt, this.clock.now());
    return this.write(async (em, events) => {
      await this.machine(em, input.machineId);
      await this.authorizable(em, 'memberIds', memberIds);
      const existing = await em.find(Authorization, {
        select: { memberId: true },
        where: { machineId: input.machineId, memberId: In(memberIds) },
      });
      const have = new Set(existing.map((a) => a.memberId));
      const missing = memberIds.filter((id) => !have.has(id));
      for (let i = 0; i < missing.length; i += INSERT_CHUNK) {
        const rows = missing
          .slice(i, i + INSERT_CHUNK)
          .map((memberId) => em.create(Authorization, { memberId, machineId: input.machineId, expiresAt }));
        const saved = await em.save(rows);
        for (const row of saved)
          await this.audit.record(em, actor, 'create', 'authorization', row.id, null, row);
      }
      events.publish('authorization-changed', { memberId: null, machineId: input.machineId });
      return { created: missing.length, skipped: memberIds.length - missing.length };
    });
  }

  async update(actor: SessionUser, id: number, input: AuthorizationUpdateDto): Promise<AuthorizationDto> {
    const expiresAt = futureExpiry(input.expiresAt, this.clock.now());
    await this.write(async (em, events) => {
      const existing = await em.findOneBy(Authorization, { id });
      if (!existing) throw notFound('authorization');
      const before = { ...existing };
      const saved = await em.save(Object.assign(existing, { expiresAt }));
      await this.audit.record(em, actor, 'update', 'authorization', id, before, saved);
      events.publish('authorization-changed', { memberId: saved.memberId, machineId: saved.machineId });
    });
    return this.get(id);
  }

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

  private filtered(query: AuthorizationListQueryDto): SelectQueryBuilder<Authorization> {
    const qb = this.reads.manager
      .createQueryBuilder(Authorization, 'a')
      .innerJoinAndSelect('a.member', 'mb')
      .innerJoinAndSelect('a.machine', 'mc')
      // A deleted member's authorizations grant nothing; they come back if the member is restored.
      .where('mb."deletedAt" IS NULL');
    if (query.memberId !== undefined) qb.andWhere('a."memberId" = :memberId', { memberId: query.memberId });
    if (query.machineId !== undefined)
      qb.andWhere('a."machineId" = :machineId', { machineId: query.machineId });
    if (query.expired !== undefined) {
      const now = this.clock.now().getTime();
      qb.andWhere(
        query.expired
          ? 'a."expiresAt" IS NOT NULL AND a."expiresAt" <= :now'
          : '(a."expiresAt" IS NULL OR a."expiresAt" > :now)',
        { now },
      );
    }
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

function toDto(a: Loaded, now: Date): AuthorizationDto {
  return {
    id: a.id,
    memberId: a.memberId,
    memberName: a.member.name,
    memberSurname: a.member.surname,
    memberDisabled: a.member.disabled,
    machineId: a.machineId,
    machineName: a.machine.name,
    expiresAt: a.expiresAt?.toISOString() ?? null,
    expired: a.expiresAt !== null && a.expiresAt.getTime() <= now.getTime(),
    createdAt: a.createdAt.toISOString(),
  };
}

const EXPORT_COLUMNS: readonly ExportColumn<AuthorizationDto>[] = [
  { header: 'id', value: (a) => a.id },
  { header: 'member id', value: (a) => a.memberId },
  { header: 'name', value: (a) => a.memberName },
  { header: 'surname', value: (a) => a.memberSurname },
  { header: 'machine', value: (a) => a.machineName },
  { header: 'expires at', value: (a) => a.expiresAt },
  { header: 'expired', value: (a) => a.expired },
  { header: 'created at', value: (a) => a.createdAt },
];

const alreadyAuthorized = () =>
  conflict('ALREADY_AUTHORIZED', 'this member is already authorized on this machine');
