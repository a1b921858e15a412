import { HttpStatus, Injectable } from '@nestjs/common';
import { normalizeCardUid } from '@fabomatic/board-protocol';
import {
  cardUidFor,
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
import { containing, type KeysetColumn, readKeysetPage, sortExpression } from '../../core/http/paging';
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

/** The same keys as columns of the list's rows, for its keyset (none is ever NULL). */
const KEYSET_SORTABLE: Readonly<Record<string, KeysetColumn>> = {
  lastSeenAt: { column: 'lastSeenAt', kind: 'integer' },
  taps: { column: 'taps', kind: 'integer' },
  cardUid: { column: 'cardUid', kind: 'string' },
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

  /**
   * Card UIDs are masked below the manager level, and searched only whole. Pages by keyset over (sort
   * value, card UID), both in the requested direction (the export's order too); the total is counted
   * up to COUNT_LIMIT (a benchmark lab holds 110,000 unknown cards).
   *
   * A keyset cursor holds the card UID of a row next to the page, and a cursor is only base64 JSON:
   * below the manager level it would hand out the UIDs the page masks (and, forged, let a reader probe
   * UIDs by where the page starts). The portal has no secret to seal it with (a key made at start-up
   * would void the cursors at each restart and differ between instances), so a masked viewer's
   * cursors hold only the position of the page, read by offset as before, and a keyset cursor from
   * them is refused.
   */
  list(query: UnknownCardListQueryDto, viewer: PortalAccess): Promise<Page<UnknownCardDto>> {
    const [where, params] = this.filter(query, viewer);
    const { sql, params: rowParams, order } = this.selection(query, viewer);
    const full = hasAccess(viewer, FULL_CARD_UID_ACCESS);
    return readKeysetPage<UnknownCardRow>(
      this.reads,
      {
        rows: { sql, params: rowParams },
        count: { sql: `SELECT 1 ${where}`, params },
        sortable: KEYSET_SORTABLE,
        id: { column: 'cardUid', kind: 'string' },
        cursors: full ? 'keyset' : 'position',
      },
      { ...query, order },
    ).then((page) => ({ ...page, items: page.items.map(toDto).map((card) => maskedFor(viewer, card)) }));
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

  /** The export's rows, read by keyset in the list's order (the card UID breaking ties, same direction). */
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
    const order = query.order ?? (query.sort ? 'asc' : 'desc');
    const direction: 'ASC' | 'DESC' = order === 'desc' ? 'DESC' : 'ASC';
    const [where, params] = this.filter(query, viewer);
    return {
      sql: `SELECT u."cardUid" AS "cardUid", u."lastSeenAt" AS "lastSeenAt", u."taps" AS "taps",
              u."lastTopicId" AS "lastTopicId", u."lastMachineId" AS "lastMachineId",
              mc."name" AS "lastMachineName"
            FROM (SELECT u.* ${where}) u LEFT JOIN "machines" mc ON mc."id" = u."lastMachineId"`,
      params,
      sort,
      order,
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
