import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  type AliveQuery,
  type BoardQuery,
  type BoardReply,
  type CheckUserQuery,
  type InUseQuery,
  type MaintenanceQuery,
  NO_CARD_UID,
  type StartUseQuery,
  type StopUseQuery,
  deniedUserReply,
  grantedUserReply,
  parseBoardQuery,
  knownMachineReply,
  refusalReply,
  simpleReply,
  unknownMachineReply,
} from '@fabomatic/board-protocol';
import {
  type AccessAction,
  type AccessEventMessage,
  type AccessReason,
  OUT_OF_ORDER_DESCRIPTION,
} from '@fabomatic/contracts';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import type { SqlRunner } from '../../core/database/sql';
import { UnitOfWork } from '../../core/database/unit-of-work';
import type { PendingEvents } from '../../core/events/domain-events';
import { EventBus } from '../../core/events/event-bus';
import { Clock } from '../../core/time/clock';
import { decideAccess, type AccessDecision } from '../access-events/access-policy';
import { AccessEventInbox } from '../access-events/access-event-inbox';
import { MaintenanceCache } from '../maintenance/maintenance-cache';
import { loadMachineMaintenance, planStatuses } from '../maintenance/maintenance-status';
import { supervisingTrainer } from '../training/supervised-starts';
import { SessionLedger, type SessionChange } from '../usage/session-ledger';
import { recomputePlans } from '../usage/usage-aggregates';
import { toSessionMessage } from '../usage/session-message';
import type { CardHolder, MachineProfile } from './board-directory';
import { DirectoryCache } from './directory-cache';
import type { BoardPacket } from './board-packet';
import { BoardStats } from './board-stats';
import { PresenceService } from './presence.service';

/** An alive alert is recorded again for the same board and topic after this long at the soonest. */
const ALIVE_ALERT_EVERY_MS = 10 * 60_000;

/**
 * Answers board queries. Each answer is returned only after its effect is committed; a failure of a
 * write throws, so the transport sends nothing and the board keeps the message for replay.
 */
