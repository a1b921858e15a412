import { SWEEP_WRITE_BATCH, nextWriteBatch } from './paced-sweep';

describe('nextWriteBatch (how many rows the next transaction of a sweep changes)', () => {
  it('grows by half at most while rows are cheap, up to the largest batch', () => {
    expect(nextWriteBatch(4, 4, 0.3)).toBe(6);
    expect(nextWriteBatch(200, 200, 1)).toBe(SWEEP_WRITE_BATCH.max);
  });

  it('shrinks to what fits in about 8 ms when rows are read from disk, never below the smallest', () => {
    // 38 rows in 130 ms (the ten-year lab's first purge transaction): 4 next.
    expect(nextWriteBatch(54, 38, 130)).toBe(SWEEP_WRITE_BATCH.min);
    // 0.5 ms a row: 16.
    expect(nextWriteBatch(64, 64, 32)).toBe(16);
  });

  it('keeps the size after a transaction that changed nothing', () => {
    expect(nextWriteBatch(36, 0, 40)).toBe(36);
  });
});
