import { describe, expect, it } from 'vitest';
import { wilsonInterval } from './wilson-interval';

describe('wilsonInterval', () => {
  // Published cases: R. G. Newcombe, "Two-sided confidence intervals for the single proportion:
  // comparison of seven methods", Statistics in Medicine 17 (1998) 857-872, table I (method 3).
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
  ])('%i/%i gives %f to %f', (x, n, low, high) => {
    const interval = wilsonInterval(x, n);
    expect(interval.low).toBeCloseTo(low, 4);
    expect(interval.high).toBeCloseTo(high, 4);
  });

  it('works 20/40 by hand', () => {
    // p = 0.5, z² = 3.841459; denominator 1 + z²/n = 1.0960365; centre (0.5 + 0.0480182) / 1.0960365 = 0.5;
    // half = (1.959964 / 1.0960365) × sqrt(0.25/40 + 3.841459/6400) = 1.788212 × 0.0827469 = 0.1480047.
    const { low, high } = wilsonInterval(20, 40);
    expect(low).toBeCloseTo(0.5 - 0.1480047, 6);
    expect(high).toBeCloseTo(0.5 + 0.1480047, 6);
  });

  it('is [0, 1] with no observations and touches 0 or 1 exactly at the extremes', () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
    expect(wilsonInterval(0, 10).low).toBe(0);
    expect(wilsonInterval(10, 10).high).toBe(1);
  });
});
