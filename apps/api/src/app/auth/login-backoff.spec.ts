import { Clock } from '../../core/time/clock';
import { Backoff, FREE_FAILURES } from './login-backoff';

class FixedClock extends Clock {
  at = Date.parse('2026-01-01T00:00:00Z');
  override now(): Date {
    return new Date(this.at);
  }
}

/** The wait, in ms, left for an identifier (0 when it may try now). */
function waitOf(backoff: Backoff, clock: FixedClock, identifier: string): number {
  const start = clock.at;
  let waited = 0;
  for (;;) {
    try {
      backoff.check(identifier);
      clock.at = start;
      return waited;
    } catch {
      waited += 1000;
      clock.at = start + waited;
    }
  }
}

describe('Backoff', () => {
  it('doubles the wait after the free failures, up to 15 minutes, and forgets it on success', () => {
    const clock = new FixedClock();
    const backoff = new Backoff(clock, 'login');
    const waits: number[] = [];
    for (let i = 0; i < FREE_FAILURES + 12; i++) {
      backoff.failed('Boss@Example.org ');
      waits.push(waitOf(backoff, clock, 'boss@example.org'));
    }
    expect(waits.slice(0, FREE_FAILURES - 1)).toEqual([0, 0, 0, 0]);
    expect(waits.slice(FREE_FAILURES - 1, FREE_FAILURES + 4)).toEqual([1000, 2000, 4000, 8000, 16_000]);
    expect(Math.max(...waits)).toBe(15 * 60_000);
    backoff.succeeded('boss@example.org');
    expect(waitOf(backoff, clock, 'boss@example.org')).toBe(0);
  });

  it('keeps identifiers apart, known or not, and bounded in number', () => {
    const clock = new FixedClock();
    const backoff = new Backoff(clock, 'login');
    for (let i = 0; i < FREE_FAILURES; i++) backoff.failed('nobody@example.org');
    expect(() => backoff.check('nobody@example.org')).toThrow('too many attempts');
    expect(() => backoff.check('someone@example.org')).not.toThrow();
    for (let i = 0; i < 10_001; i++) backoff.failed(`flood-${i}@example.org`);
    expect(() => backoff.check('nobody@example.org')).not.toThrow();
  });
});
