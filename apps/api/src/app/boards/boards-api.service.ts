import { Inject, Injectable } from '@nestjs/common';
import type { FleetBoardDto, Page } from '@fabomatic/contracts';
import type { Response } from 'express';
import { Not } from 'typeorm';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { PortalReads } from '../../core/database/portal-reads';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { notFound } from '../../core/http/api-error';
import { type ExportColumn, ExportStreams, pagedChunks } from '../../core/http/export';
import { containing, findPage } from '../../core/http/paging';
import { Clock } from '../../core/time/clock';
import { type AuditActor, AuditService } from '../audit/audit.service';
import { Machine } from '../machines/machine.entity';
import { topicIdTaken } from '../machines/topic-id-taken';
import type { BoardExportQueryDto, BoardListQueryDto } from './boards-api.dto';
import { Board } from './board.entity';
import { DirectoryCache } from './directory-cache';
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
    private readonly directory: DirectoryCache,
    private readonly presence: PresenceService,
    private readonly clock: Clock,
    private readonly exports: ExportStreams,
  ) {}

  async list(query: BoardListQueryDto): Promise<Page<FleetBoardDto>> {
    const qb = this.reads.manager.createQueryBuilder(Board, 'b');
    if (query.q) {
      qb.andWhere(
        `(LOWER(b.serial) LIKE :q ESCAPE '\\' OR b."topicId" LIKE :q ESCAPE '\\' OR b."ipAddress" LIKE :q ESCAPE '\\')`,
        { q: containing(query.q) },
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
    const rows = pagedChunks((page) => this.list({ ...filters, page, pageSize: this.exports.chunkRows }));
    await this.exports.send(response, format ?? 'csv', 'boards', EXPORT_COLUMNS, rows);
  }

  async get(id: number): Promise<FleetBoardDto> {
    const board = await this.reads.manager.findOneBy(Board, { id });
    if (!board) throw notFound('board');
    const { machines, latest } = await this.topics();
    return this.toDto(board, machines, latest, this.clock.now().getTime());
  }

  /** Gives the board's topic id to the machine: refused when another machine has it. */
  async bind(actor: AuditActor, id: number, machineId: number): Promise<FleetBoardDto> {
    await this.uow.run(async (em) => {
      const board = await em.findOneBy(Board, { id });
      if (!board) throw notFound('board');
      const machine = await em.findOneBy(Machine, { id: machineId });
      if (!machine) throw notFound('machine');
      if (machine.topicId === board.topicId) return;
      const holder = await em.findOneBy(Machine, { topicId: board.topicId, id: Not(machineId) });
      if (holder) throw topicIdTaken(holder);
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
        { ...board, machineId: machine.id },
      );
    });
    this.directory.invalidate();
    return this.get(id);
  }

  /**
   * Detaches a board from its machine, so that its next `alive` from another topic moves it (a board
   * bound to a machine is never moved by an alive: that would let a forged alive steal its identity).
   */
  async unbind(actor: AuditActor, id: number): Promise<FleetBoardDto> {
    await this.uow.run(async (em) => {
      const board = await em.findOneBy(Board, { id });
      if (!board) throw notFound('board');
      if (board.machineId === null) return;
      const before = { ...board };
      board.machineId = null;
      await em.save(board);
      await this.audit.record(em, actor, 'unbind', 'board', board.id, before, { ...board });
    });
    this.directory.invalidate();
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
