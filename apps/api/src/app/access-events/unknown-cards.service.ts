import { HttpStatus, Injectable } from '@nestjs/common';
import { normalizeCardUid } from '@fabomatic/board-protocol';
import {
  cardUidFor,
  DEFAULT_PAGE_SIZE,
  FULL_CARD_UID_ACCESS,
  hasAccess,
  type MemberDto,
  type Page,
  type PortalAccess,
  type UnknownCardDto,
} from '@fabomatic/contracts';
import type { Response } from 'express';
import { PortalReads } from '../../core/database/portal-reads';
import { ms, type SqlValue } from '../../core/database/sql';
import { ApiError } from '../../core/http/api-error';
import {
  type ExportColumn,
  type ExportRows,
  ExportStreams,
  type KeysetOrder,
  keysetAfter,
  keysetChunks,
  keysetOrderBy,
  mapChunks,
} from '../../core/http/export';
import { containing, sortExpression } from '../../core/http/paging';
import type { SessionUser } from '../auth/session-user';
import { MembersService } from '../members/members.service';
import type {
  UnknownCardExportQueryDto,
  UnknownCardListQueryDto,
  UnknownCardMemberInputDto,
} from './unknown-cards.dto';

/** Sort keys and their SQL; the first is the default, newest first. */
const SORTABLE: Readonly<Record<string, string>> = {
  lastSeenAt: 'u."lastSeenAt"',
  taps: 'u."taps"',
  cardUid: 'u."cardUid"',
};

/**
 * Cards of the unknown-cards table that no member has now (members' unique card index): a deleted
 * or erased member's card is released, so it counts again with all its taps.
 */
const UNKNOWN_CARDS = `FROM "unknown_cards" u
  WHERE NOT EXISTS (SELECT 1 FROM "members" m WHERE m."cardUid" = u."cardUid")`;

/** A row of the list query: what the page and the export show. */
export interface UnknownCardRow {
  readonly cardUid: string;
  readonly lastSeenAt: string | number;
  readonly taps: string | number;
  readonly lastTopicId: string;
  readonly lastMachineId: string | number | null;
  readonly lastMachineName: string | null;
}

/** A statement of the `?` dialect with its parameters, to run through `PortalReads` (or stream). */
export interface SqlQuery {
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

const invalid = (field: string, message: string) =>
  new ApiError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', message, { [field]: [message] });

/** Cards tapped on boards that belong to no member: the members page offers to enrol them. */
@Injectable()
export class UnknownCardsService {
  constructor(
    private readonly reads: PortalReads,
    private readonly members: MembersService,
    private readonly exports: ExportStreams,
  ) {}

  /** Card UIDs are masked below the manager level, and searched only whole. */
  async list(query: UnknownCardListQueryDto, viewer: PortalAccess): Promise<Page<UnknownCardDto>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
    const [where, params] = this.filter(query, viewer);
    // One row per distinct unknown card (thousands at most), not per tap: an exact total is cheap.
    const counted = await this.reads.get<{ total: string | number }>(
      `SELECT COUNT(*) AS "total" ${where}`,
      params,
    );
    const { sql, params: listParams } = this.rowsQuery(query, viewer);
    const rows = await this.reads.all<UnknownCardRow>(`${sql} LIMIT ? OFFSET ?`, [
      ...listParams,
      pageSize,
      (page - 1) * pageSize,
    ]);
    const items = rows.map(toDto).map((card) => maskedFor(viewer, card));
    return { items, total: Number(counted?.total ?? 0), page, pageSize };
  }

  async export(query: UnknownCardExportQueryDto, response: Response, viewer: PortalAccess): Promise<void> {
    await this.exports.send(
      response,
      query.format ?? 'csv',
      'unknown-cards',
      EXPORT_COLUMNS,
      mapChunks(this.exportRows(query, viewer), (cards) => cards.map((card) => maskedFor(viewer, card))),
    );
  }

  /**
   * Every card the filters select, in the requested order, without LIMIT: the list pages it. Rows
   * map to the DTO with `toUnknownCardDto`.
   */
  rowsQuery(query: UnknownCardListQueryDto, viewer: PortalAccess): SqlQuery {
    const { sql, params, column, direction } = this.selection(query, viewer);
    return { sql: `${sql} ORDER BY ${column} ${direction}, u."cardUid" ASC`, params };
  }

