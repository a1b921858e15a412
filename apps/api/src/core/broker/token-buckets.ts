/** How fast a key may go: `burst` messages at once, refilled at `perSecond`. */
export interface RateLimit {
  readonly burst: number;
  readonly perSecond: number;
}

/** Keys kept before full (idle) buckets are swept: a flood of random keys cannot grow the map. */
const SWEEP_AT = 10_000;

/**
 * Token buckets by key (a board topic, a connection): one Map lookup and a little arithmetic a
 * message, no timer. A key absent from the map has a full bucket, so idle keys are forgotten.
 */
export class TokenBuckets<Key> {
  private readonly buckets = new Map<Key, { tokens: number; at: number }>();

  constructor(private readonly limit: RateLimit) {}

  /** Takes one token for `key`: false when its bucket is empty (the message is over the limit). */
  take(key: Key, now: number): boolean {
    const bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.buckets.size >= SWEEP_AT) this.sweep(now);
      this.buckets.set(key, { tokens: this.limit.burst - 1, at: now });
      return true;
    }
    const tokens = Math.min(
      this.limit.burst,
      bucket.tokens + ((now - bucket.at) / 1000) * this.limit.perSecond,
    );
    bucket.at = now;
    if (tokens < 1) {
      bucket.tokens = tokens;
      return false;
    }
    bucket.tokens = tokens - 1;
    return true;
  }

  forget(key: Key): void {
    this.buckets.delete(key);
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Drops the buckets that have refilled (they are as good as absent). */
  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.limit.perSecond >= this.limit.burst) {
        this.buckets.delete(key);
      }
    }
  }
}
