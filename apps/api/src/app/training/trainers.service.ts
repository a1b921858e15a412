import { HttpStatus, Injectable } from '@nestjs/common';
import type { TrainerDto } from '@fabomatic/contracts';
import { IsNull } from 'typeorm';
import { PortalReads } from '../../core/database/portal-reads';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { ApiError, conflict, notFound } from '../../core/http/api-error';
import { Clock } from '../../core/time/clock';
import { AuditService } from '../audit/audit.service';
import type { SessionUser } from '../auth/session-user';
import { MachineType } from '../machine-types/machine-type.entity';
import { Member } from '../members/member.entity';
import { fullName } from '../usage/activity-query';
import type { TrainerInputDto, TrainerListQueryDto } from './trainer.dto';
import { Trainer } from './trainer.entity';

type Loaded = Trainer & { member?: Member; type?: MachineType; grantedBy?: Member | null };

/**
 * Trainers (issue 15): members made trainers for machine types by managers and admins. A grant is
 * kept: revoking sets `revokedAt`, and a new grant adds a row.
 */
@Injectable()
export class TrainersService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly reads: PortalReads,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(query: TrainerListQueryDto): Promise<TrainerDto[]> {
    const qb = this.reads.manager
      .createQueryBuilder(Trainer, 't')
      .innerJoinAndMapOne('t.member', Member, 'mb', 'mb.id = t."memberId"')
      .innerJoinAndMapOne('t.type', MachineType, 'mt', 'mt.id = t."machineTypeId"')
      .leftJoinAndMapOne('t.grantedBy', Member, 'gb', 'gb.id = t."grantedById"')
      .orderBy('mt.name', 'ASC')
      .addOrderBy('mb.surname', 'ASC')
      .addOrderBy('mb.name', 'ASC')
      .addOrderBy('t.id', 'ASC');
    if (query.machineTypeId !== undefined)
      qb.andWhere('t."machineTypeId" = :typeId', { typeId: query.machineTypeId });
    if (query.memberId !== undefined) qb.andWhere('t."memberId" = :memberId', { memberId: query.memberId });
    if (query.includeRevoked !== true) qb.andWhere('t."revokedAt" IS NULL');
    return (await qb.getMany()).map((t) => toDto(t as Loaded));
  }

  /** The machine types the signed-in member trains (their active trainer grants). */
  trainerOf(user: SessionUser): Promise<TrainerDto[]> {
    return this.list({ memberId: user.id });
  }

  /** Makes a member a trainer of a type; an active grant already there is returned as it is. */
  async grant(actor: SessionUser, input: TrainerInputDto): Promise<TrainerDto> {
    const id = await this.uow.run(async (em) => {
      const member = await em.findOneBy(Member, { id: input.memberId });
      if (!member) throw invalid('memberId', 'no member has this id');
      if (member.deletedAt)
        throw conflict('MEMBER_DELETED_NOT_AUTHORIZABLE', 'a deleted member cannot be a trainer', {
          members: fullName(member),
        });
      if (!(await em.existsBy(MachineType, { id: input.machineTypeId })))
        throw invalid('machineTypeId', 'no machine type has this id');
      const active = await em.findOneBy(Trainer, {
        memberId: input.memberId,
        machineTypeId: input.machineTypeId,
        revokedAt: IsNull(),
      });
      if (active) return active.id;
      const created = await em.save(
        em.create(Trainer, {
          memberId: input.memberId,
          machineTypeId: input.machineTypeId,
          grantedAt: this.clock.now(),
          grantedById: actor.id,
          revokedAt: null,
          revokedById: null,
        }),
      );
      await this.audit.record(em, actor, 'create', 'trainer', created.id, null, created);
      return created.id;
    });
    return this.get(id);
  }

  /** Ends a trainer grant (kept, with who ended it and when); an ended one is returned as it is. */
  async revoke(actor: SessionUser, id: number): Promise<TrainerDto> {
    await this.uow.run(async (em) => {
      const trainer = await em.findOneBy(Trainer, { id });
      if (!trainer) throw notFound('trainer');
      if (trainer.revokedAt !== null) return;
      const before = { ...trainer };
      const saved = await em.save(
        Object.assign(trainer, { revokedAt: this.clock.now(), revokedById: actor.id }),
      );
      await this.audit.record(em, actor, 'update', 'trainer', id, before, saved);
    });
    return this.get(id);
  }

  private async get(id: number): Promise<TrainerDto> {
    const found = await this.reads.manager
      .createQueryBuilder(Trainer, 't')
      .innerJoinAndMapOne('t.member', Member, 'mb', 'mb.id = t."memberId"')
      .innerJoinAndMapOne('t.type', MachineType, 'mt', 'mt.id = t."machineTypeId"')
      .leftJoinAndMapOne('t.grantedBy', Member, 'gb', 'gb.id = t."grantedById"')
      .where('t.id = :id', { id })
      .getOne();
    if (!found) throw notFound('trainer');
    return toDto(found);
  }
}

const invalid = (field: string, message: string) =>
  new ApiError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', message, { [field]: [message] });

function toDto(t: Loaded): TrainerDto {
  return {
    id: t.id,
    memberId: t.memberId,
    memberName: t.member ? fullName(t.member) : '',
    machineTypeId: t.machineTypeId,
    machineTypeName: t.type?.name ?? '',
    grantedAt: t.grantedAt.toISOString(),
    grantedBy: t.grantedBy ? { id: t.grantedBy.id, name: fullName(t.grantedBy) } : null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}
