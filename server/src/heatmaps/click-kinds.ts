// Says which of a page's clicks were rage, dead or error clicks, from the page's friction flags and signals; pure.
import type { FrictionFlag } from '../api-types';
import type { PageSignal } from '../analysis/page-signals';
import { ERROR_CLICK_WINDOW_MS } from './heatmap-constants';

export interface ClickKinds {
  rage: boolean;
  dead: boolean;
  error: boolean;
}

/**
 * Rage: the click's time is one of a rage flag's details.clickTimes. Dead: it is a dead flag's
 * time (or one of its clickTimes, presses judged together). Error: an uncaught error or unhandled
 * rejection followed it on the page within ERROR_CLICK_WINDOW_MS. Times are client-clock ms, the
 * same clock for clicks, flags and signals.
 */
export function clickKinds(clickTimes: readonly number[], flags: readonly FrictionFlag[], signals: readonly PageSignal[]): ClickKinds[] {
  const rage = new Set<number>();
  const dead = new Set<number>();
  for (const flag of flags) {
    if (flag.type === 'rage_click') for (const t of flag.details.clickTimes) rage.add(Math.floor(t));
    else if (flag.type === 'dead_click') {
      dead.add(Math.floor(flag.ts));
      for (const t of flag.details.clickTimes ?? []) dead.add(Math.floor(t));
    }
  }
  const errors = signals.filter((signal) => signal.k === 'error').map((signal) => signal.t).sort((a, b) => a - b);
  return clickTimes.map((t) => ({ rage: rage.has(t), dead: dead.has(t), error: errorWithin(errors, t) }));
}

/** Whether a time in the sorted list falls in [t, t + window]. */
function errorWithin(sorted: readonly number[], t: number): boolean {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]! < t) low = middle + 1;
    else high = middle;
  }
  return low < sorted.length && sorted[low]! <= t + ERROR_CLICK_WINDOW_MS;
}
