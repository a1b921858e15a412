import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { normalizeCardUid } from '@fabomatic/board-protocol';
import {
  cardUidFor,
  ERASED_MEMBER_NAME,
  FULL_CARD_UID_ACCESS,
  hasAccess,
  type MemberDeleteResult,
  type MemberDto,
  type MemberEraseResult,
  type MemberHoldings,
  type MemberLanguage,
  type Page,
  type PortalAccess,
} from '@fabomatic/contracts';
import type { Response } from 'express';
import { type EntityManager, In, IsNull, Not, type SelectQueryBuilder } from 'typeorm';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { ErasureLedger, type ErasureRecord } from '../../core/database/erasure-ledger';
import { pacedSweep } from '../../core/database/paced-sweep';
import { PortalReads } from '../../core/database/portal-reads';
import { sqlRunnerOf } from '../../core/database/sql';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { ApiError, conflict, notFound } from '../../core/http/api-error';
import { type ExportColumn, ExportStreams, keysetQuery } from '../../core/http/export';
import { entityChunkRows } from '../../core/http/export-chunks';
import { containing, findPage } from '../../core/http/paging';
import type { PendingEvents } from '../../core/events/domain-events';
import { EventBus } from '../../core/events/event-bus';
import { Clock } from '../../core/time/clock';
import { AccessEvent } from '../access-events/access-event.entity';
import { AuditEntry } from '../audit/audit-entry.entity';
import { type AuditActor, AuditService } from '../audit/audit.service';
import { MagicLinkToken } from '../auth/magic-link-token.entity';
import { PasswordResetToken } from '../auth/password-reset-token.entity';
import { PortalSession } from '../auth/portal-session.entity';
import type { SessionUser } from '../auth/session-user';
import { AuthorizationChangeEntry } from '../authorizations/authorization-change.entity';
import { Authorization } from '../authorizations/authorization.entity';
import { Machine } from '../machines/machine.entity';
import { Intervention } from '../maintenance/intervention.entity';
import { Role } from '../roles/role.entity';
import { closeOpenSessions } from '../usage/close-open-sessions';
import { toSessionMessage } from '../usage/session-message';
import { fullName } from '../usage/activity-query';
import { UsageSession } from '../usage/usage-session.entity';
import type { MemberExportQueryDto, MemberInputDto, MemberListQueryDto, MemberUpdateDto } from './member.dto';
import { Member } from './member.entity';
import { isUniqueViolation } from './unique-violation';

const SORTABLE = {
  name: 'm.name',
  surname: 'm.surname',
  email: 'm.email',
  createdAt: 'm."createdAt"',
  id: 'm.id',
} as const;

/** Roles only admins may give, and whose members only admins may change (no privilege escalation). */
export const PRIVILEGED: ReadonlySet<PortalAccess> = new Set(['manager', 'admin']);

/** The audit action a GDPR erase is recorded with: how an erased member is told from a deleted one. */
const ERASE_ACTION = 'erase';

const forbidden = (message: string) => new ApiError(HttpStatus.FORBIDDEN, 'FORBIDDEN', message);
const invalid = (field: string, message: string) =>
  new ApiError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', message, { [field]: [message] });

interface MemberRow {
  readonly member: Member;
  readonly role: Role;
  readonly erased: boolean;
}

