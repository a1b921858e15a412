import { monthLabel, toggled, trainingMonths } from './certification-report';

describe('the certification report', () => {
  it('groups the trainings by month, newest first, with the month’s totals', () => {
    const row = (month: string, machineTypeId: number, sessions: number, qualified: number) => ({
      month,
      machineTypeId,
      machineTypeName: machineTypeId === 1 ? 'Laser' : 'Printer',
      sessions,
      qualified,
    });
    const months = trainingMonths([
      row('2027-02', 1, 1, 3),
      row('2027-03', 1, 2, 5),
      row('2027-03', 2, 1, 1),
    ]);
    expect(months.map((m) => [m.month, m.types.length, m.sessions, m.qualified])).toEqual([
      ['2027-03', 2, 3, 6],
      ['2027-02', 1, 1, 3],
    ]);
    expect(trainingMonths([])).toEqual([]);
  });

  it('names a month in the reader’s language', () => {
    expect(monthLabel('2027-03', 'en')).toBe('March 2027');
    expect(monthLabel('2027-03', 'it')).toBe('marzo 2027');
  });

  it('ticks and unticks authorizations without changing the previous selection', () => {
    const before = new Set([1]);
    const after = toggled(before, 2, true);
    expect([...after].sort()).toEqual([1, 2]);
    expect([...toggled(after, 1, false)]).toEqual([2]);
    expect([...before]).toEqual([1]);
  });
});
