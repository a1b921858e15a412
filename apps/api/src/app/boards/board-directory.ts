import type { AccessManagement, StoredAuthorizationState } from '@fabomatic/contracts';
import { ms, type SqlRunner } from '../../core/database/sql';
import type { Policy } from '../authorizations/certification';
import { policyOf } from '../authorizations/certification-store';

/** What the board handlers need of a machine (with its type's settings). */
export interface MachineProfile {
  readonly id: number;
  readonly topicId: string;
  readonly name: string;
  readonly blocked: boolean;
  /** Retired: out of service for good, its board refuses everyone. */
  readonly retired: boolean;
  readonly typeId: number | null;
  readonly autoLogoffMinutes: number | null;
  readonly graceMinutes: number | null;
  readonly accessManagement: AccessManagement | null;
  /** The type's certification policy (validity, usage decay, reminders); none for an untyped machine. */
  readonly policy: Policy;
}

/** What the access decision needs of a card's member (with its role's rights). */
export interface CardHolder {
  readonly id: number;
  readonly name: string;
  readonly surname: string;
  readonly disabled: boolean;
  readonly deleted: boolean;
  readonly authorizeAll: boolean;
  readonly maintenance: boolean;
}

/** A member × machine authorization as the tap decides on it (epoch ms). */
export interface Grant {
  readonly status: StoredAuthorizationState;
  readonly expiresAt: number | null;
  readonly grantedAt: number | null;
  readonly lastUsedAt: number | null;
}

interface MachineRow {
  id: number;
  topicId: string;
  name: string;
  blocked: boolean | number;
  retiredAt: string | number | null;
  typeId: number | null;
  autoLogoffMinutes: number | null;
  graceMinutes: number | null;
  accessManagement: AccessManagement | null;
  validityDays: number | null;
  decayDays: number | null;
  reminderDays: string | null;
}

interface HolderRow {
  id: number;
  name: string;
  surname: string;
  disabled: boolean | number;
  deletedAt: string | number | null;
  authorizeAll: boolean | number;
  maintenance: boolean | number;
}

/** Look-ups of the board hot path: one indexed, prepared query each. */
export async function findMachineByTopic(sql: SqlRunner, topicId: string): Promise<MachineProfile | null> {
  const row = await sql.get<MachineRow>(
    `SELECT m."id", m."topicId", m."name", m."blocked", m."retiredAt", m."typeId",
            t."autoLogoffMinutes", t."graceMinutes", t."accessManagement",
            t."validityDays", t."decayDays", t."reminderDays"
     FROM "machines" m LEFT JOIN "machine_types" t ON t."id" = m."typeId"
     WHERE m."topicId" = ?`,
    [topicId],
  );
  if (!row) return null;
  const { retiredAt, validityDays, decayDays, reminderDays, ...machine } = row;
  return {
    ...machine,
    id: Number(row.id),
    blocked: Boolean(row.blocked),
    retired: retiredAt !== null,
    policy:
      row.typeId === null
        ? policyOf(null)
        : policyOf({
            validityDays: validityDays === null ? null : Number(validityDays),
            decayDays: decayDays === null ? null : Number(decayDays),
            reminderDays: reminderDays ?? '',
          }),
  };
}

export async function findCardHolder(sql: SqlRunner, cardUid: string): Promise<CardHolder | null> {
  const row = await sql.get<HolderRow>(
    `SELECT m."id", m."name", m."surname", m."disabled", m."deletedAt", r."authorizeAll", r."maintenance"
     FROM "members" m JOIN "roles" r ON r."id" = m."roleId"
     WHERE m."cardUid" = ?`,
    [cardUid],
  );
  if (!row) return null;
  return {
    id: Number(row.id),
    name: row.name,
    surname: row.surname,
    disabled: Boolean(row.disabled),
    deleted: row.deletedAt !== null,
    authorizeAll: Boolean(row.authorizeAll),
    maintenance: Boolean(row.maintenance),
  };
}

export async function findGrant(sql: SqlRunner, memberId: number, machineId: number): Promise<Grant | null> {
  const row = await sql.get<{
    status: StoredAuthorizationState;
    expiresAt: string | number | null;
    grantedAt: string | number | null;
    lastUsedAt: string | number | null;
  }>(
    `SELECT "status", "expiresAt", "grantedAt", "lastUsedAt" FROM "authorizations"
     WHERE "memberId" = ? AND "machineId" = ?`,
    [memberId, machineId],
  );
  return row
    ? {
        status: row.status,
        expiresAt: ms(row.expiresAt),
        grantedAt: ms(row.grantedAt),
        lastUsedAt: ms(row.lastUsedAt),
      }
    : null;
}
