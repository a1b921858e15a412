import type { PlanStatus } from '../maintenance/maintenance-status';
import { statusOf } from './machine-status.service';

const plan = (due: boolean): PlanStatus => ({
  planId: 1,
  hoursBetween: 1,
  description: 'Clean',
  lcdMessage: '',
  lastInterventionAt: 0,
  closedMs: 0,
  hoursSince: due ? 2 : 0,
  due,
});

describe('machine status priority (legacy: in use > blocked > maintenance > offline > free)', () => {
  it.each([
    [true, true, [plan(true)], false, 'in-use'],
    [false, true, [plan(true)], false, 'blocked'],
    [false, false, [plan(false), plan(true)], false, 'maintenance'],
    [false, false, [plan(false)], false, 'offline'],
    [false, false, [], true, 'free'],
    [false, false, [plan(false)], true, 'free'],
  ] as const)('in use %s, blocked %s, plans %j, online %s: %s', (inUse, blocked, plans, online, expected) => {
    expect(statusOf(inUse, blocked, plans, online)).toBe(expected);
  });

  it('puts an open out-of-order report after in use and blocked, before maintenance and free', () => {
    expect(statusOf(false, false, [plan(true)], true, true)).toBe('out-of-order');
    expect(statusOf(false, false, [], false, true)).toBe('out-of-order');
    expect(statusOf(true, false, [], true, true)).toBe('in-use');
    expect(statusOf(false, true, [], true, true)).toBe('blocked');
  });
});
