import { describe, expect, it } from 'vitest';
import { RETRY_AFTER_MAX_MS, backoffMs, isRetryable, retryAfterMs } from './retry-policy';

describe('backoffMs', () => {
  it('doubles from 0.5–1 s up to 15–30 s, jitter within half of each step', () => {
    const low = [1, 2, 3, 4, 5, 6, 7, 20].map((n) => backoffMs(n, () => 0));
    const high = [1, 2, 3, 4, 5, 6, 7, 20].map((n) => backoffMs(n, () => 0.999999));
    expect(low).toEqual([500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000]);
    expect(high.map(Math.round)).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('spreads retries of pages that failed together', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const delays = Array.from({ length: 1000 }, () => backoffMs(3, random));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(2000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(4000);
    expect(new Set(delays.map((d) => Math.floor(d / 200))).size).toBe(10); // every 200 ms slot used
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2025-03-01T12:00:00Z');

  it('reads delta-seconds', () => {
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP date, a past one as now', () => {
    expect(retryAfterMs('Sat, 01 Mar 2025 12:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Sat, 01 Mar 2025 11:00:00 GMT', now)).toBe(0);
  });

  it('caps what would park delivery for the rest of the page life', () => {
    expect(retryAfterMs('86400', now)).toBe(RETRY_AFTER_MAX_MS);
  });

  it('is null when absent or unreadable', () => {
    for (const value of [null, undefined, '', 'soon', 'in a minute']) expect(retryAfterMs(value, now)).toBeNull();
  });
});

describe('isRetryable', () => {
  it('retries network errors, 408, 429 and 5xx only', () => {
    const statuses = [0, 200, 202, 400, 401, 403, 404, 408, 409, 413, 415, 429, 500, 502, 503, 504];
    expect(statuses.filter(isRetryable)).toEqual([0, 408, 429, 500, 502, 503, 504]);
  });
});
