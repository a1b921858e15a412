import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { TrainingRequestDto, TrainingRequestState, TrainingTypeDto } from '@fabomatic/contracts';
import { type EntityManager, In, IsNull, Not } from 'typeorm';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { PortalReads } from '../../core/database/portal-reads';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { ApiError, conflict, invalidField, notFound } from '../../core/http/api-error';
import { Clock } from '../../core/time/clock';
import { AuditService } from '../audit/audit.service';
import type { SessionUser } from '../auth/session-user';
import { Authorization } from '../authorizations/authorization.entity';
import { certificationState } from '../authorizations/certification';
import { policyOf } from '../authorizations/certification-store';
import { MachineType } from '../machine-types/machine-type.entity';
import { Machine } from '../machines/machine.entity';
import { Member } from '../members/member.entity';
import { fullName } from '../usage/activity-query';
import { mayRead, notTrainerForType, trainedTypes, trainingActor } from './training-access';
import type { TrainingRequestInputDto, TrainingRequestQueryDto } from './training.dto';
import { TrainingNotices } from './training-notices';
import { TrainingRequest } from './training-request.entity';
import { TrainingAttendee, TrainingSession } from './training-session.entity';

/** A request still waiting for its training: one per member and machine type at a time. */
export const LIVE_REQUEST_STATES: readonly TrainingRequestState[] = ['open', 'planned'];

/**
 * Training requests: a member asks for training on a machine type; the type's trainers (and staff)
 * see the queue. A request is `open` in the queue, `planned` once in a session, `done` when the member
 * qualified, `cancelled` by the member. Not qualified or absent, it goes back to `open` (it stays in
 * the queue, its last session and result kept).
 */
@Injectable()
export class TrainingRequestsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly reads: PortalReads,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'LAB_TIME_ZONE'>,
    private readonly notices: TrainingNotices,
  ) {}

  /** The member's own requests, newest first. */
  async mine(user: SessionUser): Promise<TrainingRequestDto[]> {
    const rows = await this.reads.manager.find(TrainingRequest, {
      where: { memberId: user.id },
      order: { createdAt: 'DESC', id: 'DESC' },
    });
    return toRequestDtos(this.reads.manager, rows);
  }

  /** The types managed by authorization, with whether the member is authorized on all, or trains them. */
  async types(user: SessionUser): Promise<TrainingTypeDto[]> {
    const em = this.reads.manager;
    const [types, machines, trains] = await Promise.all([
      em.find(MachineType, { where: { accessManagement: Not('open') }, order: { name: 'ASC' } }),
      em.find(Machine, {
        select: { id: true, name: true, typeId: true },
        where: { retiredAt: IsNull() },
        order: { name: 'ASC' },
      }),
      trainedTypes(em, user.id),
    ]);
    const out: TrainingTypeDto[] = [];
    for (const type of types) {
      out.push({
        id: type.id,
        name: type.name,
        machineNames: machines.filter((m) => m.typeId === type.id).map((m) => m.name),
        authorized: await this.authorizedOnEveryMachine(em, user.id, type),
        trains: trains.has(type.id),
      });
    }
    return out;
  }

  async create(user: SessionUser, input: TrainingRequestInputDto): Promise<TrainingRequestDto> {
    const id = await this.uow.run(async (em) => {
      const type = await em.findOneBy(MachineType, { id: input.machineTypeId });
      if (!type) throw invalidField('machineTypeId', 'no machine type has this id');
      const live = await em.existsBy(TrainingRequest, {
        memberId: user.id,
        machineTypeId: type.id,
        state: In([...LIVE_REQUEST_STATES]),
      });
      if (live) {
        throw conflict('TRAINING_REQUEST_OPEN', `you already asked for training on ${type.name}`, {
          type: type.name,
        });
      }
      if (await this.authorizedOnEveryMachine(em, user.id, type)) {
        throw conflict('ALREADY_AUTHORIZED_FOR_TYPE', `you are already authorized on every ${type.name}`, {
          type: type.name,
        });
      }
      const now = this.clock.now();
      const created = await em.save(
        em.create(TrainingRequest, {
          memberId: user.id,
          machineTypeId: type.id,
          note: input.note?.trim() || null,
          state: 'open',
          trainingSessionId: null,
          createdAt: now,
          updatedAt: now,
        }),
      );
      await this.audit.record(em, user, 'create', 'training-request', created.id, null, created);
      return created.id;
    });
    this.notices.requestCreated(id);
    return this.one(id);
  }

  /** The member cancels their own open or planned request (a planned one leaves its session). */
  async cancel(user: SessionUser, id: number): Promise<TrainingRequestDto> {
    await this.uow.run(async (em) => {
      const request = await em.findOneBy(TrainingRequest, { id, memberId: user.id });
      if (!request) throw notFound('training request');
      if (!LIVE_REQUEST_STATES.includes(request.state)) {
        throw new ApiError(
          HttpStatus.CONFLICT,
          'TRAINING_REQUEST_CLOSED',
          `a ${request.state} request cannot be cancelled`,
          undefined,
          { state: request.state },
        );
      }
      const before = { ...request };
      if (request.state === 'planned' && request.trainingSessionId !== null) {
        const session = await em.findOneBy(TrainingSession, { id: request.trainingSessionId });
        if (session && session.completedAt === null) {
          await em.delete(TrainingAttendee, { sessionId: session.id, memberId: user.id });
        }
        request.trainingSessionId = null;
      }
      request.state = 'cancelled';
      request.updatedAt = this.clock.now();
      const saved = await em.save(request);
      await this.audit.record(em, user, 'cancel', 'training-request', id, before, saved);
    });
    return this.one(id);
  }

  /**
   * The queue: open and planned requests (or those in `state`), oldest first. A trainer sees the
   * types they train (asking for another: 403); read-only staff and above see every type.
   */
  async queue(user: SessionUser, query: TrainingRequestQueryDto): Promise<TrainingRequestDto[]> {
    const em = this.reads.manager;
    const actor = await trainingActor(em, user);
    let types: number[] | null = null;
    if (query.machineTypeId !== undefined) {
      if (!mayRead(actor, query.machineTypeId)) throw notTrainerForType();
      types = [query.machineTypeId];
    } else if (!actor.staffReader) {
      if (actor.trainerOf.size === 0) throw notTrainerForType();
      types = [...actor.trainerOf];
    }
    const rows = await em.find(TrainingRequest, {
      where: {
        ...(types ? { machineTypeId: In(types) } : {}),
        state: query.state ?? In([...LIVE_REQUEST_STATES]),
      },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: 1000,
    });
    return toRequestDtos(em, rows);
  }

  private async one(id: number): Promise<TrainingRequestDto> {
    const row = await this.reads.manager.findOneBy(TrainingRequest, { id });
    if (!row) throw notFound('training request');
    const [dto] = await toRequestDtos(this.reads.manager, [row]);
    if (!dto) throw notFound('training request');
    return dto;
  }

  /**
   * Whether the member holds an authorization that grants now (`active` or `expiring`) on every
   * machine of the type in service. An open type needs none; a type without machines has nothing
   * to train on yet, so a request is welcome.
   */
  private async authorizedOnEveryMachine(em: EntityManager, memberId: number, type: MachineType) {
    if (type.accessManagement === 'open') return true;
    const machines = await em.find(Machine, {
      select: { id: true },
      where: { typeId: type.id, retiredAt: IsNull() },
    });
    if (machines.length === 0) return false;
    const held = await em.find(Authorization, {
      where: { memberId, machineId: In(machines.map((m) => m.id)) },
    });
    const policy = policyOf(type);
    const lastUsed = Math.max(0, ...held.map((a) => a.lastUsedAt?.getTime() ?? 0)) || null;
    const now = this.clock.now().getTime();
    const granting = held.filter((a) => {
      const state = certificationState(
        {
          status: a.status,
          expiresAt: a.expiresAt?.getTime() ?? null,
          lastUsedAt: lastUsed,
          grantedAt: a.grantedAt?.getTime() ?? null,
          exempt: false,
        },
        policy,
        this.config.LAB_TIME_ZONE,
        now,
      );
      return state === 'active' || state === 'expiring';
    });
    return granting.length === machines.length;
  }
}

