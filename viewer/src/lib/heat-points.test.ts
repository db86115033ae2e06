import { describe, expect, it } from 'vitest';
import { binPoints, cappedMax } from './heat-points';

describe('binPoints', () => {
  it('sums points of one 6 px bin at its centre and keeps others apart', () => {
    // (1,1) and (5,4) share bin (0,0), centre (3,3): 2 + 3 = 5. (7,1) is in bin (1,0), centre (9,3).
    expect(binPoints([{ x: 1, y: 1, n: 2 }, { x: 5, y: 4, n: 3 }, { x: 7, y: 1, n: 1 }])).toEqual([[3, 3, 5], [9, 3, 1]]);
  });
});

describe('cappedMax', () => {
  it('caps at the 95th percentile so one hot spot does not wash out the rest', () => {
    // 20 bins: nineteen of 1..19 and one of 1000. Rank ceil(0.95 × 20) = 19 → 19, not 1000.
    const values = [...Array.from({ length: 19 }, (_, i) => i + 1), 1000];
    expect(cappedMax(values)).toBe(19);
    expect(cappedMax([7])).toBe(7);
    expect(cappedMax([])).toBe(1);
  });
});
