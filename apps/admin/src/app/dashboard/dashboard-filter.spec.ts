import type { MachineOutOfOrderDto, MachineStatusDto } from '@fabomatic/contracts';
import {
  dashboardOrder,
  filteredMachines,
  filterFromQuery,
  filterToQuery,
  NO_FILTER,
  typeChoices,
} from './dashboard-filter';

let nextId = 1;
function card(name: string, extra: Partial<MachineStatusDto> = {}): MachineStatusDto {
  return {
    machineId: nextId++,
    topicId: String(nextId),
    name,
    typeName: null,
    status: 'free',
    blocked: false,
    retiredAt: null,
    session: null,
    maintenance: [],
    board: { serial: null, ip: null, firmware: null, freeHeap: null, lastSeenAt: null, online: false },
    outOfOrder: null,
    ...extra,
  };
}
const OUT_OF_ORDER = {} as MachineOutOfOrderDto;

describe('the dashboard order and filters', () => {
  it('shows out-of-order machines first, then all in natural name order', () => {
    const cards = [
      card('MACHINE10'),
      card('MACHINE2'),
      card('Zebra saw', { outOfOrder: OUT_OF_ORDER }),
      card('machine1'),
      card('Anvil', { outOfOrder: OUT_OF_ORDER }),
    ];
    expect(dashboardOrder(cards).map((m) => m.name)).toEqual([
      'Anvil',
      'Zebra saw',
      'machine1',
      'MACHINE2',
      'MACHINE10',
    ]);
  });

  it('takes a machine without the out-of-order field as in order', () => {
    const { outOfOrder: _, ...older } = card('B');
    expect(dashboardOrder([older as MachineStatusDto, card('A')]).map((m) => m.name)).toEqual(['A', 'B']);
  });

  it('filters by name, type and status together', () => {
    const cards = [
      card('Laser 2', { typeName: 'Laser', status: 'in-use' }),
      card('Laser 10', { typeName: 'Laser' }),
      card('Printer', { typeName: 'Printer' }),
    ];
    expect(filteredMachines(cards, NO_FILTER).map((m) => m.name)).toEqual(['Laser 2', 'Laser 10', 'Printer']);
    expect(filteredMachines(cards, { ...NO_FILTER, q: ' laser ' }).map((m) => m.name)).toEqual([
      'Laser 2',
      'Laser 10',
    ]);
    expect(filteredMachines(cards, { ...NO_FILTER, type: 'Printer' }).map((m) => m.name)).toEqual([
      'Printer',
    ]);
    expect(filteredMachines(cards, { q: 'laser', type: 'Laser', status: 'free' }).map((m) => m.name)).toEqual(
      ['Laser 10'],
    );
    expect(typeChoices(cards)).toEqual(['Laser', 'Printer']);
  });

  it('reads and writes the filter in the URL query, ignoring unknown statuses', () => {
    const query = (values: Record<string, string>) => ({ get: (name: string) => values[name] ?? null });
    expect(filterFromQuery(query({ q: 'cnc ', type: 'Mill', status: 'blocked' }))).toEqual({
      q: 'cnc ',
      type: 'Mill',
      status: 'blocked',
    });
    expect(filterFromQuery(query({ status: 'exploded' }))).toEqual(NO_FILTER);
    expect(filterToQuery({ q: '', type: 'Mill', status: '' })).toEqual({
      q: null,
      type: 'Mill',
      status: null,
    });
  });
});
