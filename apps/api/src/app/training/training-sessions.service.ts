import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { TrainingOutcome, TrainingSessionDto } from '@fabomatic/contracts';
import { Between, type EntityManager, In, IsNull, LessThan, MoreThanOrEqual } from 'typeorm';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { PortalReads } from '../../core/database/portal-reads';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { ApiError, conflict, invalidField, notFound } from '../../core/http/api-error';
import { Clock } from '../../core/time/clock';
import { AuditService } from '../audit/audit.service';
import type { SessionUser } from '../auth/session-user';
import { mayManage } from '../authorizations/certification';
import { applyLifecycle, grantAuthorization } from '../authorizations/certification-store';
import { MachineType } from '../machine-types/machine-type.entity';
import { Machine } from '../machines/machine.entity';
import { Member } from '../members/member.entity';
import { fullName } from '../usage/activity-query';
import {
  assertNotOwnTrainee,
  assertTrains,
  isTrainerOf,
  mayRead,
  notTrainerForType,
  type TrainingActor,
  trainingActor,
} from './training-access';
import type {
  TrainingOutcomesInputDto,
  TrainingSessionInputDto,
  TrainingSessionQueryDto,
  TrainingSessionUpdateDto,
} from './training.dto';
import { TrainingNotices } from './training-notices';
import { TrainingRequest } from './training-request.entity';
import { LIVE_REQUEST_STATES } from './training-requests.service';
import { TrainingAttendee, TrainingSession } from './training-session.entity';

const completed = () =>
  new ApiError(
    HttpStatus.CONFLICT,
    'TRAINING_SESSION_COMPLETED',
    'the outcomes of this training are recorded: it can no longer change',
  );

const full = (capacity: number) =>
  new ApiError(
    HttpStatus.CONFLICT,
    'TRAINING_SESSION_FULL',
    `more trainees than the capacity (${capacity})`,
    undefined,
    { capacity },
  );

/**
 * Training sessions: a trainer of the type (or a manager, naming a trainer) plans a date, a place,
 * a capacity and trainees (their open requests become `planned`), may change them until the outcomes
 * are recorded, then records each trainee's result: the qualified get active authorizations on the
 * machines of the type the trainer chose, in the same transaction, with the trainer as the actor of
 * their history; their requests are `done`. Not qualified or absent, the request goes back to `open`.
 */
