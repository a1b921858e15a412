import { HttpStatus, Injectable } from '@nestjs/common';
import { normalizeCardUid } from '@fabomatic/board-protocol';
import { DEFAULT_PAGE_SIZE, type MemberDto, type Page, type UnknownCardDto } from '@fabomatic/contracts';
import type { Response } from 'express';
import { PortalReads } from '../../core/database/portal-reads';
import { ms, type SqlValue } from '../../core/database/sql';
import { UnitOfWork } from '../../core/database/unit-of-work';
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
import { containing } from '../../core/http/paging';
import type { SessionUser } from '../auth/session-user';
import { MembersService } from '../members/members.service';
import type {
  UnknownCardExportQueryDto,
  UnknownCardListQueryDto,
  UnknownCardMemberInputDto,
} from './unknown-cards.dto';

/** Sort keys and their SQL; the first is the default, newest first. */
const SORTABLE: Readonly<Record<string, string>> = {
  lastSeenAt: '"lastSeenAt"',
  taps: '"taps"',
  cardUid: '"cardUid"',
};

/** Taps of cards no member has (a deleted member's card is released, so it counts again). */
const UNKNOWN_TAPS = `FROM "access_events" e
  WHERE e."reason" = 'unknown-card' AND e."cardUid" IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM "members" m WHERE m."cardUid" = e."cardUid")`;

interface CardRow {
  readonly cardUid: string;
  readonly lastSeenAt: string | number;
  readonly taps: string | number;
}

interface LastTapRow {
  readonly cardUid: string;
  readonly topicId: string;
  readonly machineId: number | null;
  readonly machineName: string | null;
}

const invalid = (field: string, message: string) =>
  new ApiError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', message, { [field]: [message] });

