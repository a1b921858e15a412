import { MACHINE_STATUSES, type MachineStatus, type MachineStatusDto } from '@fabomatic/contracts';
import { compareNatural } from '../shared/natural-sort';

/** What the dashboard's filter bar narrows the cards to; kept in the URL (`?q=&type=&status=`). */
export interface DashboardFilter {
  /** Part of the machine's name, any case. */
  readonly q: string;
  /** A machine type's name; '' for all. */
  readonly type: string;
  readonly status: MachineStatus | '';
}

export const NO_FILTER: DashboardFilter = { q: '', type: '', status: '' };

/** The filter a URL's query asks for; anything unknown is ignored. */
export function filterFromQuery(query: { get(name: string): string | null }): DashboardFilter {
  const status = query.get('status') ?? '';
  return {
    q: query.get('q') ?? '',
    type: query.get('type') ?? '',
    status: (MACHINE_STATUSES as readonly string[]).includes(status) ? (status as MachineStatus) : '',
  };
}

/** The query that keeps `filter` in the URL: empty parts left out (null removes them). */
export function filterToQuery(filter: DashboardFilter): Record<string, string | null> {
  return { q: filter.q || null, type: filter.type || null, status: filter.status || null };
}

const isOutOfOrder = (machine: MachineStatusDto) => (machine.outOfOrder ?? null) !== null;

/** Machines reported out of order first (the lab must see them), then all by name in natural order. */
export function dashboardOrder(machines: readonly MachineStatusDto[]): MachineStatusDto[] {
  return [...machines].sort(
    (a, b) =>
      Number(isOutOfOrder(b)) - Number(isOutOfOrder(a)) ||
      compareNatural(a.name, b.name) ||
      a.machineId - b.machineId,
  );
}

/** The cards the filter lets through, in dashboard order. */
export function filteredMachines(
  machines: readonly MachineStatusDto[],
  filter: DashboardFilter,
): MachineStatusDto[] {
  const q = filter.q.trim().toLocaleLowerCase();
  return dashboardOrder(
    machines.filter(
      (m) =>
        (!q || m.name.toLocaleLowerCase().includes(q)) &&
        (!filter.type || m.typeName === filter.type) &&
        (!filter.status || m.status === filter.status),
    ),
  );
}

/** The machine types the cards have, in natural order: the type filter's choices. */
export function typeChoices(machines: readonly MachineStatusDto[]): string[] {
  const names = new Set<string>();
  for (const machine of machines) if (machine.typeName) names.add(machine.typeName);
  return [...names].sort(compareNatural);
}
