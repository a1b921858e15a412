import { compareNatural, sortByName } from './natural-sort';

describe('natural sort', () => {
  it('puts MACHINE2 before MACHINE10, case aside', () => {
    expect(compareNatural('MACHINE2', 'MACHINE10')).toBeLessThan(0);
    expect(compareNatural('machine10', 'MACHINE9')).toBeGreaterThan(0);
    expect(compareNatural('Laser', 'laser')).toBe(0);
  });

  it('sorts a list by a name, leaving the list as it was', () => {
    const list = [{ name: 'MACHINE10' }, { name: 'machine1' }, { name: 'MACHINE2' }, { name: 'Bandsaw' }];
    expect(sortByName(list, (m) => m.name).map((m) => m.name)).toEqual([
      'Bandsaw',
      'machine1',
      'MACHINE2',
      'MACHINE10',
    ]);
    expect(list[0].name).toBe('MACHINE10');
  });
});
