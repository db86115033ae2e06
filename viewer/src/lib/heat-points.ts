// Turns placed clicks into simpleheat's points: summed on a pixel grid, with the hottest values capped; pure.

export interface WeightedPoint {
  x: number;
  y: number;
  n: number;
}

/** Points are summed on a grid of this many document px before drawing: thousands of cells become a few hundred draws. */
export const HEAT_BIN_PX = 6;
/** The colour scale tops out at this quantile of the binned values, so one hot spot does not wash out the rest. */
export const HEAT_CAP_QUANTILE = 0.95;

/** Sums points falling in the same bin; each bin is drawn at its centre. */
export function binPoints(points: readonly WeightedPoint[], binPx = HEAT_BIN_PX): Array<[number, number, number]> {
  const bins = new Map<string, [number, number, number]>();
  for (const { x, y, n } of points) {
    const bx = Math.floor(x / binPx);
    const by = Math.floor(y / binPx);
    const key = `${bx},${by}`;
    const bin = bins.get(key);
    if (bin) bin[2] += n;
    else bins.set(key, [(bx + 0.5) * binPx, (by + 0.5) * binPx, n]);
  }
  return [...bins.values()];
}

/** The value drawn as the hottest colour: the quantile of the bins' values (nearest rank), at least 1. */
export function cappedMax(values: readonly number[], quantile = HEAT_CAP_QUANTILE): number {
  if (values.length === 0) return 1;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.max(1, sorted[Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)]!);
}
