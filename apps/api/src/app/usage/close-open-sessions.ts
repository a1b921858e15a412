import type { EntityManager } from 'typeorm';
import { sqlRunnerOf } from '../../core/database/sql';
import type { UnitOfWork } from '../../core/database/unit-of-work';
import { type Session, SessionLedger } from './session-ledger';

/**
 * Closes now, inside the caller's transaction, the open sessions of a member being deleted or of a
 * machine being retired, hours counted (see {@link SessionLedger.closeOpenNow}); locks their
 * machines first, in id order, as every writer of a machine's sessions does.
 */
export async function closeOpenSessions(
  uow: UnitOfWork,
  em: EntityManager,
  of: 'memberId' | 'machineId',
  id: number,
  clock: { now: number; timeZone: string },
): Promise<Session[]> {
  const sql = sqlRunnerOf(em);
  const machines = await sql.all<{ machineId: number }>(
    `SELECT DISTINCT "machineId" FROM "usage_sessions" WHERE "${of}" = ? AND "endedAt" IS NULL ORDER BY "machineId"`,
    [id],
  );
  if (machines.length === 0) return [];
  for (const { machineId } of machines) await uow.lockMachine(sql, Number(machineId));
  return new SessionLedger(sql, clock.now, clock.timeZone).closeOpenNow(of, id);
}
