import { Injectable, Optional } from '@nestjs/common';
import { EventBus } from '../../core/events/event-bus';
import type { SqlRunner } from '../../core/database/sql';
import type { Session, SessionChange } from '../usage/session-ledger';
import { type MachineMaintenance, loadMachineMaintenance } from './maintenance-status';

/** Changes made by other instances (or by hand in the database) are seen within this time. */
const MAINTENANCE_CACHE_TTL_MS = 30_000;

/**
 * Maintenance inputs per machine, kept between two `checkmachine` (every 30 s per board): reloaded
 * when this instance changes the machine's sessions or interventions, or after a TTL.
 */
@Injectable()
export class MaintenanceCache {
  private readonly entries = new Map<number, { loadedAt: number; value: MachineMaintenance }>();

  /** Without a bus (unit specs) nothing but the TTL and `recordSessionChange` keep it current. */
  constructor(@Optional() events?: EventBus) {
    if (!events) return;
    const forget = ({ machineId }: { readonly machineId: number | null }) =>
      this.invalidate(machineId ?? undefined);
    events.subscribe('plan-changed', forget);
    events.subscribe('sessions-edited', forget);
    events.subscribe('maintenance-recorded', forget);
    events.subscribe('machine-changed', forget);
  }

  async get(sql: SqlRunner, machineId: number, now: number): Promise<MachineMaintenance> {
    const cached = this.peek(machineId, now);
    if (cached) return cached;
    const value = await loadMachineMaintenance(sql, machineId);
    this.entries.set(machineId, { loadedAt: now, value });
    return value;
  }

  /**
   * The cached value while fresh, for the portal: it loads a miss through its own reads and never
   * stores it, as a read in a reader thread may finish after a session change the cache has missed.
   */
  peek(machineId: number, now: number): MachineMaintenance | undefined {
    const entry = this.entries.get(machineId);
    return entry && now - entry.loadedAt < MAINTENANCE_CACHE_TTL_MS && now >= entry.loadedAt
      ? entry.value
      : undefined;
  }

  /**
   * Keeps a machine's cached use current after a session change of this instance, without re-reading
   * its history (a machine may have tens of thousands of sessions since its last intervention).
   */
  recordSessionChange(change: SessionChange): void {
    const session = change.session;
    if (!session) return;
    const entry = this.entries.get(session.machineId);
    if (!entry) return;
    let value = entry.value;
    switch (change.kind) {
      case 'opened':
        if (change.superseded) value = closeSession(value, change.superseded);
        value = { ...value, openSessionId: session.id, openSince: session.startedAt };
        break;
      case 'refreshed':
        value = session.id === value.openSessionId ? { ...value, openSince: session.startedAt } : value;
        break;
      case 'closed':
        value = closeSession(value, session);
        break;
      case 'reopened':
      case 'corrected':
        // Rare: the session had already been counted with another length.
        this.entries.delete(session.machineId);
        return;
      case 'duplicate':
        return;
    }
    this.entries.set(session.machineId, { loadedAt: entry.loadedAt, value });
  }

  invalidate(machineId?: number): void {
    if (machineId === undefined) this.entries.clear();
    else this.entries.delete(machineId);
  }
}

/** The use of a session that just closed, added to the plans it counts for. */
function closeSession(value: MachineMaintenance, session: Session): MachineMaintenance {
  const spanMs = (session.endedAt ?? session.startedAt) - session.startedAt;
  const wasOpen = session.id === value.openSessionId;
  return {
    plans: value.plans.map((plan) =>
      session.startedAt >= plan.lastInterventionAt ? { ...plan, closedMs: plan.closedMs + spanMs } : plan,
    ),
    openSessionId: wasOpen ? null : value.openSessionId,
    openSince: wasOpen ? null : value.openSince,
  };
}
