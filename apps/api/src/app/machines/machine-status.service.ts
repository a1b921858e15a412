import { Inject, Injectable } from '@nestjs/common';
import type {
  BoardHealthDto,
  MachineOutOfOrderDto,
  MachineStatus,
  MachineStatusDto,
} from '@fabomatic/contracts';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { PortalReads } from '../../core/database/portal-reads';
import { ms, type SqlValue } from '../../core/database/sql';
import { notFound } from '../../core/http/api-error';
import { Clock } from '../../core/time/clock';
import { PresenceService } from '../boards/presence.service';
import {
  NO_MAINTENANCE,
  type PlanStatus,
  loadAllMaintenance,
  loadMachineMaintenance,
  planStatuses,
} from '../maintenance/maintenance-status';

interface MachineRow {
  id: number;
  topicId: string;
  name: string;
  blocked: boolean | number;
  lastSeenAt: string | number | null;
  retiredAt: string | number | null;
  outOfOrderSince: string | number | null;
  outOfOrderHardLock: boolean | number;
  typeName: string | null;
}

interface OutOfOrderRow {
  id: number;
  machineId: number;
  description: string;
}

interface OpenSessionRow {
  machineId: number;
  startedAt: string | number;
  memberId: number;
  memberName: string;
  memberSurname: string;
}

interface BoardRow {
  topicId: string;
  serial: string | null;
  ipAddress: string | null;
  firmwareVersion: string | null;
  freeHeap: number | null;
  lastSeenAt: string | number;
}

/**
 * The dashboard's view of every machine: status by the legacy priority (in use > blocked >
 * maintenance > offline > free), who is on it, maintenance per plan and board health. Everything
 * comes from a few indexed queries and the plans' running counters: current state, never history.
 */
