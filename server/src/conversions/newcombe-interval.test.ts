import { describe, expect, it } from 'vitest';
import { newcombeInterval } from './newcombe-interval';
import { wilsonInterval } from './wilson-interval';

describe('newcombeInterval', () => {
  // Published cases: R. G. Newcombe, "Interval estimation for the difference between independent
  // proportions: comparison of eleven methods", Statistics in Medicine 17 (1998), table II, method 10.
  it.each([
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [0, 10, 0, 20, -0.1611, 0.2775],
  ])('%i/%i - %i/%i gives %f to %f', (x1, n1, x2, n2, low, high) => {
    const difference = newcombeInterval(x1, n1, x2, n2);
    expect(difference.estimate).toBeCloseTo(x1 / n1 - x2 / n2, 12);
    expect(difference.low).toBeCloseTo(low, 4);
    expect(difference.high).toBeCloseTo(high, 4);
  });

  it('combines the two Wilson intervals as method 10 says, worked for 20/40 - 6/30', () => {
    // Wilson 20/40: 0.3519953 to 0.6480047; 6/30: 0.0950511 to 0.3730570. d = 0.5 - 0.2 = 0.3.
    // low  = 0.3 - sqrt((0.5 - 0.3519953)² + (0.3730570 - 0.2)²) = 0.3 - sqrt(0.0219054 + 0.0299487) = 0.3 - 0.2277150
    // high = 0.3 + sqrt((0.6480047 - 0.5)² + (0.2 - 0.0950511)²) = 0.3 + sqrt(0.0219054 + 0.0110143) = 0.3 + 0.1814379
    expect(wilsonInterval(6, 30).low).toBeCloseTo(0.0950511, 6);
    const { estimate, low, high } = newcombeInterval(20, 40, 6, 30);
    expect(estimate).toBeCloseTo(0.3, 12);
    expect(low).toBeCloseTo(0.072285, 5);
    expect(high).toBeCloseTo(0.481438, 5);
  });
});
