import { Injectable } from '@nestjs/common';
import type { KioskMachineDto, KioskState, KioskStatusDto, MachineStatusDto } from '@fabomatic/contracts';
import { PortalReads } from '../../core/database/portal-reads';
import { Clock } from '../../core/time/clock';
import { LabSettingsService } from '../lab-settings/lab-settings.service';
import { MachineStatusService } from '../machines/machine-status.service';

/** A machine's kiosk state, by priority: in use, out of order, blocked, maintenance due, offline, free. */
export function kioskStateOf(status: MachineStatusDto): KioskState {
  if (status.status === 'in-use') return 'in-use';
  if (status.outOfOrder) return 'out-of-order';
  if (status.status === 'maintenance') return 'maintenance-due';
  return status.status;
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Machines in natural name order ("Laser 2" before "Laser 10"). */
export function byNaturalName(a: { name: string }, b: { name: string }): number {
  return collator.compare(a.name, b.name);
}

/**
 * What a kiosk screen shows of the dashboard's machine statuses (issue 14): name, type, state,
 * since when, and the first name of who uses a machine only when the lab allows it. Never a
 * surname, email, card UID or member id: the tile is built field by field from those it names.
 */
@Injectable()
export class KioskView {
  /** The state each machine was last seen in, and since when (for states without a time of their own). */
  private readonly seen = new Map<number, { state: KioskState; since: string | null }>();

  constructor(
    private readonly statuses: MachineStatusService,
    private readonly settings: LabSettingsService,
    private readonly reads: PortalReads,
    private readonly clock: Clock,
  ) {}

  async status(): Promise<KioskStatusDto> {
    const [statuses, settings] = await Promise.all([this.statuses.all(), this.settings.get()]);
    const names = settings.kioskShowsFirstNames
      ? await this.firstNames(statuses.flatMap((s) => (s.session ? [s.session.memberId] : [])))
      : new Map<number, string>();
    const machines = statuses
      .filter((s) => s.retiredAt === null)
      .map((s) => this.tile(s, names, false))
      .sort(byNaturalName);
    return { labName: settings.labName, machines };
  }

  /** One machine's tile from its `machine-status` event; null for a retired machine (the screen drops it). */
  async tileOf(status: MachineStatusDto): Promise<KioskMachineDto | null> {
    if (status.retiredAt !== null) return null;
    const settings = await this.settings.get();
    const names =
      settings.kioskShowsFirstNames && status.session
        ? await this.firstNames([status.session.memberId])
        : new Map<number, string>();
    return this.tile(status, names, true);
  }

  private tile(status: MachineStatusDto, names: ReadonlyMap<number, string>, live: boolean): KioskMachineDto {
    const state = kioskStateOf(status);
    return {
      machineId: status.machineId,
      name: status.name,
      typeName: status.typeName,
      state,
      since: this.since(status, state, live),
      firstName: status.session ? (names.get(status.session.memberId) ?? null) : null,
    };
  }

  private since(status: MachineStatusDto, state: KioskState, live: boolean): string | null {
    let since: string | null;
    if (state === 'in-use') since = status.session?.startedAt ?? null;
    else if (state === 'out-of-order') since = status.outOfOrder?.since ?? null;
    else if (state === 'offline') since = status.board.lastSeenAt;
    else {
      // No time of its own: when this instance saw the state begin (a live change), else unknown.
      const previous = this.seen.get(status.machineId);
      since =
        previous?.state === state ? previous.since : live && previous ? this.clock.now().toISOString() : null;
    }
    this.seen.set(status.machineId, { state, since });
    return since;
  }

  private async firstNames(memberIds: readonly number[]): Promise<Map<number, string>> {
    const ids = [...new Set(memberIds)];
    if (ids.length === 0) return new Map();
    const rows = await this.reads.all<{ id: number; name: string }>(
      `SELECT "id", "name" FROM "members" WHERE "id" IN (${ids.map(() => '?').join(', ')})`,
      ids,
    );
    return new Map(rows.map((r) => [Number(r.id), r.name]));
  }
}
