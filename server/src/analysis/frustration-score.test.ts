import { describe, expect, it } from 'vitest';
import { frustrationScore } from './frustration-score';

const counts = (rage = 0, dead = 0, forms = 0, loops = 0) => ({ rage_click: rage, dead_click: dead, form_abandonment: forms, error_loop: loops });

describe('frustrationScore', () => {
  it('is 0 without friction', () => {
    expect(frustrationScore(counts())).toBe(0);
  });

  it('counts each type fully once and repeats logarithmically (worked by hand)', () => {
    expect(frustrationScore(counts(1))).toBe(3);
    // 1 × (1 + log2 10) = 4.32… → 4.3
    expect(frustrationScore(counts(0, 10))).toBe(4.3);
    // 3 + 4 = 7
    expect(frustrationScore(counts(1, 0, 0, 1))).toBe(7);
    // 3 × (1 + 1) + 1 + 3 = 10
    expect(frustrationScore(counts(2, 1, 1))).toBe(10);
  });

  it('ranks one error loop and one rage burst above ten dead clicks', () => {
    expect(frustrationScore(counts(1, 0, 0, 1))).toBeGreaterThan(frustrationScore(counts(0, 10)));
  });
});
