import { Inject, Injectable, Logger } from '@nestjs/common';
import { type EntityManager, IsNull } from 'typeorm';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { ErasureLedger, type ErasureRecord } from '../../core/database/erasure-ledger';
import { pacedSweep } from '../../core/database/paced-sweep';
import { sqlRunnerOf } from '../../core/database/sql';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { Clock } from '../../core/time/clock';
import {
  type SqlStatement,
  recountUnknownCards,
  recountUnknownCardsBefore,
  statementsOf,
} from '../access-events/unknown-cards-table';
import { type AuditActor, AuditService } from '../audit/audit.service';
import { Member } from '../members/member.entity';
import {
  eraseMemberData,
  erasureOf,
  forgetTapCards,
  isErasedMember,
  type TapsForgotten,
} from '../members/members.service';
import { Role } from '../roles/role.entity';
import { UsageAggregates, warmTotals } from '../usage/usage-aggregates';
import { moveAccessEventInbox } from '../access-events/inbox-rows';

const DAY_MS = 86_400_000;

/** The distinct card UIDs of purged rows (null ones left out). */
const cardsOf = (rows: readonly { cardUid: string | null }[]): string[] => [
  ...new Set(rows.flatMap((r) => (r.cardUid === null ? [] : [r.cardUid]))),
];

/** The reserved role and member old history is re-assigned to (the legacy backend's name). */
export const ANONYMOUS_NAME = 'Anonymous';

export type PurgeSettings = Pick<
  AppConfig,
  'RETENTION_DAYS' | 'UNKNOWN_CARD_RETENTION_DAYS' | 'DELETED_MEMBER_GRACE_DAYS' | 'LAB_TIME_ZONE'
> &
  Partial<Pick<AppConfig, 'ACCESS_EVENTS_RETENTION_MONTHS'>>;

export interface PurgeCounts {
  /** Closed usage sessions older than the retention, now the Anonymous member's. */
  readonly sessionsAnonymised: number;
  /** Interventions older than the retention, now the Anonymous member's. */
  readonly interventionsAnonymised: number;
  /** Rejected scans of unknown cards older than UNKNOWN_CARD_RETENTION_DAYS. */
  readonly unknownCardEventsDeleted: number;
  /** Other access events older than the retention that lost their card UID and member. */
  readonly accessEventsAnonymised: number;
  /** Members deleted more than DELETED_MEMBER_GRACE_DAYS ago whose personal data was erased. */
  readonly membersErased: number;
  /** Access events older than ACCESS_EVENTS_RETENTION_MONTHS, deleted (0 when it is unset). */
  readonly accessEventsExpired: number;
}

/**
 * The GDPR purge (scheduled, and `fabomatic purge`): history older than the retention stays for the
 * statistics but points at the Anonymous member, rejected card UIDs go after a month, and deleted
 * members' personal data is erased once their grace period (time to restore them) is over. Runs in
 * small paced transactions (core/database/paced-sweep.ts), audited once at the end.
 */
@Injectable()
export class GdprPurge {
  private readonly logger = new Logger('GdprPurge');

  constructor(
    @Inject(APP_CONFIG) private readonly config: PurgeSettings,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly ledger: ErasureLedger,
  ) {}

