import { Injectable } from '@nestjs/common';
import type { SqlRunner } from '../../core/database/sql';
import { type MachineMaintenance, loadMachineMaintenance } from './maintenance-status';

/** Changes made by other instances (or by hand in the database) are seen within this time. */
export const MAINTENANCE_CACHE_TTL_MS = 30_000;

/**
 * Maintenance inputs per machine, kept between two `checkmachine` (every 30 s per board): reloaded
 * when this instance changes the machine's sessions or interventions, or after a TTL.
 */
@Injectable()
export class MaintenanceCache {
  private readonly entries = new Map<number, { loadedAt: number; value: MachineMaintenance }>();

  async get(sql: SqlRunner, machineId: number, now: number): Promise<MachineMaintenance> {
    const entry = this.entries.get(machineId);
    if (entry && now - entry.loadedAt < MAINTENANCE_CACHE_TTL_MS && now >= entry.loadedAt) return entry.value;
    const value = await loadMachineMaintenance(sql, machineId);
    this.entries.set(machineId, { loadedAt: now, value });
    return value;
  }

  invalidate(machineId?: number): void {
    if (machineId === undefined) this.entries.clear();
    else this.entries.delete(machineId);
  }
}