@Injectable()
export class MembersService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly reads: PortalReads,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly exports: ExportStreams,
    private readonly ledger: ErasureLedger,
    private readonly bus: EventBus,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'LAB_TIME_ZONE'>,
  ) {}

  /** Below the manager level card UIDs are masked, and a search matches a card only by its whole UID. */
  async list(query: MemberListQueryDto, viewer: PortalAccess): Promise<Page<MemberDto>> {
    const page = await findPage(this.filtered(query, viewer), query, SORTABLE, (member) => member);
    const items = await this.toDtos(this.reads.manager, page.items);
    return { ...page, items: items.map((dto) => maskedFor(viewer, dto)) };
  }

  async export(query: MemberExportQueryDto, response: Response): Promise<void> {
    const rows = keysetQuery(
      () => this.filtered(query),
      { keys: [SORTABLE.name], id: SORTABLE.id, direction: 'ASC' },
      entityChunkRows(this.exports),
      async (qb) => {
        const { raw, entities } = await qb.getRawAndEntities();
        return { raw, rows: await this.toDtos(this.reads.manager, entities) };
      },
    );
    await this.exports.send(response, query.format ?? 'csv', 'members', EXPORT_COLUMNS, rows);
  }

  async get(id: number, viewer: PortalAccess): Promise<MemberDto> {
    const member = await this.reads.manager.findOneBy(Member, { id });
    if (!member) throw notFound('member');
    const [dto] = await this.toDtos(this.reads.manager, [member]);
    return maskedFor(viewer, dto);
  }

  async create(actor: SessionUser, input: MemberInputDto): Promise<MemberDto> {
    const id = await this.write(async (em, events) => {
      const role = await this.roleToGive(em, actor, input.roleId);
      const email = input.email ?? null;
      const cardUid = input.cardUid ?? null;
      await this.assertFree(em, { email, cardUid }, null);
      const member = await em.save(newMember(em, { ...input, email, cardUid, roleId: role.id }));
      await this.audit.record(em, actor, 'create', 'member', member.id, null, member);
      events.publish('member-changed', { memberId: member.id });
      return member.id;
    });
    return this.get(id, actor.access);
  }

  async update(actor: SessionUser, id: number, input: MemberUpdateDto): Promise<MemberDto> {
    await this.write(async (em, events) => {
      const member = await this.changeable(em, actor, id);
      if (member.deletedAt) throw conflict('MEMBER_IS_DELETED', 'this member is deleted: restore them first');
      if (
        id === actor.id &&
        (input.disabled === true || (input.roleId !== undefined && input.roleId !== member.roleId))
      ) {
        throw conflict(
          'CANNOT_CHANGE_OWN_ACCESS',
          'you cannot disable yourself or change your own role: ask another admin',
        );
      }
      if (input.roleId !== undefined && input.roleId !== member.roleId)
        await this.roleToGive(em, actor, input.roleId);
      await this.assertFree(em, { email: input.email, cardUid: input.cardUid }, id);
      const before = { ...member };
      const saved = await em.save(Object.assign(member, definedOnly(input)));
      // A reset or sign-in link sent to the old address must not outlive the change.
      if (input.email !== undefined && input.email !== before.email) {
        await em.delete(PasswordResetToken, { memberId: id, usedAt: IsNull() });
        await em.delete(MagicLinkToken, { memberId: id, usedAt: IsNull() });
      }
      await this.audit.record(em, actor, 'update', 'member', id, before, saved);
      events.publish('member-changed', { memberId: id });
      // Disabled or given a lower role: their live sockets are re-checked now, not within the minute.
      events.publish('portal-access-changed', { memberId: id });
    });
    return this.get(id, actor.access);
  }

  /**
   * Soft delete: the member can no longer use machines or the portal, their card is released for
   * someone else, their history stays. A machine they are using has its session closed now, hours
   * counted: their card is no longer known, so the board's later `stopuse` could not close it.
   * Answers what they had.
   */
  async remove(actor: SessionUser, id: number): Promise<MemberDeleteResult> {
    const { result, closed } = await this.write(async (em, events) => {
      const member = await this.changeable(em, actor, id);
      if (id === actor.id)
        throw conflict('CANNOT_DELETE_SELF', 'you cannot delete yourself: ask another admin');
      if (member.deletedAt) throw conflict('MEMBER_ALREADY_DELETED', 'this member is already deleted');
      const now = this.clock.now();
      const closedSessions = await closeOpenSessions(this.uow, em, 'memberId', id, {
        now: now.getTime(),
        timeZone: this.config.LAB_TIME_ZONE,
      });
      const holdings = await this.holdings(em, id);
      const ended = await em.delete(PortalSession, { memberId: id });
      const before = { ...member };
      const saved = await em.save(Object.assign(member, { deletedAt: now, cardUid: null }));
      const machineNames = closedSessions.length
        ? (await em.findBy(Machine, { id: In(closedSessions.map((s) => s.machineId)) })).map((m) => m.name)
        : [];
      await this.audit.record(em, actor, 'delete', 'member', id, before, {
        ...saved,
        sessionsClosed: closedSessions.map((s) => s.id),
      });
      events.publish('member-changed', { memberId: id });
      for (const session of closedSessions)
        events.publish('sessions-edited', { machineId: session.machineId });
      return {
        result: { ...holdings, portalSessionsEnded: ended.affected ?? 0, sessionsClosed: machineNames },
        closed: closedSessions,
      };
    });
    for (const session of closed) this.bus.publish('session-stopped', toSessionMessage(session));
    this.bus.publish('portal-access-changed', { memberId: id });
    return result;
  }

  /**
   * GDPR erase of a deleted member: personal data goes, history stays but points at nobody. The
   * audit entry says what was erased, not the data itself.
   */
  async erase(actor: SessionUser, id: number): Promise<MemberEraseResult> {
    // Years of their taps lose the card UID first, in small paced transactions; the checks are made
    // again in the erase's own transaction.
    const erasable = await this.uow.run(
      async (em) =>
        (await em.findOneBy(Member, { id }))?.deletedAt != null && !(await isErasedMember(em, id)),
    );
    const forgotten = erasable ? await forgetTapCards(this.uow, id) : null;
    const { result, erasure } = await this.write(async (em, events) => {
      const member = await em.findOneBy(Member, { id });
      if (!member) throw notFound('member');
      if (!member.deletedAt)
        throw conflict('MEMBER_NOT_DELETED', 'only a deleted member can be erased: delete them first');
      if (await isErasedMember(em, id))
        throw conflict('MEMBER_ALREADY_ERASED', 'this member is already erased');
      const holdings = await this.holdings(em, id);
      const authorizationsDeleted = await eraseMemberData(em, this.audit, actor, member, forgotten);
      events.publish('member-changed', { memberId: id });
      return { result: { ...holdings, authorizationsDeleted }, erasure: erasureOf(member, this.clock.now()) };
    });
    // Outside the database, so that restoring an older backup erases them again.
    this.ledger.record([erasure]);
    return result;
  }

  async restore(actor: SessionUser, id: number): Promise<MemberDto> {
    await this.write(async (em, events) => {
      const member = await this.changeable(em, actor, id);
      if (!member.deletedAt) throw conflict('MEMBER_NOT_DELETED', 'this member is not deleted');
      if (await isErasedMember(em, id))
        throw conflict('MEMBER_ERASED', 'this member was erased and cannot be restored');
      const before = { ...member };
      const saved = await em.save(Object.assign(member, { deletedAt: null }));
      await this.audit.record(em, actor, 'restore', 'member', id, before, saved);
      events.publish('member-changed', { memberId: id });
    });
    return this.get(id, actor.access);
  }

  /**
   * Runs a change, turning a lost race on a unique index into a conflict; its `member-changed`
   * reaches the boards' directory once committed.
   */
  private async write<T>(work: (em: EntityManager, events: PendingEvents) => Promise<T>): Promise<T> {
    try {
      return await this.uow.run(work);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw conflict('MEMBER_EMAIL_OR_CARD_TAKEN', 'another member has this email or card');
      }
      throw error;
    }
  }

  private filtered(query: MemberListQueryDto, viewer: PortalAccess = 'admin'): SelectQueryBuilder<Member> {
    const qb = this.reads.manager.createQueryBuilder(Member, 'm');
    qb.where(query.deleted ? 'm."deletedAt" IS NOT NULL' : 'm."deletedAt" IS NULL');
    if (query.q) {
      // Who sees cards masked finds one only by its whole UID: parts would spell it out search by search.
      const card = hasAccess(viewer, FULL_CARD_UID_ACCESS)
        ? `m."cardUid" LIKE :q ESCAPE '\\'`
        : `m."cardUid" = :card`;
      qb.andWhere(
        `(LOWER(m.name) LIKE :q ESCAPE '\\' OR LOWER(m.surname) LIKE :q ESCAPE '\\'
          OR LOWER(m.name || ' ' || m.surname) LIKE :q ESCAPE '\\'
          OR m.email LIKE :q ESCAPE '\\' OR ${card})`,
        { q: containing(query.q), card: normalizeCardUid(query.q) ?? '' },
      );
    }
    if (query.roleId !== undefined) qb.andWhere('m."roleId" = :roleId', { roleId: query.roleId });
    if (query.disabled !== undefined) qb.andWhere('m.disabled = :disabled', { disabled: query.disabled });
    if (query.hasCard !== undefined) {
      qb.andWhere(query.hasCard ? 'm."cardUid" IS NOT NULL' : 'm."cardUid" IS NULL');
    }
    return qb;
  }

  /** A member the actor may change: only admins touch managers and admins. */
  private async changeable(em: EntityManager, actor: SessionUser, id: number): Promise<Member> {
    const member = await em.findOneBy(Member, { id });
    if (!member) throw notFound('member');
    const role = await em.findOneByOrFail(Role, { id: member.roleId });
    if (actor.access !== 'admin' && PRIVILEGED.has(role.portalAccess)) {
      throw forbidden('only an admin may change a member with manager or admin access');
    }
    return member;
  }

  /** The role to give a member: it must exist, and only admins give manager or admin access. */
  private async roleToGive(em: EntityManager, actor: SessionUser, roleId: number): Promise<Role> {
    const role = await em.findOneBy(Role, { id: roleId });
    if (!role) throw invalid('roleId', 'no role has this id');
    if (actor.access !== 'admin' && PRIVILEGED.has(role.portalAccess)) {
      throw forbidden('only an admin may give a role with manager or admin access');
    }
    return role;
  }

  private async assertFree(
    em: EntityManager,
    wanted: { email?: string | null; cardUid?: string | null },
    self: number | null,
  ): Promise<void> {
    if (wanted.email) {
      const other = await em.findOneBy(Member, { email: wanted.email });
      if (other && other.id !== self) {
        const params = { field: 'email', member: fullName(other) };
        throw other.deletedAt
          ? conflict(
              'MEMBER_EMAIL_OF_DELETED',
              `the deleted member ${params.member} has this email: restore or erase them first`,
              params,
            )
          : conflict('MEMBER_EMAIL_TAKEN', `${params.member} already has this email`, params);
      }
    }
    if (wanted.cardUid) {
      const other = await em.findOneBy(Member, { cardUid: wanted.cardUid });
      if (other && other.id !== self) {
        const params = { field: 'cardUid', card: wanted.cardUid, member: fullName(other) };
        throw conflict('CARD_TAKEN', `the card ${params.card} belongs to ${params.member}`, params);
      }
    }
  }

  private async holdings(em: EntityManager, memberId: number): Promise<MemberHoldings> {
    // One after another: a transaction's connection runs one query at a time.
    const sessions = await em.countBy(UsageSession, { memberId });
    const authorizations = await em.countBy(Authorization, { memberId });
    const interventions = await em.countBy(Intervention, { memberId });
    return { sessions, authorizations, interventions };
  }

  private async toDtos(em: EntityManager, members: readonly Member[]): Promise<MemberDto[]> {
    if (members.length === 0) return [];
    const roleIds = [...new Set(members.map((m) => m.roleId))];
    const roles = new Map((await em.findBy(Role, { id: In(roleIds) })).map((r) => [r.id, r]));
    const deleted = members.filter((m) => m.deletedAt).map((m) => String(m.id));
    const erased = new Set<string>();
    for (let i = 0; i < deleted.length; i += 500) {
      const rows = await em.find(AuditEntry, {
        select: { entityId: true },
        where: { entityType: 'member', action: ERASE_ACTION, entityId: In(deleted.slice(i, i + 500)) },
      });
      for (const row of rows) if (row.entityId) erased.add(row.entityId);
    }
    return members.map((member) => {
      const role = roles.get(member.roleId);
      if (!role) throw new Error(`member ${member.id} has a missing role ${member.roleId}`);
      return toDto({ member, role, erased: erased.has(String(member.id)) });
    });
  }
}

