// How far a page's stored judgement reaches, whether new batches can change it (changes and scrolls far from every other signal cannot), and when a long live page is judged again.
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

/**
 * A live page is judged after each of its batches up to this many: 10 minutes of a recording that
 * sends a batch every 5 s. Past it, each judgement reads the page's whole history (a 60-minute page
 * with a click every 30 s cost the pass 65 s of CPU when judged after every batch).
 */
export const LIVE_JUDGEMENT_EVERY_BATCH_UP_TO = 120;
/**
 * Past that, a live page is judged again once its analysed batches have grown by this factor since
 * its last judgement, so judging it costs in all a small multiple of reading it once: its rage,
 * dead and error-loop flags appear after a tenth of its length more instead of within seconds. A
 * page that ends (final batch, idle session) is judged whole at once, whatever its length.
 */
export const LIVE_REJUDGE_GROWTH = 1.1;

export interface StoredJudgement extends StoredReach {
  /** The page's analysed batches now, and when it was last judged. */
  batches: number;
  judgedBatches: number | null;
}

/** True when a long live page's judgement waits for more of it (LIVE_REJUDGE_GROWTH). */
export function judgementDeferred(stored: StoredJudgement): boolean {
  if (stored.finalSeq !== null || stored.completedAt !== null || stored.judgedBatches === null) return false;
  return stored.judgedBatches >= LIVE_JUDGEMENT_EVERY_BATCH_UP_TO && stored.batches < stored.judgedBatches * LIVE_REJUDGE_GROWTH;
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

/**
 * What the pass does with a page its new batches touched: judge it whole; record that `fresh` leaves
 * its judgement unchanged (only when every earlier batch of it was judged, none deferred); or, for
 * a long live page, wait until it has grown. A page of an idle session is always judged.
 */
export function planJudgement(stored: StoredJudgement, fresh: readonly PageSignal[] | undefined, freshBatches: number, idle: boolean): 'judge' | 'unchanged' | 'deferred' {
  if (idle) return 'judge';
  const earlierJudged = stored.judgedBatches !== null && stored.batches - freshBatches === stored.judgedBatches;
  if (fresh && earlierJudged && judgementUnchanged(stored, fresh)) return 'unchanged';
  return judgementDeferred(stored) ? 'deferred' : 'judge';
}
