import { Injectable } from '@nestjs/common';
import type { Page, RoleDto } from '@fabomatic/contracts';
import type { EntityManager } from 'typeorm';
import { PortalReads } from '../../core/database/portal-reads';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { conflict, notFound } from '../../core/http/api-error';
import { containing, findPage } from '../../core/http/paging';
import { type AuditActor, AuditService } from '../audit/audit.service';
import { Member } from '../members/member.entity';
import type { RoleExportQueryDto, RoleInputDto, RoleListQueryDto, RoleUpdateDto } from './role.dto';
import type { Response } from 'express';
import { type ExportColumn, ExportStreams, pagedChunks } from '../../core/http/export';
import { entityChunkRows } from '../../core/http/export-chunks';
import { Role } from './role.entity';

const SORTABLE = { name: 'r.name', portalAccess: 'r."portalAccess"', id: 'r.id' } as const;

const EXPORT_COLUMNS: readonly ExportColumn<RoleDto>[] = [
  { header: 'Role', value: (r) => r.name },
  { header: 'Authorize all', value: (r) => r.authorizeAll },
  { header: 'Maintenance', value: (r) => r.maintenance },
  { header: 'Portal access', value: (r) => r.portalAccess },
  { header: 'Members', value: (r) => r.memberCount },
];

@Injectable()
export class RolesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly reads: PortalReads,
    private readonly audit: AuditService,
    private readonly exports: ExportStreams,
  ) {}

  async list(query: RoleListQueryDto): Promise<Page<RoleDto>> {
    const qb = this.reads.manager.createQueryBuilder(Role, 'r');
    if (query.q) qb.andWhere(`LOWER(r.name) LIKE :q ESCAPE '\\'`, { q: containing(query.q) });
    if (query.portalAccess) qb.andWhere('r."portalAccess" = :access', { access: query.portalAccess });
    const page = await findPage(qb, query, SORTABLE, (role) => role);
    const counts = await this.memberCounts(
      this.reads.manager,
      page.items.map((r) => r.id),
    );
    return { ...page, items: page.items.map((role) => toDto(role, counts.get(role.id) ?? 0)) };
  }

  async export(response: Response, query: RoleExportQueryDto): Promise<void> {
    const { format, ...filters } = query;
    // A catalogue bounded by the lab's size: read through the list's own paging, a chunk a page.
    const rows = pagedChunks((page) =>
      this.list({ ...filters, page, pageSize: entityChunkRows(this.exports) }),
    );
    await this.exports.send(response, format ?? 'csv', 'roles', EXPORT_COLUMNS, rows);
  }

  async get(id: number): Promise<RoleDto> {
    const role = await this.reads.manager.findOneBy(Role, { id });
    if (!role) throw notFound('role');
    const counts = await this.memberCounts(this.reads.manager, [id]);
    return toDto(role, counts.get(id) ?? 0);
  }

  async create(actor: AuditActor, input: RoleInputDto): Promise<RoleDto> {
    const role = await this.uow.run(async (em) => {
      if (await em.findOneBy(Role, { name: input.name })) throw nameTaken(input.name);
      const created = await em.save(em.create(Role, { ...input, reserved: false }));
      await this.audit.record(em, actor, 'create', 'role', created.id, null, created);
      return created;
    });
    return toDto(role, 0);
  }

  async update(actor: AuditActor, id: number, input: RoleUpdateDto): Promise<RoleDto> {
    const role = await this.uow.run(async (em, events) => {
      const existing = await em.findOneBy(Role, { id });
      if (!existing) throw notFound('role');
      if (existing.reserved) {
        throw conflict('ROLE_RESERVED', 'this role is reserved by the system and cannot be changed');
      }
      if (input.name && input.name !== existing.name && (await em.findOneBy(Role, { name: input.name }))) {
        throw nameTaken(input.name);
      }
      const before = { ...existing };
      const saved = await em.save(Object.assign(existing, input));
      await this.audit.record(em, actor, 'update', 'role', id, before, saved);
      events.publish('role-changed', { roleId: id });
      // The role's portal level may have dropped: every live socket is re-checked now.
      events.publish('portal-access-changed', { memberId: null });
      return saved;
    });
    return this.get(role.id);
  }

  /** Deletes an unused role; a role members still have is refused with their count. */
  async remove(actor: AuditActor, id: number): Promise<void> {
    await this.uow.run(async (em, events) => {
      const role = await em.findOneBy(Role, { id });
      if (!role) throw notFound('role');
      if (role.reserved) {
        throw conflict('ROLE_RESERVED', 'this role is reserved by the system and cannot be deleted');
      }
      const members = (await this.memberCounts(em, [id])).get(id) ?? 0;
      if (members > 0) {
        throw conflict('ROLE_IN_USE', `${members} member(s) have this role: give them another role first`, {
          count: members,
        });
      }
      await em.delete(Role, id);
      await this.audit.record(em, actor, 'delete', 'role', id, role, null);
      events.publish('role-changed', { roleId: id });
    });
  }

  private async memberCounts(em: EntityManager, ids: number[]): Promise<Map<number, number>> {
    if (ids.length === 0) return new Map();
    const rows = await em
      .createQueryBuilder(Member, 'm')
      .select('m."roleId"', 'roleId')
      .addSelect('COUNT(*)', 'count')
      .where('m."roleId" IN (:...ids)', { ids })
      .groupBy('m."roleId"')
      .getRawMany<{ roleId: number; count: string | number }>();
    return new Map(rows.map((r) => [Number(r.roleId), Number(r.count)]));
  }
}

function toDto(role: Role, memberCount: number): RoleDto {
  return {
    id: role.id,
    name: role.name,
    authorizeAll: role.authorizeAll,
    maintenance: role.maintenance,
    portalAccess: role.portalAccess,
    reserved: role.reserved,
    memberCount,
  };
}

const nameTaken = (name: string) =>
  conflict('ROLE_NAME_TAKEN', `a role named ${name} exists`, { field: 'name', name });
