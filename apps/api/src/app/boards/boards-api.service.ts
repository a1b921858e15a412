import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { BoardBindConflictBody, FleetBoardDto, Page } from '@fabomatic/contracts';
import type { Response } from 'express';
import { Not } from 'typeorm';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { PortalReads } from '../../core/database/portal-reads';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { ApiError, notFound } from '../../core/http/api-error';
import { type ExportColumn, ExportStreams, pagedChunks } from '../../core/http/export';
import { entityChunkRows } from '../../core/http/export-chunks';
import { containing, findPage } from '../../core/http/paging';
import { Clock } from '../../core/time/clock';
import { type AuditActor, AuditService } from '../audit/audit.service';
import { Machine } from '../machines/machine.entity';
import { topicIdTaken } from '../machines/topic-id-taken';
import type { BoardExportQueryDto, BoardListQueryDto } from './boards-api.dto';
import { Board } from './board.entity';
import { PresenceService } from './presence.service';

const SORTABLE = {
  topicId: 'CAST(b."topicId" AS INTEGER)',
  serial: 'b.serial',
  lastSeenAt: 'b."lastSeenAt"',
  id: 'b.id',
} as const;

const HAS_MACHINE = 'EXISTS (SELECT 1 FROM "machines" m WHERE m."topicId" = b."topicId")';

const EXPORT_COLUMNS: readonly ExportColumn<FleetBoardDto>[] = [
  { header: 'id', value: (b) => b.id },
  { header: 'serial', value: (b) => b.serial },
  { header: 'topicId', value: (b) => b.topicId },
  { header: 'machine', value: (b) => b.machine?.name },
  { header: 'ip', value: (b) => b.ip },
  { header: 'firmware', value: (b) => b.firmware },
  { header: 'freeHeap', value: (b) => b.freeHeap },
  { header: 'lastSeenAt', value: (b) => b.lastSeenAt },
  { header: 'online', value: (b) => b.online },
];

interface MachineOnTopic {
  readonly id: number;
  readonly name: string;
  readonly lastSeenAt: number;
}

/** A searched serial as stored: the printed MAC form's `:` and `-` dropped, lowercase (empty: no serial). */
export function serialSearch(text: string): string {
  return text.trim().replace(/[:-]/g, '').toLowerCase();
}

/**
 * The board fleet. A board belongs to the machine with its topic id (the topic is a board's only
 * identity); binding an unassigned board gives its topic id to a machine.
 */