/**
 * Erases a deleted member's personal data (the GDPR erase, also run by the scheduled purge): their
 * history stays but points at nobody; the audit entry says what was erased, not the data itself.
 * Answers how many authorizations went with it.
 */
export async function eraseMemberData(
  em: EntityManager,
  audit: AuditService,
  actor: AuditActor,
  member: Member,
  forgotten: TapsForgotten | null = null,
): Promise<number> {
  const id = member.id;
  const removed = await em.delete(Authorization, { memberId: id });
  // Their certifications' history stays (who granted what, when) without the reasons' free text.
  await em.update(AuthorizationChangeEntry, { memberId: id }, { reason: null });
  await em.delete(PortalSession, { memberId: id });
  // The card UID of their taps is personal data too: what `forgetTapCards` left (nothing, usually).
  if (forgotten?.memberId === id) {
    // Only the taps logged since it started, found by id (the unary + keeps SQLite off the member's
    // index: re-reading ten years of their taps, all cleared, held the boards 44 ms from disk).
    await sqlRunnerOf(em).run(
      'UPDATE "access_events" SET "cardUid" = NULL WHERE "id" > ? AND +"memberId" = ? AND "cardUid" IS NOT NULL',
      [forgotten.upToId, id],
    );
  } else {
    await em.update(AccessEvent, { memberId: id, cardUid: Not(IsNull()) }, { cardUid: null });
  }
  Object.assign(member, {
    name: ERASED_MEMBER_NAME,
    surname: '',
    email: null,
    cardUid: null,
    passwordHash: null,
    mustChangePassword: false,
    receiveWeeklySummary: false,
    disabled: true,
  });
  await em.save(member);
  await audit.forgetMember(em, id);
  await audit.record(em, actor, ERASE_ACTION, 'member', id, null, {
    erased: ['name', 'surname', 'email', 'cardUid', 'passwordHash'],
    authorizationsDeleted: removed.affected ?? 0,
  });
  return removed.affected ?? 0;
}

