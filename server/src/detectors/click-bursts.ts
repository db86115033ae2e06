// Groups a page's presses into bursts: quick presses on one spot of one control, each a single press when alone.
import type { RageClickOptions } from './detector-thresholds';
import { isJudgeable, sameTarget, type Press } from './presses';

/**
 * A press joins the burst before it when it comes less than maxGapMs after the burst's last press
 * (strictly: posthog-js and Datadog both close a burst at 1 s), lies within radiusPx of the burst's
 * first press with a position, and presses the same control as the last press. Presses that
 * cannot be judged (modifier, text field, canvas…) stand alone and end the burst before them.
 * Every press is in exactly one burst, in time order.
 */
export function clickBursts(presses: readonly Press[], options: Pick<RageClickOptions, 'maxGapMs' | 'radiusPx'>): Press[][] {
  const bursts: Press[][] = [];
  let burst: Press[] = [];
  for (const press of presses) {
    const last = burst[burst.length - 1];
    if (last && joins(press, last, burst, options)) burst.push(press);
    else {
      if (burst.length) bursts.push(burst);
      burst = [press];
    }
  }
  if (burst.length) bursts.push(burst);
  return bursts;
}

function joins(press: Press, last: Press, burst: readonly Press[], { maxGapMs, radiusPx }: Pick<RageClickOptions, 'maxGapMs' | 'radiusPx'>): boolean {
  if (!isJudgeable(press) || !isJudgeable(last) || press.t - last.t >= maxGapMs) return false;
  // A press on a natively disabled control has no position: its selector alone places it.
  const anchor = burst.find((p) => p.x !== undefined);
  if (anchor && press.x !== undefined && Math.hypot(press.x - anchor.x!, press.y! - anchor.y!) > radiusPx) return false;
  return sameTarget(press, last);
}
