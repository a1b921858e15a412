import type { SqlRunner } from '../../core/database/sql';
import { EventBus } from '../../core/events/event-bus';
import { DirectoryCache } from './directory-cache';

/** A database that answers every grant look-up with an active authorization and counts the reads. */
function countingDatabase() {
  const reads: string[] = [];
  const sql = {
    get: (_query: string, params: readonly unknown[]) => {
      reads.push(`${String(params[0])}:${String(params[1])}`);
      return Promise.resolve({ status: 'active', expiresAt: null, grantedAt: 1, lastUsedAt: null });
    },
  } as unknown as SqlRunner;
  return { sql, reads };
}

describe('the board directory cache of grants', () => {
  it('forgets one member’s grants after a session start and keeps everyone else’s', async () => {
    const { sql, reads } = countingDatabase();
    const cache = new DirectoryCache(new EventBus());
    for (const [member, machine] of [
      [1, 10],
      [1, 11],
      [2, 10],
      [12, 10],
    ] as const)
      await cache.grant(sql, member, machine);
    expect(reads).toEqual(['1:10', '1:11', '2:10', '12:10']);

    cache.forgetGrants(1);
    for (const [member, machine] of [
      [1, 10],
      [1, 11],
      [2, 10],
      [12, 10],
    ] as const)
      await cache.grant(sql, member, machine);
    // Member 1's two grants are read again; member 2's and member 12's (whose id starts with 1) are not.
    expect(reads.slice(4)).toEqual(['1:10', '1:11']);
  });

  it('reads again after any directory change, and forgetting a member with nothing cached is harmless', async () => {
    const { sql, reads } = countingDatabase();
    const bus = new EventBus();
    const cache = new DirectoryCache(bus);
    await cache.grant(sql, 3, 30);
    cache.forgetGrants(99);
    await cache.grant(sql, 3, 30);
    expect(reads).toEqual(['3:30']);
    cache.invalidate();
    await cache.grant(sql, 3, 30);
    cache.forgetGrants(3);
    await cache.grant(sql, 3, 30);
    expect(reads).toEqual(['3:30', '3:30', '3:30']);
  });
});