@Injectable()
export class TrainingSessionsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly reads: PortalReads,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'LAB_TIME_ZONE'>,
    private readonly notices: TrainingNotices,
  ) {}

  async list(user: SessionUser, query: TrainingSessionQueryDto): Promise<TrainingSessionDto[]> {
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
    const from = query.from ? new Date(query.from) : null;
    const to = query.to ? new Date(query.to) : null;
    const startsAt =
      from && to
        ? Between(from, new Date(to.getTime() - 1))
        : from
          ? MoreThanOrEqual(from)
          : to
            ? LessThan(to)
            : undefined;
    const rows = await em.find(TrainingSession, {
      where: {
        ...(types ? { machineTypeId: In(types) } : {}),
        ...(startsAt ? { startsAt } : {}),
      },
      order: { startsAt: 'DESC', id: 'DESC' },
      take: 500,
    });
    return toSessionDtos(em, rows);
  }

  /** One session: its type's trainers and staff, and its own trainees. */
  async get(user: SessionUser, id: number): Promise<TrainingSessionDto> {
    const em = this.reads.manager;
    const session = await em.findOneBy(TrainingSession, { id });
    if (!session) throw notFound('training session');
    const actor = await trainingActor(em, user);
    if (
      !mayRead(actor, session.machineTypeId) &&
      !(await em.existsBy(TrainingAttendee, { sessionId: id, memberId: user.id }))
    )
      throw notTrainerForType();
    return this.one(id);
  }

  async create(user: SessionUser, input: TrainingSessionInputDto): Promise<TrainingSessionDto> {
    let planned: number[] = [];
    const id = await this.uow.run(async (em) => {
      const type = await em.findOneBy(MachineType, { id: input.machineTypeId });
      if (!type) throw invalidField('machineTypeId', 'no machine type has this id');
      const actor = await trainingActor(em, user);
      assertTrains(actor, type.id);
      const trainerId = await this.trainerFor(em, actor, type.id, input.trainerId);
      const memberIds = [...new Set(input.memberIds)];
      if (memberIds.length > input.capacity) throw full(input.capacity);
      assertNotOwnTrainee(trainerId, memberIds);
      await this.liveMembers(em, memberIds);
      const session = await em.save(
        em.create(TrainingSession, {
          machineTypeId: type.id,
          trainerId,
          startsAt: new Date(input.startsAt),
          place: input.place.trim(),
          capacity: input.capacity,
          createdAt: this.clock.now(),
          completedAt: null,
        }),
      );
      await this.addTrainees(em, session, memberIds);
      await this.audit.record(em, user, 'create', 'training-session', session.id, null, {
        ...session,
        memberIds,
      });
      planned = memberIds;
      return session.id;
    });
    this.notices.sessionPlanned(id, planned);
    return this.one(id);
  }

  async update(user: SessionUser, id: number, input: TrainingSessionUpdateDto): Promise<TrainingSessionDto> {
    let planned: number[] = [];
    await this.uow.run(async (em) => {
      const session = await em.findOneBy(TrainingSession, { id });
      if (!session) throw notFound('training session');
      if (session.completedAt !== null) throw completed();
      const actor = await trainingActor(em, user);
      assertTrains(actor, session.machineTypeId);
      const attendees = await em.findBy(TrainingAttendee, { sessionId: id });
      const before = { ...session, memberIds: attendees.map((a) => a.memberId) };
      if (input.trainerId !== undefined && input.trainerId !== session.trainerId)
        session.trainerId = await this.trainerFor(em, actor, session.machineTypeId, input.trainerId);
      if (input.startsAt !== undefined) session.startsAt = new Date(input.startsAt);
      if (input.place !== undefined) session.place = input.place.trim();
      if (input.capacity !== undefined) session.capacity = input.capacity;
      const memberIds = input.memberIds ? [...new Set(input.memberIds)] : attendees.map((a) => a.memberId);
      if (memberIds.length > session.capacity) throw full(session.capacity);
      assertNotOwnTrainee(session.trainerId, memberIds);
      const removed = attendees.filter((a) => !memberIds.includes(a.memberId));
      const added = memberIds.filter((m) => !attendees.some((a) => a.memberId === m));
      await this.liveMembers(em, added);
      for (const attendee of removed) {
        await em.delete(TrainingAttendee, { id: attendee.id });
        // Back in the queue, as if never planned.
        if (attendee.requestId !== null)
          await em.update(
            TrainingRequest,
            { id: attendee.requestId, state: 'planned' },
            { state: 'open', trainingSessionId: null, updatedAt: this.clock.now() },
          );
      }
      const saved = await em.save(session);
      await this.addTrainees(em, saved, added);
      await this.audit.record(em, user, 'update', 'training-session', id, before, { ...saved, memberIds });
      planned = added;
    });
    this.notices.sessionPlanned(id, planned);
    return this.one(id);
  }

  /**
   * Records each trainee's result, once. The qualified get active authorizations on `machineIds`
   * (machines of the session's type, in service) through the lifecycle writer, the session's trainer
   * as the actor of their history; the boards hear of it once committed.
   */
  async outcomes(
    user: SessionUser,
    id: number,
    input: TrainingOutcomesInputDto,
  ): Promise<TrainingSessionDto> {
    let results = new Map<number, TrainingOutcome>();
    await this.uow.run(async (em, events) => {
      const session = await em.findOneBy(TrainingSession, { id });
      if (!session) throw notFound('training session');
      if (session.completedAt !== null) throw completed();
      const actor = await trainingActor(em, user);
      assertTrains(actor, session.machineTypeId);
      const attendees = await em.findBy(TrainingAttendee, { sessionId: id });
      const given = new Map(input.outcomes.map((o) => [o.memberId, o.outcome]));
      const strangers = [...given.keys()].filter((m) => !attendees.some((a) => a.memberId === m));
      if (strangers.length > 0)
        throw invalidField('outcomes', `not trainees of this session: ${strangers.join(', ')}`);
      const missing = attendees.filter((a) => !given.has(a.memberId)).map((a) => a.memberId);
      if (missing.length > 0) throw invalidField('outcomes', `no outcome for trainees ${missing.join(', ')}`);
      const qualified = attendees.filter((a) => given.get(a.memberId) === 'qualified');
      const machineIds = [...new Set(input.machineIds)];
      const machines = machineIds.length
        ? await em.findBy(Machine, { id: In(machineIds), typeId: session.machineTypeId, retiredAt: IsNull() })
        : [];
      if (machines.length !== machineIds.length)
        throw invalidField('machineIds', 'must be machines of the training type, in service');
      if (qualified.length > 0 && machines.length === 0)
        throw invalidField('machineIds', 'choose the machines the qualified trainees may use');
      for (const attendee of qualified)
        if (!mayManage(actor, attendee.memberId, session.machineTypeId)) throw notTrainerForType();

      const now = this.clock.now();
      const context = { actorId: session.trainerId, now, timeZone: this.config.LAB_TIME_ZONE };
      for (const attendee of qualified) {
        let changed = false;
        for (const machine of machines) {
          const grant = await grantAuthorization(em, attendee.memberId, machine.id, context);
          if (!grant.changed && grant.authorization.status === 'active') {
            // Trained again (a refresher, or after expiry): the validity and the decay start over.
            await applyLifecycle(em, grant.authorization, 'renew', context);
          }
          // A suspended authorization stays suspended: staff lift a suspension, not a training.
          changed ||= grant.changed || grant.authorization.status === 'active';
        }
        if (changed)
          events.publish('authorization-changed', { memberId: attendee.memberId, machineId: null });
      }
      for (const attendee of attendees) {
        const outcome = given.get(attendee.memberId) ?? 'absent';
        await em.update(TrainingAttendee, { id: attendee.id }, { outcome });
        if (attendee.requestId !== null)
          await em.update(
            TrainingRequest,
            { id: attendee.requestId, state: In([...LIVE_REQUEST_STATES]) },
            { state: outcome === 'qualified' ? 'done' : 'open', updatedAt: now },
          );
      }
      session.completedAt = now;
      await em.save(session);
      await this.audit.record(em, user, 'record-outcomes', 'training-session', id, null, {
        outcomes: Object.fromEntries(given),
        machineIds,
      });
      results = new Map(attendees.map((a) => [a.memberId, given.get(a.memberId) ?? 'absent']));
    });
    this.notices.sessionResult(id, results, [...new Set(input.machineIds)]);
    return this.one(id);
  }

  async one(id: number): Promise<TrainingSessionDto> {
    const session = await this.reads.manager.findOneBy(TrainingSession, { id });
    if (!session) throw notFound('training session');
    const [dto] = await toSessionDtos(this.reads.manager, [session]);
    if (!dto) throw notFound('training session');
    return dto;
  }

  /** Who trains: a trainer trains their own sessions; a manager names a trainer of the type or leads it. */
  private async trainerFor(
    em: EntityManager,
    actor: TrainingActor,
    machineTypeId: number,
    asked: number | undefined,
  ): Promise<number> {
    if (asked === undefined || asked === actor.memberId) return actor.memberId;
    if (!actor.manager) throw notTrainerForType();
    if (!(await isTrainerOf(em, asked, machineTypeId)))
      throw invalidField('trainerId', 'is not a trainer of this machine type');
    return asked;
  }

  /** Trainees are members not deleted (a disabled one may still be trained). */
  private async liveMembers(em: EntityManager, memberIds: readonly number[]): Promise<void> {
    if (memberIds.length === 0) return;
    const found = await em.find(Member, {
      select: { id: true },
      where: { id: In([...memberIds]), deletedAt: IsNull() },
    });
    const missing = memberIds.filter((m) => !found.some((f) => f.id === m));
    if (missing.length > 0) throw invalidField('memberIds', `no member has the id ${missing.join(', ')}`);
  }

  /** Adds trainees; their open request of the type (if any) becomes `planned` in this session. */
  private async addTrainees(em: EntityManager, session: TrainingSession, memberIds: readonly number[]) {
    for (const memberId of memberIds) {
      const request = await em.findOne(TrainingRequest, {
        where: { memberId, machineTypeId: session.machineTypeId, state: In([...LIVE_REQUEST_STATES]) },
        order: { createdAt: 'ASC' },
      });
      if (request?.state === 'planned' && request.trainingSessionId !== session.id) {
        const member = await em.findOneByOrFail(Member, { id: memberId });
        throw conflict('TRAINEE_ALREADY_PLANNED', `${fullName(member)} is planned in another session`, {
          member: fullName(member),
        });
      }
      if (request) {
        request.state = 'planned';
        request.trainingSessionId = session.id;
        request.updatedAt = this.clock.now();
        await em.save(request);
      }
      await em.insert(TrainingAttendee, {
        sessionId: session.id,
        memberId,
        requestId: request?.id ?? null,
        outcome: 'pending',
      });
    }
  }
}

