import { describe, expect, it } from 'vitest';
import { createTokenBuckets } from './token-buckets';

describe('createTokenBuckets', () => {
  it('lets a burst through, then the steady rate, and says how long until the next token', () => {
    const buckets = createTokenBuckets({ perSecond: 2, burst: 3 });
    expect([0, 0, 0].map(() => buckets.take('a', 1000))).toEqual([0, 0, 0]);
    expect(buckets.take('a', 1000)).toBe(500);
    expect(buckets.take('a', 1250)).toBe(250);
    expect(buckets.take('a', 1500)).toBe(0);
    expect(buckets.take('a', 1500)).toBe(500);
    // Another key has its own bucket.
    expect(buckets.take('b', 1500)).toBe(0);
    // A long pause refills to the burst, no more.
    expect([0, 0, 0, 0].map(() => buckets.take('a', 60_000))).toEqual([0, 0, 0, 500]);
  });

  it('stays within maxKeys however many keys come, dropping full buckets first', () => {
    const buckets = createTokenBuckets({ perSecond: 1, burst: 2, maxKeys: 100 });
    buckets.take('busy', 0);
    buckets.take('busy', 0);
    for (let i = 0; i < 10_000; i++) buckets.take(`spray-${i}`, 0);
    expect(buckets.size).toBeLessThanOrEqual(100);
    // Keys that were used within their refill time are still limited after an eviction of full ones.
    const limited = createTokenBuckets({ perSecond: 1, burst: 1, maxKeys: 4 });
    limited.take('x', 0);
    for (let i = 0; i < 3; i++) limited.take(`idle-${i}`, -10_000);
    expect(limited.take('y', 0)).toBe(0); // evicts the idle ones, whose buckets are full again
    expect(limited.take('x', 0)).toBe(1000);
  });
});

describe('TokenBuckets.debit', () => {
  it('counts tokens taken elsewhere against the key, as one shared bucket would', () => {
    const buckets = createTokenBuckets({ perSecond: 2, burst: 4 });
    buckets.debit('a', 3, 1000);
    expect(buckets.take('a', 1000)).toBe(0);
    expect(buckets.take('a', 1000)).toBe(500);
    // Debt is bounded by one burst: a flood elsewhere costs at most burst / rate seconds of wait here.
    buckets.debit('b', 1000, 1000);
    expect(buckets.take('b', 1000)).toBe(2500);
    expect(buckets.take('b', 3500)).toBe(0);
  });
});
