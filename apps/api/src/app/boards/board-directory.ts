import type { AccessManagement } from '@fabomatic/contracts';
import { ms, type SqlReader } from '../../core/database/sql';

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

export interface Grant {
  readonly expiresAt: number | null;
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
            t."autoLogoffMinutes", t."graceMinutes", t."accessManagement"
     FROM "machines" m LEFT JOIN "machine_types" t ON t."id" = m."typeId"`;

function toProfile(row: MachineRow | undefined): MachineProfile | null {
  if (!row) return null;
  const { retiredAt, outOfOrderSince, outOfOrderHardLock, ...machine } = row;
  const outOfOrder = outOfOrderSince !== null;
  return {
    ...machine,
    id: Number(row.id),
    blocked: Boolean(row.blocked),
    retired: retiredAt !== null,
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
  const row = await sql.get<{ expiresAt: string | number | null }>(
    'SELECT "expiresAt" FROM "authorizations" WHERE "memberId" = ? AND "machineId" = ?',
    [memberId, machineId],
  );
  return row ? { expiresAt: ms(row.expiresAt) } : null;
}
