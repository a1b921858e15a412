import { median, percentile, summarizeLatencies } from './stats';

describe('latency statistics', () => {
  it('uses nearest-rank percentiles', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBe(0);
  });

  it('summarises unsorted samples', () => {
    expect(summarizeLatencies([3, 1, 2, 10])).toEqual({
      count: 4,
      p50: 2,
      p95: 10,
      p99: 10,
      max: 10,
      mean: 4,
    });
    expect(summarizeLatencies([])).toEqual({ count: 0, p50: 0, p95: 0, p99: 0, max: 0, mean: 0 });
  });

  it('takes the median of round ratios whatever their order', () => {
    expect(median([0.7, 0.5, 0.6])).toBe(0.6);
    expect(median([0.4, 0.8, 0.5, 0.6])).toBeCloseTo(0.55);
    expect(median([])).toBe(0);
  });
});
