import { Injectable } from '@nestjs/common';
import {
  type AccessEventDto,
  cardUidFor,
  FULL_CARD_UID_ACCESS,
  hasAccess,
  type Page,
  type PortalAccess,
} from '@fabomatic/contracts';
import type { Response } from 'express';
import { In, type SelectQueryBuilder } from 'typeorm';
import { PortalReads } from '../../core/database/portal-reads';
import { csvCell } from '../../core/database/csv-records';
import { type ExportColumn, ExportStreams, keysetText, keysetQuery, rawRows } from '../../core/http/export';
import { findKeysetPage, sortExpression } from '../../core/http/paging';
import { Machine } from '../machines/machine.entity';
import { Member } from '../members/member.entity';
import { fullName, invalidField, rangeOf } from '../usage/activity-query';
import { type SearchIds, searchCondition, searchIds } from '../usage/history-search';
import type { AccessEventExportQueryDto, AccessEventListQueryDto } from './access-event.dto';
import { AccessEvent } from './access-event.entity';

/** Newest first by default; the id breaks ties within one millisecond (index occurredAt, id). */
const SORTABLE = { occurredAt: 'e."occurredAt"' } as const;

/**
 * An exported event as the database returns it, names joined: no entity is hydrated and no DTO built
 * for the millions of rows of a full export (times are bigint strings on PostgreSQL, booleans 0/1 on
 * SQLite).
 */
interface ExportRow {
  occurredAt: string | number;
  topicId: string;
  cardUid: string | null;
  action: string;
  reason: string;
  granted: boolean | number;
  level: number | null;
  replay: boolean | number;
  count: number | string;
  machineName: string | null;
  memberName: string | null;
  memberSurname: string | null;
  actorName: string | null;
  actorSurname: string | null;
}

/** A joined member's full name, null when the event has none (or the member is gone). */
const joinedName = (name: string | null, surname: string | null) =>
  name === null || surname === null ? null : fullName({ name, surname });

const EXPORT_COLUMNS: readonly ExportColumn<ExportRow>[] = [
  { header: 'Time', value: (e) => new Date(Number(e.occurredAt)), cell: csvCell.isoTime('e."occurredAt"') },
  { header: 'Machine', value: (e) => e.machineName, cell: csvCell.text('machine.name') },
  { header: 'Board', value: (e) => e.topicId, cell: csvCell.text('e."topicId"') },
  { header: 'Card', value: (e) => e.cardUid, cell: csvCell.text('e."cardUid"') },
  {
    header: 'Member',
    value: (e) => joinedName(e.memberName, e.memberSurname),
    cell: csvCell.name('member.name', 'member.surname', 'null'),
  },
  { header: 'Action', value: (e) => e.action, cell: csvCell.text('e.action') },
  { header: 'Reason', value: (e) => e.reason, cell: csvCell.text('e.reason') },
  { header: 'Granted', value: (e) => Boolean(e.granted), cell: csvCell.boolean('e.granted') },
  { header: 'Level', value: (e) => e.level, cell: csvCell.integer('e.level') },
  { header: 'Replay', value: (e) => Boolean(e.replay), cell: csvCell.boolean('e.replay') },
  { header: 'Count', value: (e) => Number(e.count), cell: csvCell.integer('e.count') },
  {
    header: 'Issued by',
    value: (e) => joinedName(e.actorName, e.actorSurname),
    cell: csvCell.name('actor.name', 'actor.surname', 'null'),
  },
];

/** Every tap, decision and remote command, with its reason: read-only. */
@Injectable()
export class AccessEventsService {
  constructor(
    private readonly reads: PortalReads,
    private readonly exports: ExportStreams,
  ) {}

  /** Card UIDs are masked below the manager level (and searched only whole). */
  async list(query: AccessEventListQueryDto, viewer: PortalAccess): Promise<Page<AccessEventDto>> {
    const qb = this.filtered(query, await this.search(query, viewer));
    const page = await findKeysetPage(qb, { ...query, order: query.order ?? 'desc' }, SORTABLE, (e) => e);
    const items = await this.withNames(page.items);
    return { ...page, items: items.map((e) => ({ ...e, cardUid: cardUidFor(viewer, e.cardUid) })) };
  }

