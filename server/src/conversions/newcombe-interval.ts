// Newcombe's hybrid score interval for the difference of two independent proportions (method 10 of Newcombe 1998).
import { wilsonInterval, Z_95, type Interval } from './wilson-interval';

export interface ProportionDifference extends Interval {
  /** p1 - p2. */
  estimate: number;
}

/**
 * R. G. Newcombe, "Interval estimation for the difference between independent proportions:
 * comparison of eleven methods", Statistics in Medicine 17 (1998) 873-890, method 10: with
 * Wilson intervals (l1, u1) for p1 = x1/n1 and (l2, u2) for p2 = x2/n2, the interval for d = p1 - p2 is
 *   [d - sqrt((p1 - l1)² + (u2 - p2)²),  d + sqrt((u1 - p1)² + (p2 - l2)²)].
 * It needs no iteration, stays within [-1, 1] and keeps close to 95% coverage at small samples.
 */
export function newcombeInterval(x1: number, n1: number, x2: number, n2: number, z = Z_95): ProportionDifference {
  const p1 = n1 > 0 ? x1 / n1 : 0;
  const p2 = n2 > 0 ? x2 / n2 : 0;
  const w1 = wilsonInterval(x1, n1, z);
  const w2 = wilsonInterval(x2, n2, z);
  const estimate = p1 - p2;
  return {
    estimate,
    low: Math.max(-1, estimate - Math.hypot(p1 - w1.low, w2.high - p2)),
    high: Math.min(1, estimate + Math.hypot(w1.high - p1, p2 - w2.low)),
  };
}