  /** The export's rows, read by keyset in the list's order (the card UID breaking ties). */
  private exportRows(query: UnknownCardListQueryDto, viewer: PortalAccess): ExportRows<UnknownCardDto> {
    const { sql, params, sort, direction } = this.selection(query, viewer);
    const key = sort === 'cardUid' ? null : `c."${sort}"`;
    const order: KeysetOrder = { keys: key ? [key] : [], id: 'c."cardUid"', direction };
    const orderBy = keysetOrderBy(order)
      .map(([term, dir]) => `${term} ${dir}`)
      .join(', ');
    const cards = keysetChunks<UnknownCardRow>(
      (after, limit) => {
        const [condition, afterParams] = after ? keysetAfter(order, after) : ['1 = 1', []];
        return this.reads.all<UnknownCardRow>(
          `SELECT c.* FROM (${sql}) c WHERE ${condition} ORDER BY ${orderBy} LIMIT ?`,
          [...params, ...afterParams, limit],
        );
      },
      (row) =>
        sort === 'cardUid' ? [row.cardUid] : [row[sort === 'taps' ? 'taps' : 'lastSeenAt'], row.cardUid],
      this.exports.chunkRows,
    );
    return mapChunks(cards, (rows) => rows.map(toDto));
  }

  private selection(query: UnknownCardListQueryDto, viewer: PortalAccess) {
    const keys = Object.keys(SORTABLE);
    const sort = query.sort ?? 'lastSeenAt';
    const column = sortExpression(SORTABLE, sort);
    if (!column) throw invalid('sort', `sort must be one of ${keys.join(', ')}`);
    const direction: 'ASC' | 'DESC' =
      (query.order ?? (query.sort ? 'asc' : 'desc')) === 'desc' ? 'DESC' : 'ASC';
    const [where, params] = this.filter(query, viewer);
    return {
      sql: `SELECT u."cardUid" AS "cardUid", u."lastSeenAt" AS "lastSeenAt", u."taps" AS "taps",
              u."lastTopicId" AS "lastTopicId", u."lastMachineId" AS "lastMachineId",
              mc."name" AS "lastMachineName"
            FROM (SELECT u.* ${where}) u LEFT JOIN "machines" mc ON mc."id" = u."lastMachineId"`,
      params,
      sort,
      column,
      direction,
    };
  }

  /** Enrols an unknown card: a new member with it (the members' rules apply: unique card, roles). */
  createMember(actor: SessionUser, uid: string, input: UnknownCardMemberInputDto): Promise<MemberDto> {
    const cardUid = normalizeCardUid(uid);
    if (!cardUid) throw invalid('uid', 'the card UID must be 8, 14 or 20 hex characters');
    return this.members.create(actor, { ...input, cardUid });
  }

  private filter(query: UnknownCardListQueryDto, viewer: PortalAccess): [string, SqlValue[]] {
    if (!query.q) return [UNKNOWN_CARDS, []];
    // Parts of a masked card would spell it out search by search: below manager, whole UIDs only.
    if (!hasAccess(viewer, FULL_CARD_UID_ACCESS))
      return [`${UNKNOWN_CARDS} AND u."cardUid" = ?`, [normalizeCardUid(query.q) ?? '']];
    return [`${UNKNOWN_CARDS} AND u."cardUid" LIKE ? ESCAPE '\\'`, [containing(query.q)]];
  }
}

export const toUnknownCardDto = (row: UnknownCardRow): UnknownCardDto => ({
  cardUid: row.cardUid,
  lastSeenAt: new Date(ms(row.lastSeenAt) ?? 0).toISOString(),
  lastTopicId: row.lastTopicId,
  lastMachineId: row.lastMachineId === null ? null : Number(row.lastMachineId),
  lastMachineName: row.lastMachineName,
  taps: Number(row.taps),
});
const toDto = toUnknownCardDto;
const maskedFor = (viewer: PortalAccess, card: UnknownCardDto): UnknownCardDto => ({
  ...card,
  cardUid: cardUidFor(viewer, card.cardUid),
});

const EXPORT_COLUMNS: readonly ExportColumn<UnknownCardDto>[] = [
  { header: 'card', value: (c) => c.cardUid },
  { header: 'last seen at', value: (c) => c.lastSeenAt },
  { header: 'last machine', value: (c) => c.lastMachineName },
  { header: 'last board id', value: (c) => c.lastTopicId },
  { header: 'taps', value: (c) => c.taps },
];
