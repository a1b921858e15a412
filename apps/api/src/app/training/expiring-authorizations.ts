import type { ExpiryCause } from '@fabomatic/contracts';
import { ms, type SqlReader } from '../../core/database/sql';
import { effectiveExpiry, localDay } from '../authorizations/certification';
import { policyOf } from '../authorizations/certification-store';
import { fullName } from '../usage/activity-query';

/** An active authorization whose effective expiry falls inside a horizon. */
export interface ExpiringAuthorization {
  readonly id: number;
  readonly memberId: number;
  readonly memberName: string;
  readonly machineId: number;
  readonly machineName: string;
  readonly machineTypeId: number;
  readonly machineTypeName: string;
  /** The instant it stops granting (epoch ms). */
  readonly expiresAt: number;
  readonly cause: ExpiryCause;
  /** Whole lab days left, counting today (0: it ends tonight). */
  readonly daysLeft: number;
}

interface Row {
  readonly id: number;
  readonly memberId: number;
  readonly memberName: string;
  readonly memberSurname: string;
  readonly machineId: number;
  readonly machineName: string;
  readonly machineTypeId: number;
  readonly machineTypeName: string;
  readonly expiresAt: string | number | null;
  readonly grantedAt: string | number | null;
  readonly lastUsedAt: string | number | null;
  readonly validityDays: number | null;
  readonly decayDays: number | null;
  readonly reminderDays: string;
}

/**
 * The active authorizations of non-exempt, current members that expire within `days` lab days of
 * `now`, soonest first. Reads only active authorizations of machine types with a policy (or a date
 * set by staff): the work does not grow with the usage history.
 */
export async function expiringAuthorizations(
  sql: SqlReader,
  timeZone: string,
  now: number,
  days: number,
): Promise<ExpiringAuthorization[]> {
  const rows = await sql.all<Row>(
    `SELECT a."id", a."memberId", m."name" AS "memberName", m."surname" AS "memberSurname", a."machineId", mc."name" AS "machineName",
            t."id" AS "machineTypeId", t."name" AS "machineTypeName",
            a."expiresAt", a."grantedAt", a."lastUsedAt", t."validityDays", t."decayDays", t."reminderDays"
     FROM "authorizations" a
     JOIN "machines" mc ON mc."id" = a."machineId"
     JOIN "machine_types" t ON t."id" = mc."typeId"
     JOIN "members" m ON m."id" = a."memberId"
     JOIN "roles" r ON r."id" = m."roleId"
     WHERE a."status" = 'active'
       AND (t."validityDays" IS NOT NULL OR t."decayDays" IS NOT NULL OR a."expiresAt" IS NOT NULL)
       AND r."authorizeAll" = ? AND r."maintenance" = ? AND m."deletedAt" IS NULL`,
    [false, false],
  );
  const today = localDay(timeZone, now);
  const result: ExpiringAuthorization[] = [];
  for (const row of rows) {
    const expiry = effectiveExpiry(
      {
        status: 'active',
        expiresAt: ms(row.expiresAt),
        grantedAt: ms(row.grantedAt),
        lastUsedAt: ms(row.lastUsedAt),
        exempt: false,
      },
      policyOf(row),
      timeZone,
    );
    if (expiry === null || expiry.at <= now) continue;
    const daysLeft = localDay(timeZone, expiry.at - 1) - today;
    if (daysLeft >= days) continue;
    result.push({
      id: Number(row.id),
      memberId: Number(row.memberId),
      memberName: fullName({ name: row.memberName, surname: row.memberSurname }),
      machineId: Number(row.machineId),
      machineName: row.machineName,
      machineTypeId: Number(row.machineTypeId),
      machineTypeName: row.machineTypeName,
      expiresAt: expiry.at,
      cause: expiry.cause,
      daysLeft,
    });
  }
  return result.sort((a, b) => a.expiresAt - b.expiresAt || a.memberName.localeCompare(b.memberName));
}
