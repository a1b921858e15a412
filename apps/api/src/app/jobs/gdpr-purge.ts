import { Inject, Injectable, Logger } from '@nestjs/common';
import { type EntityManager, IsNull } from 'typeorm';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { ErasureLedger, type ErasureRecord } from '../../core/database/erasure-ledger';
import { type SqlValue, sqlRunnerOf } from '../../core/database/sql';
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
import { eraseMemberData, erasureOf, isErasedMember } from '../members/members.service';
import { Role } from '../roles/role.entity';
import { UsageAggregates } from '../usage/usage-aggregates';

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

/** Access events deleted per transaction by the retention: the board path waits behind one batch at most. */
export const RETENTION_BATCH = 1_000;

/**
 * Rows one purge transaction changes at most (see `sweep`). What a row costs depends on the
 * database: on the ten-year lab, re-assigning 64 sessions to Anonymous with their report totals
 * dirtied ~800 random pages, and the COMMIT alone held the event loop 58 – 92 ms. So the batch
 * adapts: halved while a transaction takes longer than PURGE_TRANSACTION_MS, grown again while it
 * takes less than half of it, between these bounds.
 */
export const PURGE_WRITE_BATCH = { min: 4, max: 256 } as const;

/** What one purge transaction may hold the event loop (and the boards behind it), ms. */
const PURGE_TRANSACTION_MS = 15;

/**
 * The pause after a transaction of the purge, in multiples of the time it took (see `sweep`): the
 * purge takes a third of the event loop at most, and leaves the disk and the CPU to the boards and
 * the portal the rest of the time.
 */
const PAUSE_FACTOR = 2;

