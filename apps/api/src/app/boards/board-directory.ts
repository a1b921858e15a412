import type { AccessManagement, StoredAuthorizationState } from '@fabomatic/contracts';
import { ms, type SqlReader } from '../../core/database/sql';
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
  /** An out-of-order problem report is open: members refused, staff (level ≥ 2) pass in. */
  readonly outOfOrder: boolean;
  /** ... with a hard lock: everyone refused (`checkmachine` `allowed:false`). */
  readonly hardLock: boolean;
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
  outOfOrderSince: string | number | null;
  outOfOrderHardLock: boolean | number;
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
const MACHINE_PROFILE = `SELECT m."id", m."topicId", m."name", m."blocked", m."retiredAt", m."typeId",
            m."outOfOrderSince", m."outOfOrderHardLock",
            t."autoLogoffMinutes", t."graceMinutes", t."accessManagement",
            t."validityDays", t."decayDays", t."reminderDays"
     FROM "machines" m LEFT JOIN "machine_types" t ON t."id" = m."typeId"`;

function toProfile(row: MachineRow | undefined): MachineProfile | null {
  if (!row) return null;
  const {
    retiredAt,
    outOfOrderSince,
    outOfOrderHardLock,
    validityDays,
    decayDays,
    reminderDays,
    ...machine
  } = row;
  const outOfOrder = outOfOrderSince !== null;
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
    outOfOrder,
    hardLock: outOfOrder && Boolean(outOfOrderHardLock),
  };
}

/**
 * The out-of-order state comes with the machine (columns kept in the problem reports' transaction):
 * a tap never reads the reports.
 */
export async function findMachineByTopic(sql: SqlReader, topicId: string): Promise<MachineProfile | null> {
  return toProfile(await sql.get<MachineRow>(`${MACHINE_PROFILE} WHERE m."topicId" = ?`, [topicId]));
}

export async function findMachineById(sql: SqlReader, machineId: number): Promise<MachineProfile | null> {
  return toProfile(await sql.get<MachineRow>(`${MACHINE_PROFILE} WHERE m."id" = ?`, [machineId]));
}

export async function findCardHolder(sql: SqlReader, cardUid: string): Promise<CardHolder | null> {
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

export async function findGrant(sql: SqlReader, memberId: number, machineId: number): Promise<Grant | null> {
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
