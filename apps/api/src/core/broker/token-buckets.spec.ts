import { TokenBuckets } from './token-buckets';

describe('TokenBuckets', () => {
  it('allows a burst, then refills at the rate', () => {
    const buckets = new TokenBuckets<string>({ burst: 3, perSecond: 2 });
    expect([1, 2, 3, 4].map(() => buckets.take('a', 0))).toEqual([true, true, true, false]);
    expect(buckets.take('b', 0)).toBe(true);
    expect(buckets.take('a', 400)).toBe(false);
    expect(buckets.take('a', 500)).toBe(true);
    expect(buckets.take('a', 500)).toBe(false);
    expect(buckets.take('a', 10_000)).toBe(true);
  });

  it('forgets refilled buckets when flooded with keys, so the map stays bounded', () => {
    const buckets = new TokenBuckets<number>({ burst: 2, perSecond: 1 });
    for (let i = 0; i < 50_000; i += 1) buckets.take(i, i * 10);
    expect(buckets.size).toBeLessThanOrEqual(10_000);
  });
});
