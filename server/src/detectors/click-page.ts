// One page load read once for the click detectors: its signals, its presses, and what each signal could know of node ids.
import type { PageSignal } from '../analysis/page-signals';
import type { DetectorInput } from './detected-friction';
import type { ClickAnswerOptions } from './detector-thresholds';
import { findPresses, type Press } from './presses';

export interface ClickPage {
  signals: readonly PageSignal[];
  presses: Press[];
  /** The presses' times, ascending, for binary search. */
  pressTimes: number[];
  /**
   * Per signal, the largest rrweb node id seen in any signal before it since the last full
   * snapshot. rrweb numbers nodes in creation order, so an id above it in a structural change is
   * (almost always) a node born in that change: the extraction lists added nodes by their parent,
   * and a subtree's inner parents are new too.
   */
  seenBefore: number[];
  /** Time of the last signal: how far the data reaches. */
  lastT: number;
  complete: boolean;
  options: ClickAnswerOptions;
}

/**
 * The page last read: rage_click and dead_click read the same input one after the other, and
 * reading it is a good part of their cost. One entry (a WeakMap per input cost more in GC than it saved).
 */
let lastRead: { input: DetectorInput; page: ClickPage } | undefined;

export function readClickPage(input: DetectorInput, options: ClickAnswerOptions): ClickPage {
  const cached = lastRead?.input === input ? lastRead.page : undefined;
  if (cached && cached.options === options && cached.signals === input.signals && cached.complete === input.complete) return cached;
  const page = readPage(input, options);
  lastRead = { input, page };
  return page;
}

function readPage({ signals, complete }: DetectorInput, options: ClickAnswerOptions): ClickPage {
  const presses = findPresses(signals, options.disabledPairMs, options.holdMs);
  const seenBefore: number[] = [];
  let seen = 0;
  for (const s of signals) {
    // A full snapshot serializes the whole document again under new ids.
    if (s.k == 'snapshot') seen = 0;
    seenBefore.push(seen);
    if (s.k == 'mutation') for (const id of s.nodes) seen = Math.max(seen, id);
    else if (s.k == 'scroll' || s.k == 'input') seen = Math.max(seen, s.id);
  }
  return {
    signals,
    presses,
    pressTimes: presses.map((p) => p.t),
    seenBefore,
    lastT: signals.length ? signals[signals.length - 1]!.t : -Infinity,
    complete,
    options,
  };
}

/** Index of the first signal at or after `t` (signals are in time order). */
export function firstAt(signals: readonly PageSignal[], t: number): number {
  let lo = 0;
  let hi = signals.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (signals[mid]!.t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A change at `t` may be some press's answer: it lies in [press - lead, press + window] of one of them. */
export function nearPress(page: ClickPage, t: number): boolean {
  const { pressTimes: times, options } = page;
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! <= t + options.leadMs) lo = mid + 1;
    else hi = mid;
  }
  const press = times[lo - 1];
  return press !== undefined && press >= t - options.windowMs;
}

/**
 * The time each press of a burst owns, [from, to): from its pointer down when recorded, else from
 * its lead (shortened to half the gap when presses come faster than that), to the next press's
 * start, the last one through `tailMs` past its click (inclusive: timestamps are whole ms, and an
 * answer at exactly 2 s is within a 2 s window). With the pointer down known, a change just before
 * a quick press (an autoplay's slide 200 ms before the click) is not taken for its answer.
 */
export function pressRanges(presses: ReadonlyArray<Pick<Press, 't' | 'downT'>>, leadMs: number, tailMs: number): Array<[number, number]> {
  const starts = presses.map(({ t, downT }, k) => {
    const prev = presses[k - 1]?.t;
    const lead = prev === undefined ? leadMs : Math.min(leadMs, (t - prev) / 2);
    return downT === undefined ? t - lead : Math.max(downT, prev ?? -Infinity);
  });
  return presses.map(({ t }, k) => [starts[k]!, k + 1 < presses.length ? starts[k + 1]! : t + tailMs + 1]);
}
