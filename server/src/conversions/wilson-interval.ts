// The Wilson score interval for one proportion (Wilson 1927), the building block of Newcombe's interval for a difference.

/** Two-sided 95%: the standard normal quantile 0.975. */
export const Z_95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/**
 * Wilson's score interval for x successes out of n: the proportions p whose score test against
 * x/n is not rejected. Unlike the Wald interval it stays inside [0, 1] and is not empty at 0 or n
 * successes. n = 0 says nothing: [0, 1].
 */
export function wilsonInterval(x: number, n: number, z = Z_95): Interval {
  if (n <= 0) return { low: 0, high: 1 };
  const p = x / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At x = 0 and x = n the bound equals p exactly; rounding must not put it a hair outside.
  return { low: x === 0 ? 0 : Math.max(0, centre - half), high: x === n ? 1 : Math.min(1, centre + half) };
}
