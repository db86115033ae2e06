// How far a page's stored judgement reaches, and whether new batches can change it: changes and scrolls far from every other signal cannot.
import { PASSIVE_SIGNAL_REACH_MS } from '../detectors/detector-thresholds';
import type { PageSignal } from './page-signals';

/** Signals the detectors read only near another signal: as a press's answer, its background, a submit's outcome. */
const PASSIVE_KINDS: ReadonlySet<PageSignal['k']> = new Set<PageSignal['k']>(['mutation', 'scroll']);
/**
 * Signals whose reach is not measured from: the passive ones, and a full snapshot (rrweb's checkout
 * every few minutes). A snapshot ends the answer scan of a press before it and starts the node ids
 * and background of presses after it; the changes after it matter to no press until one comes,
 * and the page is judged whole then. A batch holding a snapshot is still judged (it is not passive).
 */
const REACH_FREE_KINDS: ReadonlySet<PageSignal['k']> = new Set<PageSignal['k']>([...PASSIVE_KINDS, 'snapshot']);

export interface JudgementReach {
  /** Client ms of the latest signal the judgement saw; null when it saw none. */
  judgedThrough: number | null;
  /** Client ms of its latest signal other than a change, a scroll or a full snapshot; null when there was none. */
  lastActiveAt: number | null;
}

/** What a page's stored state says of its last judgement. */
export interface StoredReach extends JudgementReach {
  finalSeq: number | null;
  completedAt: number | null;
}

export function judgementReach(signals: readonly PageSignal[]): JudgementReach {
  let judgedThrough: number | null = null;
  let lastActiveAt: number | null = null;
  for (const signal of signals) {
    if (judgedThrough === null || signal.t > judgedThrough) judgedThrough = signal.t;
    if (!REACH_FREE_KINDS.has(signal.k) && (lastActiveAt === null || signal.t > lastActiveAt)) lastActiveAt = signal.t;
  }
  return { judgedThrough, lastActiveAt };
}

/**
 * True when judging the page again with `fresh` (its new batches' signals) would store what is
 * stored already, so the page need not be read and judged again:
 * - it was judged, with data past the reach of its last active signal, so every press, submit and
 *   error in it was decided then (a click still waiting for its answer window is not);
 * - it is not ending: no final batch is recorded (a late batch may fill the gap before it) and it
 *   is not complete (a complete page's abandonment is timed by its last signal);
 * - `fresh` holds nothing but changes and scrolls, each beyond that reach.
 * A long page left open with a live region (a dashboard, a feed, a ticking price) then costs one
 * write per batch instead of reading and judging its whole history each time.
 */
export function judgementUnchanged(stored: StoredReach, fresh: readonly PageSignal[]): boolean {
  if (stored.judgedThrough === null || stored.finalSeq !== null || stored.completedAt !== null) return false;
  const reach = (stored.lastActiveAt ?? -Infinity) + PASSIVE_SIGNAL_REACH_MS;
  if (stored.judgedThrough <= reach) return false;
  return fresh.every((signal) => PASSIVE_KINDS.has(signal.k) && signal.t > reach);
}

/** The reach once `fresh` is added to a judgement it leaves unchanged. */
export function extendReach(stored: JudgementReach, fresh: readonly PageSignal[]): JudgementReach {
  const latest = judgementReach(fresh).judgedThrough;
  const judgedThrough = latest === null || (stored.judgedThrough !== null && stored.judgedThrough >= latest) ? stored.judgedThrough : latest;
  return { judgedThrough, lastActiveAt: stored.lastActiveAt };
}