/**
 * The row of a new member (role given, email and card checked), not yet saved: by the form and the
 * CSV import. No password: a portal user sets theirs through a reset email.
 */
export function newMember(em: EntityManager, input: MemberInputDto): Member {
  return em.create(Member, {
    name: input.name,
    surname: input.surname ?? '',
    email: input.email ?? null,
    cardUid: input.cardUid ?? null,
    roleId: input.roleId,
    disabled: input.disabled ?? false,
    deletedAt: null,
    passwordHash: null,
    mustChangePassword: false,
    receiveWeeklySummary: input.receiveWeeklySummary ?? false,
    language: input.language ?? 'en',
  });
}

/**
 * What {@link forgetTapCards} went through: every tap of the member logged before it started. A tap
 * logged since (a deleted member's card is still refused, and logged) has a larger id: the
 * erase's own transaction has only those left to look at.
 */
export interface TapsForgotten {
  readonly memberId: number;
  /** The access log's largest id when the sweep started (ids only grow: AUTOINCREMENT). */
  readonly upToId: number;
}

/**
 * The card UID of a member's taps is personal data: it goes in small paced transactions, before the
 * erase's own (ten years of one member's taps took 1.3 s in one UPDATE, every board waiting;
 * docs/performance.md). The erase's transaction then finds little or nothing left to clear. Null
 * when `signal` stopped it half-way.
 */