/** The longest pause between two transactions of the purge. */
const MAX_PAUSE_MS = 500;

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
 * small transactions (see `sweep`), audited once at the end.
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

  async run(actor: AuditActor = 'system'): Promise<PurgeCounts> {
    const now = this.clock.now().getTime();
    const historyBefore = now - this.config.RETENTION_DAYS * DAY_MS;
    const unknownCardsBefore = now - this.config.UNKNOWN_CARD_RETENTION_DAYS * DAY_MS;
    const deletedBefore = now - this.config.DELETED_MEMBER_GRACE_DAYS * DAY_MS;
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
    const sessionsAnonymised = await this.sweep<{ memberId: number | string | null }>(
      'usage_sessions',
      '"endedAt"',
      '"memberId"',
      '"endedAt" IS NOT NULL AND "endedAt" < ?',
      [historyBefore],
      notAnonymous,
      async (run, em, rows) => {
        const ids = rows.map((r) => r.id);
        // The member totals of the reports follow the history to Anonymous.
        const list = ids.map(() => '?').join(', ');
        await new UsageAggregates(sqlRunnerOf(em), zone).reassign(`s."id" IN (${list})`, ids, anonymousId);
        return toAnonymous(run, 'usage_sessions', ids);
      },
    );
    const interventionsAnonymised = await this.sweep<{ memberId: number | string | null }>(
      'interventions',
      '"performedAt"',
      '"memberId"',
      '"performedAt" < ?',
      [historyBefore],
      notAnonymous,
      (run, _em, rows) =>
        toAnonymous(
          run,
          'interventions',
          rows.map((r) => r.id),
        ),
    );
    const unknownCardEventsDeleted = await this.sweep<{ cardUid: string | null }>(
      'access_events',
      '"occurredAt"',
      '"cardUid"',
      `"reason" = 'unknown-card' AND "occurredAt" < ?`,
      [unknownCardsBefore],
      () => true,
      async (run, _em, rows) => {
        const list = rows.map(() => '?').join(', ');
        await run(
          `DELETE FROM "access_events" WHERE "id" IN (${list})`,
          rows.map((r) => r.id),
        );
        // Unknown-card counts follow the taps just deleted, in the same transaction.
        await recountUnknownCards(run, cardsOf(rows));
        return rows.length;
      },
    );
    const accessEventsAnonymised = await this.sweep<{
      cardUid: string | null;
      memberId: number | string | null;
      reason: string;
    }>(
      'access_events',
      '"occurredAt"',
      '"cardUid", "memberId", "reason"',
      '"occurredAt" < ?',
      [historyBefore],
      (r) => r.cardUid !== null || notAnonymous(r),
      async (run, _em, changed) => {
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
    );
    const erasures: ErasureRecord[] = [];
    const membersErased = await this.uow.run(async (em, changes) => {
      erasures.length = 0;
      let erased = 0;
      const deleted = await em
        .createQueryBuilder(Member, 'm')
        .where('m."deletedAt" IS NOT NULL AND m."deletedAt" < :before', { before: deletedBefore })
        .orderBy('m.id', 'ASC')
        .getMany();
      for (const member of deleted) {
        if (member.id === anonymous.id || (await isErasedMember(em, member.id))) continue;
        await eraseMemberData(em, this.audit, actor, member);
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
      accessEventsExpired: await this.expireAccessEvents(actor, now),
    };
    this.logger.log(
      `GDPR purge: ${Object.entries(all)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
    );
    return all;
  }

  /**
   * Walks the rows of `table` that `where` selects in the order of `time` then id (an index on the
   * time), in small transactions: each reads at most RETENTION_BATCH rows and hands `change` at most
   * PURGE_WRITE_BATCH (adapted to what a transaction takes) of the ones `wanted` picks, whatever the
   * history's age and what is left to purge. Between two transactions the event loop is left alone twice as long as the last one took,
   * so the boards wait behind one small transaction at most and the portal keeps most of the loop (one
   * transaction over ten years of history held every board for minutes, docs/performance.md).
   * Answers how many rows `change` changed. A purge stopped half-way is finished by the next.
   */
  private async sweep<R extends object>(
    table: string,
    time: string,
    columns: string,
    where: string,
    params: readonly SqlValue[],
    wanted: (row: R) => boolean,
    change: (run: SqlStatement, em: EntityManager, rows: readonly (R & { id: number })[]) => Promise<number>,
  ): Promise<number> {
    let after: { at: number; id: number } | null = null;
    let changed = 0;
    let writeBatch: number = PURGE_WRITE_BATCH.max;
    for (;;) {
      const limit = writeBatch;
      const cursor: { at: number; id: number } | null = after;
      const started = performance.now();
      const batch = await this.uow.run(async (em) => {
        const run = statementsOf(em);
        const keyset = cursor ? ` AND ${time} >= ? AND (${time} > ? OR "id" > ?)` : '';
        const rows = (await run(
          `SELECT "id", ${time} AS "at", ${columns} FROM "${table}" WHERE ${where}${keyset}
           ORDER BY ${time}, "id" LIMIT ?`,
          [...params, ...(cursor ? [cursor.at, cursor.at, cursor.id] : []), RETENTION_BATCH],
        )) as (R & { id: number | string; at: number | string })[];
        // The rows to change, up to `limit`: the next transaction goes on after the last.
        const picked: (R & { id: number })[] = [];
        let end = rows.length;
        for (let i = 0; i < rows.length; i++) {
          const row = rows[i] as R & { id: number | string; at: number | string };
          if (!wanted(row)) continue;
          picked.push({ ...row, id: Number(row.id) });
          if (picked.length === limit) {
            end = i + 1;
            break;
          }
        }
        const last = rows[end - 1];
        return {
          more: end < rows.length || rows.length === RETENTION_BATCH,
          last: last ? { at: Number(last.at), id: Number(last.id) } : null,
          changed: picked.length > 0 ? await change(run, em, picked) : 0,
        };
      });
      changed += batch.changed;
      if (!batch.more || !batch.last) return changed;
      after = batch.last;
      const took = performance.now() - started;
      if (batch.changed > 0 && took > PURGE_TRANSACTION_MS)
        writeBatch = Math.max(PURGE_WRITE_BATCH.min, Math.floor(writeBatch / 2));
      else if (took < PURGE_TRANSACTION_MS / 2)
        writeBatch = Math.min(PURGE_WRITE_BATCH.max, Math.ceil(writeBatch * 1.5));
      const pause = Math.min(MAX_PAUSE_MS, PAUSE_FACTOR * took);
      // Never faster than the WAL's checkpoints (SQLite): see UnitOfWork.walSettled.
      await this.uow.walSettled();
      await new Promise<void>((resolve) => setTimeout(resolve, pause));
    }
  }

  /**
   * ACCESS_EVENTS_RETENTION_MONTHS: deletes older access events oldest first, RETENTION_BATCH per
   * transaction, yielding to the event loop between them, so that years of history go without
   * holding the SQLite writer (and the boards behind it) for more than one small batch. Audited once.
   */
  private async expireAccessEvents(actor: AuditActor, now: number): Promise<number> {
    const months = this.config.ACCESS_EVENTS_RETENTION_MONTHS;
    if (months === undefined) return 0;
    const cutoff = new Date(now);
    cutoff.setUTCMonth(cutoff.getUTCMonth() - months);
    const before = cutoff.getTime();
    let deleted = 0;
    for (;;) {
      const batch = await this.uow.run(async (em) => {
        const run = statementsOf(em);
        const ids = (await run(
          `SELECT "id" FROM "access_events" WHERE "occurredAt" < ? ORDER BY "occurredAt", "id" LIMIT ?`,
          [before, RETENTION_BATCH],
        )) as { id: number | string }[];
        if (ids.length === 0) return 0;
        await run(
          `DELETE FROM "access_events" WHERE "id" IN (${ids.map(() => '?').join(', ')})`,
          ids.map((r) => Number(r.id)),
        );
        return ids.length;
      });
      deleted += batch;
      if (batch < RETENTION_BATCH) break;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
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