@Injectable()
export class BoardQueryService {
  private readonly logger = new Logger(BoardQueryService.name);
  /** When each alive alert (topic, serial, kind) was last recorded. */
  private readonly aliveAlerts = new Map<string, number>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'LAB_TIME_ZONE'>,
    private readonly uow: UnitOfWork,
    private readonly presence: PresenceService,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly stats: BoardStats,
    private readonly maintenance: MaintenanceCache,
    private readonly directory: DirectoryCache,
    private readonly inbox: AccessEventInbox,
  ) {}

  /** The reply for a board message, or null when none must be sent. */
  async answer(packet: BoardPacket): Promise<BoardReply | null> {
    const { parsed, topicId } = packet;
    if (!parsed.ok) {
      this.stats.countMalformed(parsed.error, parsed.action);
      this.logger.warn(
        `malformed board message on ${packet.topic}: ${parsed.error}${parsed.detail ? ` (${parsed.detail})` : ''}`,
      );
      return this.rejection(parsed.action);
    }
    this.stats.countReceived(parsed.query.action);
    const started = performance.now();
    const reply = await this.dispatch(topicId, parsed.query);
    this.stats.recordHandled(parsed.query.action, reply !== null, performance.now() - started);
    return reply;
  }

  /**
   * A query refused by the embedded broker: published on this board topic by a connection other
   * than the one holding it (a forged board). Nothing was answered; it is recorded as a refused
   * access event (`topic-conflict`), which the dashboard's live feed shows, and counted.
   */
  async recordTopicConflict(topicId: string, payload: Uint8Array): Promise<void> {
    const parsed = parseBoardQuery(payload);
    const action = parsed.ok ? parsed.query.action : (parsed.action ?? 'unknown');
    this.stats.countTopicConflict(action);
    if (!parsed.ok || parsed.query.action === 'alive') return;
    const query = parsed.query;
    const machine = await this.directory.machine(this.uow.reader, topicId);
    const cardUid = 'uid' in query ? query.uid : NO_CARD_UID;
    await this.uow.runSql((sql, events) =>
      this.recordAccess(sql, events, {
        topicId,
        machine,
        member: null,
        cardUid,
        action: query.action,
        decision: { granted: false, level: 0, reason: 'topic-conflict' },
      }),
    );
  }

  /** A known action with bad fields still gets the answer the board waits for, never a grant. */
  private rejection(action: BoardQuery['action'] | undefined): BoardReply | null {
    return action === undefined || action === 'alive' ? null : refusalReply(action, 'invalid message');
  }

  private async dispatch(topicId: string, query: BoardQuery): Promise<BoardReply | null> {
    const machine = await this.directory.machine(this.uow.reader, topicId);
    this.presence.seen(topicId, machine?.id ?? null);
    switch (query.action) {
      case 'checkuser':
        return this.checkUser(topicId, machine, query);
      case 'checkmachine':
        return this.checkMachine(machine);
      case 'alive':
        await this.recordAlive(topicId, machine, query);
        return null;
      case 'startuse':
      case 'inuse':
      case 'stopuse':
        return this.recordUse(topicId, machine, query);
      case 'maintenance':
        return this.recordMaintenance(topicId, machine, query);
    }
  }

  /**
   * An `alive`; when it raises an alert (a board bound elsewhere, or another serial on a machine's
   * topic) that is recorded as an access event and shown live, once per board and topic every
   * {@link ALIVE_ALERT_EVERY_MS} (a board says alive every minute).
   */
  private async recordAlive(
    topicId: string,
    machine: MachineProfile | null,
    query: AliveQuery,
  ): Promise<void> {
    const { alert } = await this.presence.recordAlive(topicId, machine?.id ?? null, query);
    if (alert === null) return;
    const key = `${topicId} ${query.serial ?? ''} ${alert}`;
    const now = this.clock.now().getTime();
    if (now - (this.aliveAlerts.get(key) ?? -Infinity) < ALIVE_ALERT_EVERY_MS) return;
    if (this.aliveAlerts.size >= 10_000) this.aliveAlerts.clear();
    this.aliveAlerts.set(key, now);
    this.logger.warn(`alive on ${topicId} from board ${query.serial ?? '?'}: ${alert}`);
    await this.uow.runSql((sql, events) =>
      this.recordAccess(sql, events, {
        topicId,
        machine,
        member: null,
        cardUid: NO_CARD_UID,
        action: 'alive',
        decision: { granted: false, level: 0, reason: alert },
      }),
    );
  }

  private async decide(machine: MachineProfile | null, cardUid: string) {
    const sql = this.uow.reader;
    const now = this.clock.now().getTime();
    const member = cardUid === NO_CARD_UID ? null : await this.directory.cardHolder(sql, cardUid);
    const authorization = member && machine ? await this.directory.grant(sql, member.id, machine.id) : null;
    return {
      member,
      decision: decideAccess({ member, machine, authorization, now, timeZone: this.config.LAB_TIME_ZONE }),
    };
  }

  private async checkUser(
    topicId: string,
    machine: MachineProfile | null,
    query: CheckUserQuery,
  ): Promise<BoardReply> {
    const { member, decision } = await this.decide(machine, query.uid);
    await this.uow.runSql((sql, events) =>
      this.recordAccess(sql, events, {
        topicId,
        machine,
        member,
        cardUid: query.uid,
        action: 'checkuser',
        decision,
      }),
    );
    if (!decision.granted || !member) return deniedUserReply(decision.reason === 'no-authorization');
    return grantedUserReply(member.name, decision.level);
  }

  private async checkMachine(machine: MachineProfile | null): Promise<BoardReply> {
    if (!machine) return unknownMachineReply();
    const now = this.clock.now().getTime();
    const plans = planStatuses(await this.maintenance.get(this.uow.reader, machine.id, now), now);
    const due = plans.find((p) => p.due);
    // A retired machine is still answered (is_valid:false would let the board keep its old settings)
    // but blocked: the board refuses everyone. Out of order (an open report, read with the machine):
    // shown as maintenance, so only maintainers get in; a hard lock refuses everyone.
    return knownMachineReply({
      allowed: !machine.blocked && !machine.retired && !machine.hardLock,
      maintenance: machine.outOfOrder || due !== undefined,
      logoffMinutes: machine.autoLogoffMinutes ?? 1440,
      graceMinutes: machine.graceMinutes ?? 2,
      name: machine.name,
      description: machine.outOfOrder
        ? OUT_OF_ORDER_DESCRIPTION
        : due
          ? due.lcdMessage || due.description
          : '',
      typeId: machine.typeId ?? 0,
    });
  }

  private async recordUse(
    topicId: string,
    machine: MachineProfile | null,
    query: StartUseQuery | InUseQuery | StopUseQuery,
  ): Promise<BoardReply> {
    if (!machine) return simpleReply(false, 'unknown machine');
    // Its session (if any) was closed when it was retired: a later use would open a phantom one.
    if (machine.retired) return simpleReply(false, 'machine retired');
    if (query.uid === NO_CARD_UID) return simpleReply(true, 'no card');
    const member = await this.directory.cardHolder(this.uow.reader, query.uid);
    if (!member) {
      // The board let an unknown card in (offline cache or whitelist): nothing to attach a session to.
      this.logger.warn(`${query.action} on machine ${topicId} for unknown card ${query.uid}`);
      return simpleReply(true, 'unknown card');
    }
    const change = await this.uow.runSql(async (sql) => {
      await this.uow.lockMachine(sql, machine.id);
      const now = this.clock.now().getTime();
      const ledger = new SessionLedger(sql, now, this.config.LAB_TIME_ZONE);
      switch (query.action) {
        case 'startuse':
          return ledger.start(
            machine.id,
            member.id,
            query.replay,
            await supervisingTrainer(sql, machine.id, member.id, now),
          );
        case 'inuse':
          return ledger.heartbeat(machine.id, member.id, query.duration);
        case 'stopuse':
          return ledger.stop(machine.id, member.id, query.duration, query.replay);
      }
    });
    // A new session renewed the member's authorizations of the type (usage decay, SessionLedger).
    if (change.kind === 'opened' || (change.kind === 'closed' && query.action === 'stopuse'))
      this.directory.forgetGrants(member.id);
    this.maintenance.recordSessionChange(change);
    this.publishSessionChange(change);
    if (query.action === 'stopuse') return simpleReply(true, `Duration ${query.duration} seconds`);
    return simpleReply(true, 'ok');
  }

  private async recordMaintenance(
    topicId: string,
    machine: MachineProfile | null,
    query: MaintenanceQuery,
  ): Promise<BoardReply> {
    if (!machine) return simpleReply(false, 'unknown machine');
    const { member, decision } = await this.decide(machine, query.uid);
    const maintainer = decision.granted && decision.level >= 2 && member !== null;
    const planIds = await this.uow.runSql(async (sql, events) => {
      await this.uow.lockMachine(sql, machine.id);
      const now = this.clock.now().getTime();
      const due = maintainer
        ? planStatuses(await loadMachineMaintenance(sql, machine.id), now).filter((p) => p.due)
        : [];
      for (const plan of due) {
        await sql.run(
          `INSERT INTO "interventions" ("planId", "machineId", "memberId", "performedAt", "replay", "source")
           VALUES (?, ?, ?, ?, ?, 'board')`,
          [plan.planId, machine.id, member?.id ?? null, now, query.replay],
        );
      }
      // The plans count their use again from now (only sessions started since then, none closed yet).
      for (const plan of due) await recomputePlans(sql, '"id" = ?', [plan.planId]);
      const reason: AccessReason = !maintainer
        ? decision.granted
          ? 'not-a-maintainer'
          : decision.reason
        : due.length > 0
          ? 'maintenance-recorded'
          : 'nothing-due';
      await this.recordAccess(sql, events, {
        topicId,
        machine,
        member,
        cardUid: query.uid,
        action: 'maintenance',
        decision: maintainer ? decision : { granted: false, level: 0, reason },
        reason,
        replay: query.replay,
      });
      const planIds = due.map((p) => p.planId);
      // The maintenance cache forgets the machine's use on this event, the dashboards show it.
      if (maintainer && planIds.length > 0)
        events.publish('maintenance-recorded', { machineId: machine.id, planIds });
      return planIds;
    });
    if (!maintainer) return simpleReply(false, 'not a maintainer');
    return simpleReply(true, planIds.length > 0 ? 'maintenance recorded' : 'nothing due');
  }

  /**
   * A decision as an access event (written and published the one way, access-events/access-log.ts),
   * through the access events' inbox on SQLite (ADR 0010).
   */
  private recordAccess(
    sql: SqlRunner,
    events: PendingEvents,
    entry: {
      topicId: string;
      machine: MachineProfile | null;
      member: CardHolder | null;
      cardUid: string;
      action: AccessAction;
      decision: AccessDecision;
      reason?: AccessReason;
      replay?: boolean;
    },
  ): Promise<AccessEventMessage> {
    const { member, decision } = entry;
    return this.inbox.record(sql, events, {
      occurredAt: this.clock.now().getTime(),
      topicId: entry.topicId,
      machine: entry.machine,
      member: member && { id: member.id, name: `${member.name} ${member.surname}`.trim() },
      cardUid: entry.cardUid,
      action: entry.action,
      reason: entry.reason ?? decision.reason,
      granted: decision.granted,
      level: decision.level,
      replay: entry.replay ?? false,
    });
  }

  private publishSessionChange(change: SessionChange): void {
    const message = toSessionMessage;
    switch (change.kind) {
      case 'opened':
        if (change.superseded) this.bus.publish('session-stopped', message(change.superseded));
        this.bus.publish('session-started', message(change.session));
        return;
      case 'reopened':
        this.bus.publish('session-started', message(change.session));
        return;
      case 'closed':
      case 'corrected':
        this.bus.publish('session-stopped', message(change.session));
        return;
      case 'refreshed':
      case 'duplicate':
        return;
    }
  }
}