export async function forgetTapCards(
  uow: UnitOfWork,
  memberId: number,
  signal?: AbortSignal,
): Promise<TapsForgotten | null> {
  // In a transaction: on SQLite it moves the access events' inbox first (ADR 0010), so that every tap
  // with an id up to this one is in `access_events`, for the sweep; later ones are the erase's.
  const newest = await uow.run((em) =>
    sqlRunnerOf(em).get<{ id: number | string | null }>('SELECT MAX("id") AS "id" FROM "access_events"'),
  );
  await pacedSweep<object>(uow, {
    signal,
    table: 'access_events',
    time: '"occurredAt"',
    where: '"memberId" = ? AND "cardUid" IS NOT NULL',
    params: [memberId],
    change: async (em, rows) => {
      await sqlRunnerOf(em).run(
        `UPDATE "access_events" SET "cardUid" = NULL WHERE "id" IN (${rows.map(() => '?').join(', ')})`,
        rows.map((r) => r.id),
      );
      return rows.length;
    },
  });
  // On PostgreSQL ids are taken before commit, not in commit order: the erase looks at every tap.
  if (signal?.aborted || !uow.writesBlockEventLoop) return null;
  return { memberId, upToId: Number(newest?.id ?? 0) };
}

/** Whether a member was erased (their audit trail says so: the row itself no longer can). */
/** The erasure ledger's line for a member just erased (no personal data). */
export function erasureOf(member: Member, erasedAt: Date): ErasureRecord {
  return {
    memberId: member.id,
    memberCreatedAt: member.createdAt.toISOString(),
    erasedAt: erasedAt.toISOString(),
  };
}