  /**
   * `signal` (the app stopping) ends the run after its current transaction: what it did so far is
   * audited, no member is erased, and it rejects with the signal's reason; the next run goes on.
   */
  async run(actor: AuditActor = 'system', signal?: AbortSignal): Promise<PurgeCounts> {
    const now = this.clock.now().getTime();
    const historyBefore = now - this.config.RETENTION_DAYS * DAY_MS;
    const unknownCardsBefore = now - this.config.UNKNOWN_CARD_RETENTION_DAYS * DAY_MS;
    const deletedBefore = now - this.config.DELETED_MEMBER_GRACE_DAYS * DAY_MS;
    // The boards' latest taps first (SQLite, ADR 0010): `fabomatic purge` runs beside the app, whose
    // transactions would otherwise be the ones moving them.
    await moveAccessEventInbox(this.uow);
    const anonymous = await this.uow.run((em) => anonymousMember(em, this.audit, actor));
    const anonymousId = Number(anonymous.id);
    const zone = this.config.LAB_TIME_ZONE;
    const notAnonymous = (r: { memberId: number | string | null }) =>
      r.memberId !== null && Number(r.memberId) !== anonymousId;
    /** The member of these rows of `table` becomes Anonymous. */
    const toAnonymous = async (run: SqlStatement, table: string, ids: readonly number[]) => {
      await run(`UPDATE "${table}" SET "memberId" = ? WHERE "id" IN (${ids.map(() => '?').join(', ')})`, [
        anonymousId,
        ...ids,
      ]);
      return ids.length;
    };
    const sessionsAnonymised = await pacedSweep<{ memberId: number | string | null }>(this.uow, {
      signal,
      table: 'usage_sessions',
      time: '"endedAt"',
      columns: '"memberId"',
      where: '"endedAt" IS NOT NULL AND "endedAt" < ?',
      params: [historyBefore],
      wanted: notAnonymous,
      warm: (warmer, rows) =>
        warmTotals(
          warmer,
          zone,
          rows.map((r) => r.id),
          anonymousId,
        ),
      change: async (em, rows) => {
        const ids = rows.map((r) => r.id);
        // The member totals of the reports follow the history to Anonymous.
        const list = ids.map(() => '?').join(', ');
        await new UsageAggregates(sqlRunnerOf(em), zone).reassign(`s."id" IN (${list})`, ids, anonymousId);
        return toAnonymous(statementsOf(em), 'usage_sessions', ids);
      },
    });
    const interventionsAnonymised = await pacedSweep<{ memberId: number | string | null }>(this.uow, {
      signal,
      table: 'interventions',
      time: '"performedAt"',
      columns: '"memberId"',
      where: '"performedAt" < ?',
      params: [historyBefore],
      wanted: notAnonymous,
      change: (em, rows) =>
        toAnonymous(
          statementsOf(em),
          'interventions',
          rows.map((r) => r.id),
        ),
    });
    const unknownCardEventsDeleted = await pacedSweep<{ cardUid: string | null }>(this.uow, {
      signal,
      table: 'access_events',
      time: '"occurredAt"',
      columns: '"cardUid"',
      where: `"reason" = 'unknown-card' AND "occurredAt" < ?`,
      params: [unknownCardsBefore],
      change: async (em, rows) => {
        const run = statementsOf(em);
        const list = rows.map(() => '?').join(', ');
        await run(
          `DELETE FROM "access_events" WHERE "id" IN (${list})`,
          rows.map((r) => r.id),
        );
        // Unknown-card counts follow the taps just deleted, in the same transaction.
        await recountUnknownCards(run, cardsOf(rows));
        return rows.length;
      },
    });
    const accessEventsAnonymised = await pacedSweep<{
      cardUid: string | null;
      memberId: number | string | null;
      reason: string;
    }>(this.uow, {
      signal,
      table: 'access_events',
      time: '"occurredAt"',
      columns: '"cardUid", "memberId", "reason"',
      where: '"occurredAt" < ?',
      params: [historyBefore],
      wanted: (r) => r.cardUid !== null || notAnonymous(r),
      change: async (em, changed) => {
        const run = statementsOf(em);
        const list = changed.map(() => '?').join(', ');
        await run(
          // An integer we read from the database, not input (PostgreSQL types a CASE's parameter as text).
          `UPDATE "access_events" SET "cardUid" = NULL,
             "memberId" = CASE WHEN "memberId" IS NULL THEN NULL ELSE ${anonymousId} END
           WHERE "id" IN (${list})`,
          changed.map((r) => r.id),
        );
        await recountUnknownCards(run, cardsOf(changed.filter((r) => r.reason === 'unknown-card')));
        return changed.length;
      },
    });
    // The members to erase: their taps lose the card UID first, in small paced transactions.
    const toErase = signal?.aborted
      ? []
      : await this.uow.run(async (em) => {
          const deleted = await em
            .createQueryBuilder(Member, 'm')
            .select('m.id')
            .where('m."deletedAt" IS NOT NULL AND m."deletedAt" < :before', { before: deletedBefore })
            .getMany();
          const ids: number[] = [];
          for (const { id } of deleted)
            if (id !== anonymous.id && !(await isErasedMember(em, id))) ids.push(id);
          return ids;
        });
    const forgotten = new Map<number, TapsForgotten>();
    for (const id of toErase) {
      const taps = await forgetTapCards(this.uow, id, signal);
      if (taps) forgotten.set(id, taps);
    }
    const erasures: ErasureRecord[] = [];
    const membersErased = await this.uow.run(async (em, changes) => {
      erasures.length = 0;
      let erased = 0;
      const deleted = await em
        .createQueryBuilder(Member, 'm')
        .where('m."deletedAt" IS NOT NULL AND m."deletedAt" < :before', { before: deletedBefore })
        .orderBy('m.id', 'ASC')
        .getMany();
      for (const member of signal?.aborted ? [] : deleted) {
        if (member.id === anonymous.id || (await isErasedMember(em, member.id))) continue;
        await eraseMemberData(em, this.audit, actor, member, forgotten.get(member.id) ?? null);
        erasures.push(erasureOf(member, new Date(now)));
        erased++;
      }
      const result: Omit<PurgeCounts, 'accessEventsExpired'> = {
        sessionsAnonymised,
        interventionsAnonymised,
        unknownCardEventsDeleted,
        accessEventsAnonymised,
        membersErased: erased,
      };
      await this.audit.record(em, actor, 'purge', 'system', null, null, {
        ...result,
        historyBefore: new Date(historyBefore).toISOString(),
        unknownCardsBefore: new Date(unknownCardsBefore).toISOString(),
        deletedBefore: new Date(deletedBefore).toISOString(),
        ...(signal?.aborted ? { interrupted: true } : {}),
      });
      // Members erased, cards released: the boards' directory forgets what it kept.
      changes.publish('member-changed', { memberId: null });
      return erased;
    });
    // Outside the database, so that restoring an older backup erases them again.
    this.ledger.record(erasures);
    const all: PurgeCounts = {
      sessionsAnonymised,
      interventionsAnonymised,
      unknownCardEventsDeleted,
      accessEventsAnonymised,
      membersErased,
      accessEventsExpired: await this.expireAccessEvents(actor, now, signal),
    };
    this.logger.log(
      `GDPR purge: ${Object.entries(all)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
    );
    signal?.throwIfAborted();
    return all;
  }

  /**
   * ACCESS_EVENTS_RETENTION_MONTHS: deletes older access events oldest first, in the sweep's small
   * paced transactions, so that years of history go without holding the SQLite writer (and the boards
   * behind it) for more than one small batch. Unknown-card counts are recounted and the deletion
   * audited once at the end (also when `signal` stopped it).
   */
  private async expireAccessEvents(actor: AuditActor, now: number, signal?: AbortSignal): Promise<number> {
    const months = this.config.ACCESS_EVENTS_RETENTION_MONTHS;
    if (months === undefined || signal?.aborted) return 0;
    const cutoff = new Date(now);
    cutoff.setUTCMonth(cutoff.getUTCMonth() - months);
    const before = cutoff.getTime();
    const deleted = await pacedSweep<object>(this.uow, {
      signal,
      table: 'access_events',
      time: '"occurredAt"',
      where: '"occurredAt" < ?',
      params: [before],
      change: async (em, rows) => {
        await statementsOf(em)(
          `DELETE FROM "access_events" WHERE "id" IN (${rows.map(() => '?').join(', ')})`,
          rows.map((r) => r.id),
        );
        return rows.length;
      },
    });
    if (deleted > 0) {
      await this.uow.run(async (em) => {
        await recountUnknownCardsBefore(statementsOf(em), before);
        await this.audit.record(em, actor, 'purge', 'access-events', null, null, {
          accessEventsExpired: deleted,
          before: new Date(before).toISOString(),
        });
      });
    }
    return deleted;
  }
}

/**
 * The member old history is re-assigned to: in the reserved Anonymous role, without card, email,
 * password or portal access, disabled. Created (audited) the first time it is needed.
 */
async function anonymousMember(em: EntityManager, audit: AuditService, actor: AuditActor): Promise<Member> {
  let role = await em.findOneBy(Role, { name: ANONYMOUS_NAME });
  if (!role) {
    role = await em.save(
      em.create(Role, {
        name: ANONYMOUS_NAME,
        authorizeAll: false,
        maintenance: false,
        portalAccess: 'none',
        reserved: true,
      }),
    );
    await audit.record(em, actor, 'create', 'role', role.id, null, role);
  }
  const existing = await em.findOne(Member, {
    where: { roleId: role.id, email: IsNull(), cardUid: IsNull(), deletedAt: IsNull(), name: ANONYMOUS_NAME },
    order: { id: 'ASC' },
  });
  if (existing) return existing;
  const member = await em.save(
    em.create(Member, {
      name: ANONYMOUS_NAME,
      surname: '',
      email: null,
      cardUid: null,
      roleId: role.id,
      disabled: true,
      deletedAt: null,
      passwordHash: null,
      mustChangePassword: false,
      receiveWeeklySummary: false,
      language: 'en',
    }),
  );
  await audit.record(em, actor, 'create', 'member', member.id, null, member);
  return member;
}
