// The page's own beat: changes that come at a regular period with nobody pressing (an autoplay, a countdown), whatever nodes they touch.
import { firstAt, type ClickPage } from './click-page';

export interface PageBeat {
  /** ms between beats. */
  period: number;
  /** Times of the changes the beat was learnt from, ascending. */
  times: number[];
  /** How far off the beat a change may fall per period and still be on it. */
  tolerance: number;
}

/**
 * Learns the beat from the page's changes within backgroundMs either side of the span [from, to]
 * being judged (the presses and their answer window), leaving out the span itself and each other
 * press's prompt answer (a change within promptMs of it). The changes must come at a period of
 * at least busyMs (an animation is no beat) with every gap a whole number of periods (a beat hidden
 * inside a press's span leaves a double gap), each off by at most pageBeatJitter of a period per
 * period; three changes at least, so two gaps agree. The period tried is the median gap, then the shortest.
 *
 * A carousel of four slides changes each slide's node only every few seconds, so learning it node
 * by node (page-background.ts) needs a whole cycle of history; its beat shows after two slides.
 * Changes after the span are used too: the page is judged once its data reaches past the span, and
 * a beat that goes on after the press with nobody pressing was not the press's doing.
 */
export function learnPageBeat(page: ClickPage, from: number, to: number): PageBeat | undefined {
  const { signals, options } = page;
  const { backgroundMs, promptMs, busyMs, beatToleranceMs, pageBeatJitter } = options;
  const times: number[] = [];
  for (let i = firstAt(signals, from - backgroundMs); i < signals.length; i++) {
    const s = signals[i]!;
    if (s.t > to + backgroundMs) break;
    if (s.k != 'mutation' || (s.t >= from && s.t <= to) || promptAnswer(page, s.t)) continue;
    // One beat may be recorded as several mutation events a few ms apart.
    if (!times.length || s.t - times[times.length - 1]! > beatToleranceMs) times.push(s.t);
  }
  if (times.length < 3) return undefined;
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  const sorted = gaps.slice().sort((a, b) => a - b);
  for (const guess of [sorted[sorted.length >> 1]!, sorted[0]!]) {
    if (guess < busyMs) continue;
    const tolerance = Math.max(beatToleranceMs, guess * pageBeatJitter);
    const beats = gaps.map((gap) => Math.max(1, Math.round(gap / guess)));
    if (gaps.some((gap, i) => Math.abs(gap - beats[i]! * guess) > tolerance * beats[i]!)) continue;
    const period = gaps.reduce((a, b) => a + b, 0) / beats.reduce((a, b) => a + b, 0);
    return { period, times, tolerance: Math.max(beatToleranceMs, period * pageBeatJitter) };
  }
  return undefined;
}

/** Whether `t` falls on the beat: a whole number of periods from the nearest change it was learnt from. */
export function onBeat(beat: PageBeat, t: number): boolean {
  const nearest = beat.times.reduce((best, time) => (Math.abs(time - t) < Math.abs(best - t) ? time : best));
  const periods = Math.round((t - nearest) / beat.period);
  return Math.abs(t - nearest - periods * beat.period) <= beat.tolerance * Math.max(1, Math.abs(periods));
}

/** A change within promptMs of some press (before it: at its pointerdown): that press's doing, not the page's beat. */
function promptAnswer(page: ClickPage, t: number): boolean {
  const { pressTimes, options } = page;
  let lo = 0;
  let hi = pressTimes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pressTimes[mid]! <= t + options.promptMs) lo = mid + 1;
    else hi = mid;
  }
  const press = pressTimes[lo - 1];
  return press !== undefined && press >= t - options.promptMs;
}