export function isErasedMember(em: EntityManager, memberId: number): Promise<boolean> {
  return em.existsBy(AuditEntry, { entityType: 'member', entityId: String(memberId), action: ERASE_ACTION });
}

/** The fields a PATCH body carries (a DTO instance may hold its absent fields as undefined). */
function definedOnly<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function maskedFor(viewer: PortalAccess, dto: MemberDto): MemberDto {
  return { ...dto, cardUid: cardUidFor(viewer, dto.cardUid) };
}

function toDto({ member, role, erased }: MemberRow): MemberDto {
  return {
    id: member.id,
    name: member.name,
    surname: member.surname,
    email: member.email,
    cardUid: member.cardUid,
    roleId: member.roleId,
    roleName: role.name,
    portalAccess: role.portalAccess,
    disabled: member.disabled,
    deleted: member.deletedAt !== null,
    deletedAt: member.deletedAt?.toISOString() ?? null,
    erased,
    hasPassword: member.passwordHash !== null,
    receiveWeeklySummary: member.receiveWeeklySummary,
    language: member.language as MemberLanguage,
    createdAt: member.createdAt.toISOString(),
    updatedAt: member.updatedAt.toISOString(),
  };
}

/** Never the password hash. */
const EXPORT_COLUMNS: readonly ExportColumn<MemberDto>[] = [
  { header: 'id', value: (m) => m.id },
  { header: 'name', value: (m) => m.name },
  { header: 'surname', value: (m) => m.surname },
  { header: 'email', value: (m) => m.email },
  { header: 'card', value: (m) => m.cardUid },
  { header: 'role', value: (m) => m.roleName },
  { header: 'portal access', value: (m) => m.portalAccess },
  { header: 'disabled', value: (m) => m.disabled },
  { header: 'deleted at', value: (m) => m.deletedAt },
  { header: 'weekly summary', value: (m) => m.receiveWeeklySummary },
  { header: 'language', value: (m) => m.language },
  { header: 'created at', value: (m) => m.createdAt },
];