/** Sessions as the API shows them: names, trainees and their results, the machines of the type. */
export async function toSessionDtos(
  em: EntityManager,
  sessions: readonly TrainingSession[],
): Promise<TrainingSessionDto[]> {
  if (sessions.length === 0) return [];
  const ids = sessions.map((s) => s.id);
  const typeIds = [...new Set(sessions.map((s) => s.machineTypeId))];
  const attendees = await em.find(TrainingAttendee, { where: { sessionId: In(ids) }, order: { id: 'ASC' } });
  const memberIds = [...new Set([...attendees.map((a) => a.memberId), ...sessions.map((s) => s.trainerId)])];
  const [members, types, machines] = await Promise.all([
    em.find(Member, {
      select: { id: true, name: true, surname: true, cardUid: true },
      where: { id: In(memberIds) },
    }),
    em.find(MachineType, { select: { id: true, name: true }, where: { id: In(typeIds) } }),
    em.find(Machine, {
      select: { id: true, name: true, typeId: true },
      where: { typeId: In(typeIds), retiredAt: IsNull() },
      order: { name: 'ASC' },
    }),
  ]);
  const memberOf = new Map(members.map((m) => [m.id, m]));
  const typeNames = new Map(types.map((t) => [t.id, t.name]));
  const name = (id: number) => {
    const m = memberOf.get(id);
    return m ? fullName(m) : '';
  };
  return sessions.map((s) => ({
    id: s.id,
    machineTypeId: s.machineTypeId,
    machineTypeName: typeNames.get(s.machineTypeId) ?? '',
    trainer: { id: s.trainerId, name: name(s.trainerId) },
    startsAt: s.startsAt.toISOString(),
    place: s.place,
    capacity: s.capacity,
    trainees: attendees
      .filter((a) => a.sessionId === s.id)
      .map((a) => ({
        memberId: a.memberId,
        memberName: name(a.memberId),
        hasCard: !!memberOf.get(a.memberId)?.cardUid,
        requestId: a.requestId,
        outcome: a.outcome,
      })),
    completedAt: s.completedAt?.toISOString() ?? null,
    machines: machines.filter((m) => m.typeId === s.machineTypeId).map((m) => ({ id: m.id, name: m.name })),
  }));
}
