// Per-key token buckets in memory: a request takes a token, tokens come back at a steady rate.

export interface TokenBucketOptions {
  /** Tokens added per second, and so the sustained rate allowed. */
  perSecond: number;
  /** The bucket's size: how many requests may come at once after a quiet spell. */
  burst: number;
  /**
   * Keys remembered at most. A full bucket is the same as no bucket, so those are dropped first;
   * past this many even partly used ones go, oldest first, which lets their owners start afresh
   * (an attacker spraying addresses gains nothing a per-site limit does not also stop).
   */
  maxKeys?: number;
}

export interface TokenBuckets {
  /** Takes a token from `key`'s bucket: 0 when taken, else the ms until one will be there. */
  take(key: string, now: number): number;
  /**
   * Removes tokens that were taken elsewhere (another node's requests for the same key), down to
   * at most one burst in debt, so the key waits as long as a single shared bucket would make it.
   */
  debit(key: string, tokens: number, now: number): void;
  readonly size: number;
}

export const DEFAULT_MAX_KEYS = 100_000;

interface Bucket {
  tokens: number;
  at: number;
}

export function createTokenBuckets({ perSecond, burst, maxKeys = DEFAULT_MAX_KEYS }: TokenBucketOptions): TokenBuckets {
  const buckets = new Map<string, Bucket>();
  const perMs = perSecond / 1000;

  function refill(bucket: Bucket, now: number): void {
    bucket.tokens = Math.min(burst, bucket.tokens + Math.max(0, now - bucket.at) * perMs);
    bucket.at = now;
  }

  function evict(now: number): void {
    for (const [key, bucket] of buckets) {
      refill(bucket, now);
      if (bucket.tokens >= burst) buckets.delete(key);
    }
    // Still full of busy keys: forget the oldest half (Map iterates in insertion order).
    let excess = buckets.size - Math.floor(maxKeys / 2);
    if (excess <= 0) return;
    for (const key of buckets.keys()) {
      if (excess-- <= 0) break;
      buckets.delete(key);
    }
  }

  function bucketOf(key: string, now: number): Bucket {
    let bucket = buckets.get(key);
    if (bucket === undefined) {
      if (buckets.size >= maxKeys) evict(now);
      bucket = { tokens: burst, at: now };
      buckets.set(key, bucket);
    } else {
      refill(bucket, now);
    }
    return bucket;
  }

  return {
    take(key, now) {
      const bucket = bucketOf(key, now);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.ceil((1 - bucket.tokens) / perMs);
    },
    debit(key, tokens, now) {
      const bucket = bucketOf(key, now);
      bucket.tokens = Math.max(-burst, bucket.tokens - tokens);
    },
    get size() {
      return buckets.size;
    },
  };
}