  async export(query: AccessEventExportQueryDto, response: Response, viewer: PortalAccess): Promise<void> {
    if (query.sort !== undefined && sortExpression(SORTABLE, query.sort) === undefined)
      throw invalidField('sort', 'one of occurredAt');
    const search = await this.search(query, viewer);
    const joined = () =>
      this.filtered(query, search)
        .leftJoin(Machine, 'machine', 'machine.id = e."machineId"')
        .leftJoin(Member, 'member', 'member.id = e."memberId"')
        .leftJoin(Member, 'actor', 'actor.id = e."actorMemberId"');
    const order = {
      keys: [SORTABLE.occurredAt],
      id: 'e.id',
      direction: (query.order ?? 'desc') === 'desc' ? ('DESC' as const) : ('ASC' as const),
    };
    const rows = keysetQuery(
      () =>
        joined().select([
          'e."occurredAt" AS "occurredAt"',
          'e."topicId" AS "topicId"',
          'e."cardUid" AS "cardUid"',
          'e.action AS "action"',
          'e.reason AS "reason"',
          'e.granted AS "granted"',
          'e.level AS "level"',
          'e.replay AS "replay"',
          'e.count AS "count"',
          'machine.name AS "machineName"',
          'member.name AS "memberName"',
          'member.surname AS "memberSurname"',
          'actor.name AS "actorName"',
          'actor.surname AS "actorSurname"',
        ]),
      order,
      this.exports.chunkRows,
      rawRows<ExportRow & Record<string, unknown>>,
    );
    const columns = EXPORT_COLUMNS.map((column) =>
      column.header === 'Card' && !hasAccess(viewer, FULL_CARD_UID_ACCESS)
        ? {
            ...column,
            value: (e: ExportRow) => cardUidFor(viewer, e.cardUid),
            cell: csvCell.maskedCard('e."cardUid"'),
          }
        : column,
    );
    const text = keysetText(joined, order, this.exports.chunkRows, columns, this.reads);
    await this.exports.send(response, query.format ?? 'csv', 'access-events', columns, rows, text);
  }

  private search(query: AccessEventListQueryDto, viewer: PortalAccess): Promise<SearchIds | null> {
    const wholeCardOnly = !hasAccess(viewer, FULL_CARD_UID_ACCESS);
    return query.q
      ? searchIds(this.reads.manager, query.q, { membersByCard: false, wholeCardOnly })
      : Promise.resolve(null);
  }

  private filtered(
    query: AccessEventListQueryDto,
    search: SearchIds | null,
  ): SelectQueryBuilder<AccessEvent> {
    const { from, to } = rangeOf(query);
    const qb = this.reads.manager.createQueryBuilder(AccessEvent, 'e');
    if (query.machineId !== undefined)
      qb.andWhere('e."machineId" = :machineId', { machineId: query.machineId });
    if (query.memberId !== undefined) qb.andWhere('e."memberId" = :memberId', { memberId: query.memberId });
    if (query.cardUid !== undefined) qb.andWhere('e."cardUid" = :cardUid', { cardUid: query.cardUid });
    if (query.reason !== undefined) qb.andWhere('e.reason = :reason', { reason: query.reason });
    if (query.action !== undefined) qb.andWhere('e.action = :action', { action: query.action });
    if (query.granted !== undefined) qb.andWhere('e.granted = :granted', { granted: query.granted });
    if (from !== null) qb.andWhere('e."occurredAt" >= :from', { from });
    if (to !== null) qb.andWhere('e."occurredAt" <= :to', { to });
    if (search) {
      // A card UID prefix on the card index, or members and machines by name on their id indexes.
      const { where, params } = searchCondition('e', search, { card: true });
      qb.andWhere(where, params);
    }
    return qb;
  }

  private async withNames(events: readonly AccessEvent[]): Promise<AccessEventDto[]> {
    const ids = (pick: (e: AccessEvent) => number | null) =>
      [...new Set(events.map(pick))].filter((id): id is number => id !== null);
    const memberIds = [...new Set([...ids((e) => e.memberId), ...ids((e) => e.actorMemberId)])];
    const machineIds = ids((e) => e.machineId);
    const em = this.reads.manager;
    const [members, machines] = await Promise.all([
      memberIds.length
        ? em.find(Member, { where: { id: In(memberIds) }, select: { id: true, name: true, surname: true } })
        : [],
      machineIds.length
        ? em.find(Machine, { where: { id: In(machineIds) }, select: { id: true, name: true } })
        : [],
    ]);
    const memberNames = new Map(members.map((m) => [m.id, fullName(m)]));
    const machineNames = new Map(machines.map((m) => [m.id, m.name]));
    const name = (map: Map<number, string>, id: number | null) =>
      id === null ? null : (map.get(id) ?? null);
    return events.map((e) => ({
      id: e.id,
      occurredAt: e.occurredAt.toISOString(),
      topicId: e.topicId,
      machineId: e.machineId,
      machineName: name(machineNames, e.machineId),
      cardUid: e.cardUid,
      memberId: e.memberId,
      memberName: name(memberNames, e.memberId),
      action: e.action,
      reason: e.reason,
      granted: e.granted,
      level: e.level,
      replay: e.replay,
      count: e.count,
      actorMemberId: e.actorMemberId,
      actorName: name(memberNames, e.actorMemberId),
    }));
  }
}
