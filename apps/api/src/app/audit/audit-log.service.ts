import { Injectable } from '@nestjs/common';
import type { AuditEntryDto, Page } from '@fabomatic/contracts';
import type { Response } from 'express';
import type { SelectQueryBuilder } from 'typeorm';
import { PortalReads } from '../../core/database/portal-reads';
import { entityChunkRows } from '../../core/http/export-chunks';
import { type ExportColumn, ExportStreams, keysetQuery } from '../../core/http/export';
import { containing, findKeysetPage } from '../../core/http/paging';
import type { AuditExportQueryDto, AuditListQueryDto } from './audit.dto';
import { AuditEntry } from './audit-entry.entity';
import { withAuditNames } from './audit-names';

/** `id` follows the order entries were written, so it breaks ties of entries of the same millisecond. */
const SORTABLE = { occurredAt: 'a."occurredAt"', id: 'a.id' } as const;

/** Reads the audit log (written only by AuditService, never changed: there is nothing to edit here). */
@Injectable()
export class AuditLogService {
  constructor(
    private readonly reads: PortalReads,
    private readonly exports: ExportStreams,
  ) {}

  async list(query: AuditListQueryDto): Promise<Page<AuditEntryDto>> {
    // Newest first unless asked otherwise.
    const page = await findKeysetPage(
      this.filtered(query),
      { ...query, order: query.order ?? 'desc' },
      SORTABLE,
      toDto,
    );
    return { ...page, items: await withAuditNames(this.reads.manager, page.items) };
  }

  async export(query: AuditExportQueryDto, response: Response): Promise<void> {
    const rows = keysetQuery(
      () => this.filtered(query),
      { keys: [], id: SORTABLE.id, direction: 'DESC' },
      // Entities and their names are made here, on the event loop: small chunks (export-chunks.ts).
      entityChunkRows(this.exports),
      async (qb) => {
        const { raw, entities } = await qb.getRawAndEntities();
        return { raw, rows: await withAuditNames(this.reads.manager, entities.map(toDto)) };
      },
    );
    await this.exports.send(response, query.format ?? 'csv', 'audit-log', EXPORT_COLUMNS, rows);
  }

  private filtered(query: AuditListQueryDto): SelectQueryBuilder<AuditEntry> {
    const qb = this.reads.manager.createQueryBuilder(AuditEntry, 'a');
    if (query.entityType) qb.andWhere('a."entityType" = :entityType', { entityType: query.entityType });
    if (query.entityId) qb.andWhere('a."entityId" = :entityId', { entityId: query.entityId });
    if (query.actor !== undefined) qb.andWhere('a."actorMemberId" = :actor', { actor: query.actor });
    if (query.from) qb.andWhere('a."occurredAt" >= :from', { from: new Date(query.from).getTime() });
    if (query.to) qb.andWhere('a."occurredAt" < :to', { to: new Date(query.to).getTime() });
    if (query.q) {
      qb.andWhere(
        `(LOWER(a."actorLabel") LIKE :q ESCAPE '\\' OR LOWER(a.action) LIKE :q ESCAPE '\\'
          OR LOWER(a."entityType") LIKE :q ESCAPE '\\')`,
        { q: containing(query.q) },
      );
    }
    return qb;
  }
}

function toDto(entry: AuditEntry): Omit<AuditEntryDto, 'actorName' | 'entityName'> {
  return {
    id: entry.id,
    occurredAt: entry.occurredAt.toISOString(),
    actorMemberId: entry.actorMemberId,
    actorLabel: entry.actorLabel,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: entry.before,
    after: entry.after,
  };
}

const json = (value: unknown) => (value === null ? null : JSON.stringify(value));

const EXPORT_COLUMNS: readonly ExportColumn<AuditEntryDto>[] = [
  { header: 'id', value: (e) => e.id },
  { header: 'occurred at', value: (e) => e.occurredAt },
  { header: 'actor id', value: (e) => e.actorMemberId },
  { header: 'actor', value: (e) => e.actorLabel },
  { header: 'action', value: (e) => e.action },
  { header: 'entity type', value: (e) => e.entityType },
  { header: 'entity id', value: (e) => e.entityId },
  { header: 'before', value: (e) => json(e.before) },
  { header: 'after', value: (e) => json(e.after) },
  { header: 'actor name', value: (e) => e.actorName },
  { header: 'entity name', value: (e) => e.entityName },
];