/** Requests as the API shows them: names, and the session each is (or was last) planned in. */
export async function toRequestDtos(
  em: EntityManager,
  rows: readonly TrainingRequest[],
): Promise<TrainingRequestDto[]> {
  if (rows.length === 0) return [];
  const sessionIds = [...new Set(rows.map((r) => r.trainingSessionId).filter((id) => id !== null))];
  const sessions = sessionIds.length ? await em.findBy(TrainingSession, { id: In(sessionIds) }) : [];
  const attendees = sessionIds.length ? await em.findBy(TrainingAttendee, { sessionId: In(sessionIds) }) : [];
  const memberIds = [...new Set([...rows.map((r) => r.memberId), ...sessions.map((s) => s.trainerId)])];
  const typeIds = [...new Set(rows.map((r) => r.machineTypeId))];
  const [members, types] = await Promise.all([
    em.find(Member, { select: { id: true, name: true, surname: true }, where: { id: In(memberIds) } }),
    em.find(MachineType, { select: { id: true, name: true }, where: { id: In(typeIds) } }),
  ]);
  const names = new Map(members.map((m) => [m.id, fullName(m)]));
  const typeNames = new Map(types.map((t) => [t.id, t.name]));
  const sessionOf = new Map(sessions.map((s) => [s.id, s]));
  return rows.map((r) => {
    const session = r.trainingSessionId === null ? undefined : sessionOf.get(r.trainingSessionId);
    const attendee =
      session && attendees.find((a) => a.sessionId === session.id && a.memberId === r.memberId);
    return {
      id: r.id,
      memberId: r.memberId,
      memberName: names.get(r.memberId) ?? '',
      machineTypeId: r.machineTypeId,
      machineTypeName: typeNames.get(r.machineTypeId) ?? '',
      note: r.note,
      state: r.state,
      createdAt: r.createdAt.toISOString(),
      trainingSessionId: r.trainingSessionId,
      session: session
        ? {
            id: session.id,
            startsAt: session.startsAt.toISOString(),
            place: session.place,
            trainerName: names.get(session.trainerId) ?? '',
            outcome: attendee?.outcome ?? 'pending',
          }
        : null,
    };
  });
}
