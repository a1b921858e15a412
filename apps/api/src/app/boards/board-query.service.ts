import { Injectable, Logger } from '@nestjs/common';
import {
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
  knownMachineReply,
  simpleReply,
  unknownMachineReply,
} from '@fabomatic/board-protocol';
import type { AccessAction, AccessEventMessage, AccessReason } from '@fabomatic/contracts';
import type { EntityManager } from 'typeorm';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { LiveEvents } from '../../core/live/live-events';
import { Clock } from '../../core/time/clock';
import { AccessEvent } from '../access-events/access-event.entity';
import { decideAccess, type AccessDecision } from '../access-events/access-policy';
import type { Machine } from '../machines/machine.entity';
import { Intervention } from '../maintenance/intervention.entity';
import { machineMaintenanceStatus } from '../maintenance/maintenance-status';
import type { Member } from '../members/member.entity';
import type { Role } from '../roles/role.entity';
import { SessionLedger, type SessionChange } from '../usage/session-ledger';
import { toSessionMessage } from '../usage/session-message';
import { findAuthorization, findMachineByTopic, findMemberByCard } from './board-directory';
import type { BoardPacket } from './board-packet';
import { BoardStats } from './board-stats';
import { PresenceService } from './presence.service';

type CardHolder = Member & { role: Role };

/**
 * Answers board queries. Each answer is returned only after its effect is committed; a failure of a
 * write throws, so the transport sends nothing and the board keeps the message for replay.
 */
@Injectable()
export class BoardQueryService {
  private readonly logger = new Logger(BoardQueryService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly presence: PresenceService,
    private readonly live: LiveEvents,
    private readonly clock: Clock,
    private readonly stats: BoardStats,
  ) {}

  /** The reply for a board message, or null when none must be sent. */
  async answer(packet: BoardPacket): Promise<BoardReply | null> {
    const { parsed, topicId } = packet;
    if (!parsed.ok) {
      this.stats.countMalformed(parsed.error);
      this.logger.warn(
        `malformed board message on ${packet.topic}: ${parsed.error}${parsed.detail ? ` (${parsed.detail})` : ''}`,
      );
      return this.rejection(parsed.action);
    }
    this.stats.countReceived(parsed.query.action);
    const started = performance.now();
    const reply = await this.dispatch(topicId, parsed.query);
    if (reply) this.stats.recordLatency(performance.now() - started);
    return reply;
  }

  /** A known action with bad fields still gets the answer the board waits for, never a grant. */
  private rejection(action: BoardQuery['action'] | undefined): BoardReply | null {
    switch (action) {
      case undefined:
      case 'alive':
        return null;
      case 'checkuser':
        return deniedUserReply();
      case 'checkmachine':
        return unknownMachineReply();
      case 'startuse':
      case 'inuse':
      case 'stopuse':
      case 'maintenance':
        return simpleReply(false, 'invalid message');
    }
  }

  private async dispatch(topicId: string, query: BoardQuery): Promise<BoardReply | null> {
    const machine = await findMachineByTopic(this.uow.manager, topicId);
    this.presence.seen(topicId, machine?.id ?? null);
    switch (query.action) {
      case 'checkuser':
        return this.checkUser(topicId, machine, query);
      case 'checkmachine':
        return this.checkMachine(machine);
      case 'alive':
        await this.presence.recordAlive(topicId, machine, query);
        return null;
      case 'startuse':
      case 'inuse':
      case 'stopuse':
        return this.recordUse(topicId, machine, query);
      case 'maintenance':
        return this.recordMaintenance(topicId, machine, query);
    }
  }

  private async checkUser(
    topicId: string,
    machine: Machine | null,
    query: CheckUserQuery,
  ): Promise<BoardReply> {
    const em = this.uow.manager;
    const now = this.clock.now();
    const member = query.uid === NO_CARD_UID ? null : await findMemberByCard(em, query.uid);
    const authorization = member && machine ? await findAuthorization(em, member.id, machine.id) : null;
    const decision = decideAccess({ member, machine, authorization, now });
    const event = await this.uow.run((tx) =>
      this.recordAccess(tx, { topicId, machine, member, cardUid: query.uid, action: 'checkuser', decision }),
    );
    this.live.publish('access-event', event);
    if (!decision.granted || !member) return deniedUserReply(decision.reason === 'no-authorization');
    return grantedUserReply(member.name, decision.level);
  }

  private async checkMachine(machine: Machine | null): Promise<BoardReply> {
    if (!machine) return unknownMachineReply();
    const plans = await machineMaintenanceStatus(this.uow.manager, machine.id, this.clock.now());
    const due = plans.find((p) => p.due);
    return knownMachineReply({
      allowed: !machine.blocked,
      maintenance: due !== undefined,
      logoffMinutes: machine.type?.autoLogoffMinutes ?? 1440,
      graceMinutes: machine.type?.graceMinutes ?? 2,
      name: machine.name,
      description: due ? due.plan.lcdMessage || due.plan.description : '',
      typeId: machine.typeId ?? 0,
    });
  }