@Injectable()
export class MachineStatusService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reads: PortalReads,
    private readonly presence: PresenceService,
    private readonly clock: Clock,
  ) {}

  async all(): Promise<MachineStatusDto[]> {
    return this.statuses(null);
  }

  async one(machineId: number): Promise<MachineStatusDto> {
    const [status] = await this.statuses(machineId);
    if (!status) throw notFound('machine');
    return status;
  }

  private async statuses(machineId: number | null): Promise<MachineStatusDto[]> {
    const sql = this.reads;
    // The dashboard shows machines in service; a retired one is still answered by id.
    const only = machineId === null ? 'WHERE m."retiredAt" IS NULL' : 'WHERE m."id" = ?';
    const params: SqlValue[] = machineId === null ? [] : [machineId];
    const machines = await sql.all<MachineRow>(
      `SELECT m."id", m."topicId", m."name", m."blocked", m."lastSeenAt", m."retiredAt", m."outOfOrderSince",
              m."outOfOrderHardLock", t."name" AS "typeName"
       FROM "machines" m LEFT JOIN "machine_types" t ON t."id" = m."typeId" ${only} ORDER BY m."nameSortKey", m."name", m."id"`,
      params,
    );
    if (machines.length === 0) return [];
    const sessions = await sql.all<OpenSessionRow>(
      `SELECT s."machineId", s."startedAt", b."id" AS "memberId", b."name" AS "memberName",
              b."surname" AS "memberSurname"
       FROM "usage_sessions" s JOIN "members" b ON b."id" = s."memberId"
       WHERE s."endedAt" IS NULL ${machineId === null ? '' : 'AND s."machineId" = ?'}`,
      params,
    );
    const openByMachine = new Map(sessions.map((s) => [Number(s.machineId), s]));
    // The oldest open out-of-order report of each machine out of order (a few rows at most).
    const reports = machines.some((m) => m.outOfOrderSince !== null)
      ? await sql.all<OutOfOrderRow>(
          `SELECT "id", "machineId", "description" FROM "problem_reports"
           WHERE "state" = 'open' AND "severity" = 'out-of-order' ${machineId === null ? '' : 'AND "machineId" = ?'}
           ORDER BY "createdAt" DESC, "id" DESC`,
          params,
        )
      : [];
    const reportByMachine = new Map(reports.map((r) => [Number(r.machineId), r]));
    const boards = await sql.all<BoardRow>(
      `SELECT "topicId", "serial", "ipAddress", "firmwareVersion", "freeHeap", "lastSeenAt" FROM "boards"
       ${machineId === null ? '' : 'WHERE "topicId" = ?'} ORDER BY "lastSeenAt" ASC`,
      machineId === null ? [] : [machines[0]?.topicId ?? ''],
    );
    // The most recently seen board on each topic is the machine's board (older ones were replaced).
    const boardByTopic = new Map(boards.map((b) => [b.topicId, b]));
    const maintenance =
      machineId === null
        ? await loadAllMaintenance(sql)
        : new Map([[machineId, await loadMachineMaintenance(sql, machineId)]]);
    const now = this.clock.now().getTime();
    const statuses: MachineStatusDto[] = [];
    for (const machine of machines) {
      const id = Number(machine.id);
      const plans = planStatuses(maintenance.get(id) ?? NO_MAINTENANCE, now);
      const open = openByMachine.get(id) ?? null;
      const board = this.health(machine, boardByTopic.get(machine.topicId) ?? null, now);
      const blocked = Boolean(machine.blocked);
      statuses.push({
        machineId: id,
        topicId: machine.topicId,
        name: machine.name,
        typeName: machine.typeName,
        status: statusOf(open !== null, blocked, plans, board.online),
        blocked,
        retiredAt: machine.retiredAt === null ? null : new Date(Number(machine.retiredAt)).toISOString(),
        outOfOrder: outOfOrderOf(machine, reportByMachine.get(id)),
        session: open && {
          memberId: Number(open.memberId),
          memberName: `${open.memberName} ${open.memberSurname}`.trim(),
          startedAt: new Date(Number(open.startedAt)).toISOString(),
        },
        maintenance: plans.map((p) => ({
          planId: p.planId,
          description: p.description,
          hoursSince: p.hoursSince,
          hoursBetween: p.hoursBetween,
          due: p.due,
        })),
        board,
      });
    }
    return statuses;
  }

  /**
   * Last seen: this instance's presence (no write on the hot path), else what the database has (other
   * instances' flushes, `alive`s). Online when seen within BOARD_OFFLINE_SECONDS of the clock.
   */
  private health(machine: MachineRow, board: BoardRow | null, now: number): BoardHealthDto {
    const seen = Math.max(
      this.presence.lastSeenAt(machine.topicId)?.getTime() ?? 0,
      ms(machine.lastSeenAt) ?? 0,
      ms(board?.lastSeenAt) ?? 0,
    );
    return {
      serial: board?.serial ?? null,
      ip: board?.ipAddress ?? null,
      firmware: board?.firmwareVersion ?? null,
      freeHeap: board?.freeHeap ?? null,
      lastSeenAt: seen > 0 ? new Date(seen).toISOString() : null,
      online: seen > 0 && now - seen < this.config.BOARD_OFFLINE_SECONDS * 1000,
    };
  }
}

function outOfOrderOf(machine: MachineRow, report: OutOfOrderRow | undefined): MachineOutOfOrderDto | null {
  const since = ms(machine.outOfOrderSince);
  if (since === null || !report) return null;
  return {
    reportId: Number(report.id),
    description: report.description,
    hardLock: Boolean(machine.outOfOrderHardLock),
    since: new Date(since).toISOString(),
  };
}

export function statusOf(
  inUse: boolean,
  blocked: boolean,
  plans: readonly PlanStatus[],
  online: boolean,
): MachineStatus {
  if (inUse) return 'in-use';
  if (blocked) return 'blocked';
  if (plans.some((p) => p.due)) return 'maintenance';
  if (!online) return 'offline';
  return 'free';
}