@Injectable()
export class BoardsApiService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly uow: UnitOfWork,
    private readonly reads: PortalReads,
    private readonly audit: AuditService,
    private readonly presence: PresenceService,
    private readonly clock: Clock,
    private readonly exports: ExportStreams,
  ) {}

  async list(query: BoardListQueryDto): Promise<Page<FleetBoardDto>> {
    const qb = this.reads.manager.createQueryBuilder(Board, 'b');
    if (query.q) {
      // A serial is stored as 12 lowercase hex digits and printed on the board as `AA:BB:CC:DD:EE:12`.
      const serial = serialSearch(query.q);
      qb.andWhere(
        `(${serial ? `LOWER(b.serial) LIKE :serial ESCAPE '\\' OR ` : ''}b."topicId" LIKE :q ESCAPE '\\' OR b."ipAddress" LIKE :q ESCAPE '\\')`,
        { q: containing(query.q), serial: serial && containing(serial) },
      );
    }
    if (query.assigned !== undefined) qb.andWhere(query.assigned ? HAS_MACHINE : `NOT ${HAS_MACHINE}`);
    const page = await findPage(qb, query, SORTABLE, (board) => board);
    const { machines, latest } = await this.topics();
    const now = this.clock.now().getTime();
    return { ...page, items: page.items.map((b) => this.toDto(b, machines, latest, now)) };
  }

  async export(response: Response, query: BoardExportQueryDto): Promise<void> {
    const { format, ...filters } = query;
    // A catalogue bounded by the lab's size: read through the list's own paging, a chunk a page.
    const rows = pagedChunks((page) =>
      this.list({ ...filters, page, pageSize: entityChunkRows(this.exports) }),
    );
    await this.exports.send(response, format ?? 'csv', 'boards', EXPORT_COLUMNS, rows);
  }

  async get(id: number): Promise<FleetBoardDto> {
    const board = await this.reads.manager.findOneBy(Board, { id });
    if (!board) throw notFound('board');
    const { machines, latest } = await this.topics();
    return this.toDto(board, machines, latest, this.clock.now().getTime());
  }

  /**
   * Gives the board's topic id to the machine: refused when another machine has it. A machine that
   * has a board (online or not) loses it, its board then answered "unknown machine": that is done
   * only with `replace`, else a 409 `MACHINE_HAS_BOARD` names the board it would disconnect.
   */
  async bind(actor: AuditActor, id: number, machineId: number, replace = false): Promise<FleetBoardDto> {
    const refused = await this.uow.run(async (em, events) => {
      const board = await em.findOneBy(Board, { id });
      if (!board) throw notFound('board');
      const machine = await em.findOneBy(Machine, { id: machineId });
      if (!machine) throw notFound('machine');
      if (machine.retiredAt)
        throw new ApiError(HttpStatus.CONFLICT, 'MACHINE_RETIRED', `machine ${machine.name} is retired`);
      if (machine.topicId === board.topicId) return null;
      const holder = await em.findOneBy(Machine, { topicId: board.topicId, id: Not(machineId) });
      if (holder) throw topicIdTaken(holder);
      // Its boards: bound to it, or speaking on its topic (answered as it until the topic moves).
      const displaced = await em.find(Board, {
        where: [
          { machineId: machine.id, id: Not(board.id) },
          { topicId: machine.topicId, id: Not(board.id) },
        ],
        order: { lastSeenAt: 'DESC' },
      });
      const [current] = displaced;
      if (current && !replace) return { machine: { id: machine.id, name: machine.name }, board: current };
      const before = { ...machine };
      machine.topicId = board.topicId;
      await em.save(machine);
      await em.update(Board, { machineId: machine.id, topicId: Not(board.topicId) }, { machineId: null });
      await em.update(Board, { topicId: board.topicId }, { machineId: machine.id });
      await this.audit.record(em, actor, 'update', 'machine', machine.id, before, machine);
      await this.audit.record(
        em,
        actor,
        'bind',
        'board',
        board.id,
        { ...board, machineId: board.machineId },
        { ...board, machineId: machine.id, replacedBoardIds: displaced.map((b) => b.id) },
      );
      // The board the bind disconnected: its machine now has another board, it is refused.
      for (const old of displaced) {
        await this.audit.record(em, actor, 'unbind', 'board', old.id, old, {
          ...old,
          machineId: null,
          replacedByBoardId: board.id,
        });
      }
      events.publish('board-changed', { boardId: board.id });
      return null;
    });
    if (refused) {
      const { machines, latest } = await this.topics();
      const displaced = this.toDto(refused.board, machines, latest, this.clock.now().getTime());
      const label = displaced.serial ?? `on topic ${displaced.topicId}`;
      const body: BoardBindConflictBody = {
        statusCode: HttpStatus.CONFLICT,
        code: 'MACHINE_HAS_BOARD',
        message: `machine ${refused.machine.name} has board ${label}: repeat with replace: true to disconnect it`,
        machine: refused.machine,
        board: displaced,
      };
      throw new HttpException(body, HttpStatus.CONFLICT);
    }
    return this.get(id);
  }

  /**
   * Detaches a board from its machine, so that its next `alive` from another topic moves it (a board
   * bound to a machine is never moved by an alive: that would let a forged alive steal its identity).
   */
  async unbind(actor: AuditActor, id: number): Promise<FleetBoardDto> {
    await this.uow.run(async (em, events) => {
      const board = await em.findOneBy(Board, { id });
      if (!board) throw notFound('board');
      if (board.machineId === null) return;
      const before = { ...board };
      board.machineId = null;
      await em.save(board);
      await this.audit.record(em, actor, 'unbind', 'board', board.id, before, { ...board });
      events.publish('board-changed', { boardId: board.id });
    });
    return this.get(id);
  }

  /** Machines by topic id, and when each topic's most recent board was last seen. */
  private async topics(): Promise<{
    machines: Map<string, MachineOnTopic>;
    latest: Map<string, number>;
  }> {
    const machineRows = await this.reads.manager.find(Machine, {
      select: { id: true, name: true, topicId: true, lastSeenAt: true },
    });
    const latestRows = await this.reads.manager
      .createQueryBuilder(Board, 'b')
      .select('b."topicId"', 'topicId')
      .addSelect('MAX(b."lastSeenAt")', 'lastSeenAt')
      .groupBy('b."topicId"')
      .getRawMany<{ topicId: string; lastSeenAt: string | number }>();
    return {
      machines: new Map(
        machineRows.map((m) => [
          m.topicId,
          { id: m.id, name: m.name, lastSeenAt: m.lastSeenAt?.getTime() ?? 0 },
        ]),
      ),
      latest: new Map(latestRows.map((r) => [r.topicId, Number(r.lastSeenAt)])),
    };
  }

  private toDto(
    board: Board,
    machines: ReadonlyMap<string, MachineOnTopic>,
    latest: ReadonlyMap<string, number>,
    now: number,
  ): FleetBoardDto {
    const machine = machines.get(board.topicId) ?? null;
    let seen = board.lastSeenAt.getTime();
    // Presence is kept per topic: it tells about the topic's current board, not a replaced one.
    if (seen >= (latest.get(board.topicId) ?? 0)) {
      seen = Math.max(
        seen,
        this.presence.lastSeenAt(board.topicId)?.getTime() ?? 0,
        machine?.lastSeenAt ?? 0,
      );
    }
    return {
      id: board.id,
      serial: board.serial,
      topicId: board.topicId,
      machine: machine && { id: machine.id, name: machine.name },
      ip: board.ipAddress,
      firmware: board.firmwareVersion,
      freeHeap: board.freeHeap,
      lastSeenAt: new Date(seen).toISOString(),
      online: now - seen < this.config.BOARD_OFFLINE_SECONDS * 1000,
    };
  }
}