  private async recordUse(
    topicId: string,
    machine: Machine | null,
    query: StartUseQuery | InUseQuery | StopUseQuery,
  ): Promise<BoardReply> {
    if (!machine) return simpleReply(false, 'unknown machine');
    if (query.uid === NO_CARD_UID) return simpleReply(true, 'no card');
    const member = await findMemberByCard(this.uow.manager, query.uid);
    if (!member) {
      // The board let an unknown card in (offline cache or whitelist): nothing to attach a session to.
      this.logger.warn(`${query.action} on machine ${topicId} for unknown card ${query.uid}`);
      return simpleReply(true, 'unknown card');
    }
    const change = await this.uow.run(async (em) => {
      await this.uow.lockMachine(em, machine.id);
      const ledger = new SessionLedger(em, this.clock.now());
      switch (query.action) {
        case 'startuse':
          return ledger.start(machine.id, member.id, query.replay);
        case 'inuse':
          return ledger.heartbeat(machine.id, member.id, query.duration);
        case 'stopuse':
          return ledger.stop(machine.id, member.id, query.duration, query.replay);
      }
    });
    this.publishSessionChange(change);
    if (query.action === 'stopuse') {
      return simpleReply(true, `Duration ${query.duration} seconds`);
    }
    return simpleReply(true, 'ok');
  }

  private async recordMaintenance(
    topicId: string,
    machine: Machine | null,
    query: MaintenanceQuery,
  ): Promise<BoardReply> {
    if (!machine) return simpleReply(false, 'unknown machine');
    const em = this.uow.manager;
    const now = this.clock.now();
    const member = await findMemberByCard(em, query.uid);
    const authorization = member ? await findAuthorization(em, member.id, machine.id) : null;
    const decision = decideAccess({ member, machine, authorization, now });
    const maintainer = decision.granted && decision.level >= 2;
    const { planIds: recordedPlans, event } = await this.uow.run(async (tx) => {
      await this.uow.lockMachine(tx, machine.id);
      let planIds: number[] = [];
      if (maintainer && member) {
        const due = (await machineMaintenanceStatus(tx, machine.id, now)).filter((p) => p.due);
        planIds = due.map((p) => p.plan.id);
        for (const planId of planIds) {
          await tx.save(
            tx.create(Intervention, {
              planId,
              machineId: machine.id,
              memberId: member.id,
              performedAt: now,
              replay: query.replay,
              source: 'board',
            }),
          );
        }
      }
      const reason: AccessReason = !maintainer
        ? decision.granted
          ? 'not-a-maintainer'
          : decision.reason
        : planIds.length > 0
          ? 'maintenance-recorded'
          : 'nothing-due';
      const granted = maintainer
        ? { ...decision, reason: 'granted' as const }
        : { granted: false as const, level: 0 as const, reason };
      const event = await this.recordAccess(tx, {
        topicId,
        machine,
        member,
        cardUid: query.uid,
        action: 'maintenance',
        decision: granted,
        reason,
        replay: query.replay,
      });
      return { planIds, event };
    });
    this.live.publish('access-event', event);
    if (!maintainer) return simpleReply(false, 'not a maintainer');
    if (recordedPlans.length > 0) {
      this.live.publish('maintenance-recorded', { machineId: machine.id, planIds: recordedPlans });
    }
    return simpleReply(true, recordedPlans.length > 0 ? 'maintenance recorded' : 'nothing due');
  }

  private async recordAccess(
    em: EntityManager,
    entry: {
      topicId: string;
      machine: Machine | null;
      member: CardHolder | null;
      cardUid: string;
      action: AccessAction;
      decision: AccessDecision;
      reason?: AccessReason;
      replay?: boolean;
    },
  ): Promise<AccessEventMessage> {
    const event = await em.save(
      em.create(AccessEvent, {
        occurredAt: this.clock.now(),
        topicId: entry.topicId,
        machineId: entry.machine?.id ?? null,
        cardUid: entry.cardUid,
        memberId: entry.member?.id ?? null,
        action: entry.action,
        reason: entry.reason ?? entry.decision.reason,
        granted: entry.decision.granted,
        level: entry.decision.level,
        replay: entry.replay ?? false,
        actorMemberId: null,
      }),
    );
    return {
      id: event.id,
      occurredAt: event.occurredAt.toISOString(),
      topicId: event.topicId,
      machineId: event.machineId,
      machineName: entry.machine?.name ?? null,
      cardUid: event.cardUid,
      memberId: event.memberId,
      memberName: entry.member ? `${entry.member.name} ${entry.member.surname}`.trim() : null,
      action: event.action,
      reason: event.reason,
      granted: event.granted,
      level: event.level,
      replay: event.replay,
    };
  }

  private publishSessionChange(change: SessionChange): void {
    const message = toSessionMessage;
    switch (change.kind) {
      case 'opened':
        if (change.superseded) this.live.publish('session-stopped', message(change.superseded));
        this.live.publish('session-started', message(change.session));
        return;
      case 'reopened':
        this.live.publish('session-started', message(change.session));
        return;
      case 'closed':
      case 'corrected':
        this.live.publish('session-stopped', message(change.session));
        return;
      case 'refreshed':
      case 'duplicate':
        return;
    }
  }
}
