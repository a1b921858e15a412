import type { AuthorizationState, StoredAuthorizationState } from '@fabomatic/contracts';
import type { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { DAY_MS } from '../reports/time-zone';
import { Authorization } from './authorization.entity';
import { type CertificationFacts, localDay, NO_POLICY, type Policy, startOfLocalDay } from './certification';
import { policyOf } from './certification-store';

/**
 * An authorization with what its list row and export record show, read as raw columns of the
 * list's query (aliases `a`, `mb`, `rl`, `mc`, `mt`, `gb`): TypeORM's hydration of five joined
 * entities was most of the ~0.15 ms a row an export held the event loop (docs/performance.md).
 */
export interface AuthorizationRow {
  readonly id: number;
  readonly memberId: number;
  readonly machineId: number;
  readonly status: StoredAuthorizationState;
  readonly expiresAt: Date | null;
  readonly grantedAt: Date | null;
  readonly lastUsedAt: Date | null;
  readonly createdAt: Date;
  readonly member: { readonly name: string; readonly surname: string; readonly disabled: boolean };
  readonly machine: { readonly name: string; readonly typeId: number | null };
  /** The member's role never expires (authorize-all or maintenance). */
  readonly exempt: boolean;
  /** The machine type's certification policy (none without a type). */
  readonly policy: Policy;
  readonly grantedBy: { readonly id: number; readonly name: string; readonly surname: string } | null;
}

/** The columns read, by alias: the raw key of `alias.property` is `alias_property`. */
const FIELDS: readonly (readonly [string, readonly string[]])[] = [
  ['a', ['id', 'memberId', 'machineId', 'status', 'expiresAt', 'grantedAt', 'lastUsedAt', 'createdAt']],
  ['mb', ['name', 'surname', 'disabled']],
  ['rl', ['id', 'authorizeAll', 'maintenance']],
  ['mc', ['name', 'typeId']],
  ['mt', ['id', 'validityDays', 'decayDays', 'reminderDays']],
  ['gb', ['id', 'name', 'surname']],
];
const SELECTION = FIELDS.flatMap(([alias, properties]) => properties.map((p) => `${alias}.${p}`));

type Raw = Record<string, unknown>;

/** An integer column: PostgreSQL's driver gives numbers, but counts and bigints as strings. */
const int = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
/** An epoch-ms column (TimeColumn): a number on SQLite, a string on PostgreSQL (bigint). */
const time = (value: unknown): Date | null =>
  value === null || value === undefined ? null : new Date(Number(value));
/** A boolean column: 0/1 on SQLite. */
const bool = (value: unknown): boolean => Boolean(value);
/** A text column (never null in these tables). */
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * Reads {@link AuthorizationRow}s from raw rows, each value converted as TypeORM converts it for
 * an entity (epoch ms to Date, SQLite's 0/1 to booleans; `createdAt`, a driver-specific datetime,
 * by the driver itself), so that a row says what the entity said. One reader a request: it keeps
 * the policies of the types it has met.
 */
export class AuthorizationRowReader {
  private readonly createdAt: ColumnMetadata;
  private readonly policies = new Map<number, Policy>();

  constructor(private readonly dataSource: DataSource) {
    const column = dataSource.getMetadata(Authorization).findColumnWithPropertyName('createdAt');
    if (!column) throw new Error('no column createdAt in Authorization');
    this.createdAt = column;
  }

  /** Replaces the query's selection by the columns a row needs. */
  select<E extends ObjectLiteral>(qb: SelectQueryBuilder<E>): SelectQueryBuilder<E> {
    return qb.select(SELECTION);
  }

  row(raw: Raw): AuthorizationRow {
    const typeId = int(raw['mt_id']);
    const grantedById = int(raw['gb_id']);
    return {
      id: Number(raw['a_id']),
      memberId: Number(raw['a_memberId']),
      machineId: Number(raw['a_machineId']),
      status: raw['a_status'] as StoredAuthorizationState,
      expiresAt: time(raw['a_expiresAt']),
      grantedAt: time(raw['a_grantedAt']),
      lastUsedAt: time(raw['a_lastUsedAt']),
      createdAt: this.dataSource.driver.prepareHydratedValue(raw['a_createdAt'], this.createdAt) as Date,
      member: {
        name: text(raw['mb_name']),
        surname: text(raw['mb_surname']),
        disabled: bool(raw['mb_disabled']),
      },
      machine: { name: text(raw['mc_name']), typeId: int(raw['mc_typeId']) },
      exempt: raw['rl_id'] !== null && (bool(raw['rl_authorizeAll']) || bool(raw['rl_maintenance'])),
      policy: typeId === null ? NO_POLICY : this.policy(typeId, raw),
      grantedBy:
        grantedById === null
          ? null
          : { id: grantedById, name: text(raw['gb_name']), surname: text(raw['gb_surname']) },
    };
  }

  private policy(typeId: number, raw: Raw): Policy {
    let policy = this.policies.get(typeId);
    if (!policy) {
      policy = policyOf({
        validityDays: int(raw['mt_validityDays']),
        decayDays: int(raw['mt_decayDays']),
        reminderDays: text(raw['mt_reminderDays']),
      });
      this.policies.set(typeId, policy);
    }
    return policy;
  }
}

/** What the certification rules need of a row. */
export function factsOf(row: AuthorizationRow): CertificationFacts {
  return {
    status: row.status,
    expiresAt: row.expiresAt?.getTime() ?? null,
    grantedAt: row.grantedAt?.getTime() ?? null,
    lastUsedAt: row.lastUsedAt?.getTime() ?? null,
    exempt: row.exempt,
  };
}

/** When a state filter is read: the instant, the lab's zone, and each type's reminder window. */
export interface StateFilterContext {
  readonly now: number;
  readonly timeZone: string;
  /** Machine types whose policy has reminders: the largest of their reminder days, by type id. */
  readonly windows: ReadonlyMap<number, number>;
}

/**
 * Decay counts from the later of the last use and the grant (see effectiveExpiry), in epoch ms.
 * NULL when both are.
 */
const SINCE_SQL = `(CASE WHEN a."lastUsedAt" IS NULL THEN a."grantedAt"
  WHEN a."grantedAt" IS NULL OR a."lastUsedAt" > a."grantedAt" THEN a."lastUsedAt" ELSE a."grantedAt" END)`;
/**
 * The decay's end before its rounding to lab days: `since` + decayDays × 24 h; NULL without decay.
 * The true end (the start of the lab day after `decayDays` days) lies within two days below and
 * three above it, whatever the zone's offsets (at most 26 hours apart).
 */
const DECAY_BASE_SQL = `(${SINCE_SQL} + mt."decayDays" * CAST(${DAY_MS} AS BIGINT))`;
const NOT_EXEMPT_SQL = `(rl.id IS NULL OR (rl."authorizeAll" = FALSE AND rl.maintenance = FALSE))`;
const EXEMPT_SQL = `(rl."authorizeAll" = TRUE OR rl.maintenance = TRUE)`;
/** No validity end reached yet, and no decay surely reached. */
const NOT_SURELY_EXPIRED_SQL = `((a."expiresAt" IS NULL OR a."expiresAt" > :stateNow)
  AND (${DECAY_BASE_SQL} IS NULL OR ${DECAY_BASE_SQL} > :stateDecayAlive))`;

const STORED: readonly StoredAuthorizationState[] = ['pending', 'suspended', 'revoked'];

/**
 * Restricts a list query (aliases `a`, `rl`, `mc`, `mt`) to the rows that may be in one of the
 * `wanted` states at `context.now`: every row in them, and a few more (the bounds are loose by a
 * few days around the lab-day rounding the database does not know). The caller applies the exact
 * rule (certification.ts) to what it reads; the filter only spares it reading the rest.
 */
export function mayBeInStates<E extends ObjectLiteral>(
  qb: SelectQueryBuilder<E>,
  wanted: ReadonlySet<AuthorizationState>,
  context: StateFilterContext,
): SelectQueryBuilder<E> {
  const { now, timeZone, windows } = context;
  const alternatives: string[] = [];
  const stored = STORED.filter((s) => wanted.has(s));
  if (stored.length > 0) alternatives.push(`a.status IN (:...stateStored)`);
  if (wanted.has('active'))
    alternatives.push(`(a.status = 'active' AND (${EXEMPT_SQL} OR ${NOT_SURELY_EXPIRED_SQL}))`);
  if (wanted.has('expired')) {
    alternatives.push(`(a.status = 'active' AND ${NOT_EXEMPT_SQL}
      AND (a."expiresAt" <= :stateNow OR ${DECAY_BASE_SQL} < :stateDecayEnded))`);
  }
  const windowTypes = [...windows.keys()];
  let soon = 0;
  if (wanted.has('expiring') && windowTypes.length > 0) {
    // Expiring: the effective expiry falls before the start of the lab day after the window.
    const window = Math.max(...windows.values());
    soon = startOfLocalDay(timeZone, localDay(timeZone, now) + window + 1);
    alternatives.push(`(a.status = 'active' AND ${NOT_EXEMPT_SQL} AND mc."typeId" IN (:...stateWindowTypes)
      AND ${NOT_SURELY_EXPIRED_SQL}
      AND (a."expiresAt" < :stateSoon OR ${DECAY_BASE_SQL} < :stateDecaySoon))`);
  }
  if (alternatives.length === 0) return qb.andWhere('1 = 0');
  return qb.andWhere(`(${alternatives.join(' OR ')})`, {
    stateStored: stored,
    stateNow: now,
    stateDecayAlive: now - 3 * DAY_MS,
    stateDecayEnded: now + 2 * DAY_MS,
    stateWindowTypes: windowTypes,
    stateSoon: soon,
    stateDecaySoon: soon + 2 * DAY_MS,
  });
}

/**
 * The rows after (`value`, `id`) in the order `ORDER BY key direction, a.id direction`, where NULL
 * keys sort as the database puts them: SQLite below every value, PostgreSQL above (its default,
 * which the list's pages have always used).
 */
export function afterRow<E extends ObjectLiteral>(
  qb: SelectQueryBuilder<E>,
  key: string,
  direction: 'ASC' | 'DESC',
  nullsHigh: boolean,
  value: unknown,
  id: number,
): SelectQueryBuilder<E> {
  const op = direction === 'ASC' ? '>' : '<';
  const nullsFirst = nullsHigh === (direction === 'DESC');
  const params = { afterValue: value, afterId: id };
  if (value === null || value === undefined) {
    const nulls = `(${key} IS NULL AND a.id ${op} :afterId)`;
    return qb.andWhere(nullsFirst ? `(${nulls} OR ${key} IS NOT NULL)` : nulls, params);
  }
  const beyond = `${key} ${op} :afterValue OR (${key} = :afterValue AND a.id ${op} :afterId)`;
  return qb.andWhere(nullsFirst ? `(${beyond})` : `(${beyond} OR ${key} IS NULL)`, params);
}