/** Cards tapped on boards that belong to no member: the members page offers to enrol them. */
@Injectable()
export class UnknownCardsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly members: MembersService,
    private readonly reads: PortalReads,
    private readonly exports: ExportStreams,
  ) {}

  async list(query: UnknownCardListQueryDto): Promise<Page<UnknownCardDto>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
    const [where, params] = this.filter(query);
    const counted = await this.uow.reader.get<{ total: string | number }>(
      `SELECT COUNT(DISTINCT e."cardUid") AS "total" ${where}`,
      params,
    );
    const rows = await this.cards(query, where, params, pageSize, (page - 1) * pageSize);
    return { items: await this.withLastTap(rows), total: Number(counted?.total ?? 0), page, pageSize };
  }

  async export(query: UnknownCardExportQueryDto, response: Response): Promise<void> {
    await this.exports.send(
      response,
      query.format ?? 'csv',
      'unknown-cards',
      EXPORT_COLUMNS,
      this.exportRows(query),
    );
  }

  /** The export's rows, by keyset over the cards (the one place to change if cards move table). */
  private exportRows(query: UnknownCardListQueryDto): ExportRows<UnknownCardDto> {
    const keys = Object.keys(SORTABLE);
    const sort = query.sort ?? 'lastSeenAt';
    const column = SORTABLE[sort];
    if (!column) throw invalid('sort', `sort must be one of ${keys.join(', ')}`);
    const order: KeysetOrder = {
      keys: sort === 'cardUid' ? [] : [`c.${column}`],
      id: 'c."cardUid"',
      direction: (query.order ?? (query.sort ? 'asc' : 'desc')) === 'desc' ? 'DESC' : 'ASC',
    };
    const [where, params] = this.filter(query);
    const cards = keysetChunks<CardRow>(
      async (after, limit) => {
        const [condition, afterParams] = after ? keysetAfter(order, after) : ['1 = 1', []];
        const orderBy = keysetOrderBy(order)
          .map(([sql, direction]) => `${sql} ${direction}`)
          .join(', ');
        return this.reads.all<CardRow>(
          `SELECT c."cardUid", c."lastSeenAt", c."taps" FROM (
             SELECT e."cardUid" AS "cardUid", MAX(e."occurredAt") AS "lastSeenAt", COUNT(*) AS "taps"
             ${where}
             GROUP BY e."cardUid") c
           WHERE ${condition}
           ORDER BY ${orderBy}
           LIMIT ?`,
          [...params, ...afterParams, limit],
        );
      },
      (row) => (sort === 'cardUid' ? [row.cardUid] : [row[sort as keyof CardRow], row.cardUid]),
      this.exports.chunkRows,
    );
    return mapChunks(cards, (rows) => this.withLastTap(rows));
  }

  /** Enrols an unknown card: a new member with it (the members' rules apply: unique card, roles). */
  createMember(actor: SessionUser, uid: string, input: UnknownCardMemberInputDto): Promise<MemberDto> {
    const cardUid = normalizeCardUid(uid);
    if (!cardUid) throw invalid('uid', 'the card UID must be 8, 14 or 20 hex characters');
    return this.members.create(actor, { ...input, cardUid });
  }

  private filter(query: UnknownCardListQueryDto): [string, SqlValue[]] {
    if (!query.q) return [UNKNOWN_TAPS, []];
    return [`${UNKNOWN_TAPS} AND e."cardUid" LIKE ? ESCAPE '\\'`, [containing(query.q)]];
  }

  private cards(
    query: UnknownCardListQueryDto,
    where: string,
    params: readonly SqlValue[],
    limit: number,
    offset: number,
  ): Promise<CardRow[]> {
    const keys = Object.keys(SORTABLE);
    const sort = query.sort ?? 'lastSeenAt';
    const column = SORTABLE[sort];
    if (!column) throw invalid('sort', `sort must be one of ${keys.join(', ')}`);
    const direction = (query.order ?? (query.sort ? 'asc' : 'desc')) === 'desc' ? 'DESC' : 'ASC';
    return this.uow.reader.all<CardRow>(
      `SELECT e."cardUid" AS "cardUid", MAX(e."occurredAt") AS "lastSeenAt", COUNT(*) AS "taps"
       ${where}
       GROUP BY e."cardUid"
       ORDER BY ${column} ${direction}, "cardUid" ASC
       LIMIT ? OFFSET ?`,
      [...params, limit, offset],
    );
  }

  /** Where each card was last tapped: the latest unknown-card event of each, with its machine. */
  private async withLastTap(rows: readonly CardRow[]): Promise<UnknownCardDto[]> {
    const last = new Map<string, LastTapRow>();
    for (let i = 0; i < rows.length; i += 100) {
      const uids = rows.slice(i, i + 100).map((r) => r.cardUid);
      const taps = await this.uow.reader.all<LastTapRow>(
        `SELECT e."cardUid" AS "cardUid", e."topicId" AS "topicId", e."machineId" AS "machineId",
                mc."name" AS "machineName"
         FROM "access_events" e LEFT JOIN "machines" mc ON mc."id" = e."machineId"
         WHERE e."reason" = 'unknown-card' AND e."cardUid" IN (${uids.map(() => '?').join(', ')})
           AND e."occurredAt" = (SELECT MAX(x."occurredAt") FROM "access_events" x
                                 WHERE x."reason" = 'unknown-card' AND x."cardUid" = e."cardUid")
         ORDER BY e."id" DESC`,
        uids,
      );
      for (const tap of taps) if (!last.has(tap.cardUid)) last.set(tap.cardUid, tap);
    }
    return rows.map((row) => {
      const tap = last.get(row.cardUid);
      return {
        cardUid: row.cardUid,
        lastSeenAt: new Date(ms(row.lastSeenAt) ?? 0).toISOString(),
        lastTopicId: tap?.topicId ?? '',
        lastMachineId: tap?.machineId ?? null,
        lastMachineName: tap?.machineName ?? null,
        taps: Number(row.taps),
      };
    });
  }
}

const EXPORT_COLUMNS: readonly ExportColumn<UnknownCardDto>[] = [
  { header: 'card', value: (c) => c.cardUid },
  { header: 'last seen at', value: (c) => c.lastSeenAt },
  { header: 'last machine', value: (c) => c.lastMachineName },
  { header: 'last board id', value: (c) => c.lastTopicId },
  { header: 'taps', value: (c) => c.taps },
];
