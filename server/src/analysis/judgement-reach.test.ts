import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../test/support/seeded-random';
import * as thresholds from '../detectors/detector-thresholds';
import { PASSIVE_SIGNAL_REACH_MS } from '../detectors/detector-thresholds';
import { at, click, clicks, effect, error, field, mutation, scroll, snapshot, submit, ticking, view } from '../detectors/testing/click-signals';
import type { PageAnalysisState } from '../repos/page-signals-repo';
import { judgePage } from './judge-page';
import {
  extendReach,
  judgementReach,
  judgementUnchanged,
  LIVE_JUDGEMENT_EVERY_BATCH_UP_TO,
  LIVE_REJUDGE_GROWTH,
  planJudgement,
  type StoredReach,
} from './judgement-reach';
import type { PageSignal } from './page-signals';

const REACH = PASSIVE_SIGNAL_REACH_MS;
const stored = (signals: PageSignal[], more: Partial<StoredReach> = {}): StoredReach => ({ ...judgementReach(signals), finalSeq: null, completedAt: null, ...more });

describe('judgementUnchanged', () => {
  const judged = [view(0), click(1000), mutation(1200), ...ticking(2000, 2000 + REACH + 5000, 1000)];

  it('is true for changes and scrolls beyond the reach of the last click once the judgement saw past it', () => {
    expect(judgementUnchanged(stored(judged), [mutation(REACH + 8000), scroll(REACH + 9000)])).toBe(true);
  });

  it('is false while a press waits for data past its reach, a final batch is known, or the page is complete', () => {
    const waiting = [view(0), click(1000)];
    expect(judgementUnchanged(stored(waiting), [mutation(REACH + 8000)])).toBe(false);
    expect(judgementUnchanged(stored(judged, { finalSeq: 7 }), [mutation(REACH + 8000)])).toBe(false);
    expect(judgementUnchanged(stored(judged, { completedAt: 1 }), [mutation(REACH + 8000)])).toBe(false);
    expect(judgementUnchanged({ judgedThrough: null, lastActiveAt: null, finalSeq: null, completedAt: null }, [mutation(REACH + 8000)])).toBe(false);
  });

  it('measures the reach from the last signal but a change, a scroll or a full snapshot', () => {
    expect(judgementReach([view(0), click(1000), snapshot(5000), mutation(6000), scroll(7000)])).toEqual({ judgedThrough: at(7000), lastActiveAt: at(1000) });
  });

  it('is false for any other signal, or a change within the reach (a late batch)', () => {
    for (const other of [snapshot(REACH + 8000), click(REACH + 8000), effect(REACH + 8000, 'window-open'), error(REACH + 8000), field(REACH + 8000, 'focus'), submit(REACH + 8000), view(REACH + 8000)]) {
      expect(judgementUnchanged(stored(judged), [mutation(REACH + 7000), other])).toBe(false);
    }
    expect(judgementUnchanged(stored(judged), [mutation(REACH + 900)])).toBe(false);
  });

  it('moves the reach forward over an unchanged judgement, never back', () => {
    const reach = judgementReach(judged);
    expect(extendReach(reach, [mutation(REACH + 9000)])).toEqual({ judgedThrough: at(REACH + 9000), lastActiveAt: at(1000) });
    expect(extendReach(reach, [mutation(10)])).toEqual(reach);
  });
});

describe('planJudgement', () => {
  const judged = [view(0), click(1000), ...ticking(2000, 2000 + REACH + 5000, 1000)];
  const state = (batches: number, judgedBatches: number | null, more: Partial<StoredReach> = {}) => ({ ...stored(judged, more), batches, judgedBatches });
  const passive = [mutation(REACH + 8000)];

  it('takes a passive batch as unchanged only when every earlier batch of the page was judged', () => {
    expect(planJudgement(state(3, 2), passive, 1, false)).toBe('unchanged');
    // One batch of it was deferred (or is analysed again): its signals may not be in the judgement.
    expect(planJudgement(state(4, 2), passive, 1, false)).toBe('judge');
    expect(planJudgement(state(3, 2), undefined, 1, false)).toBe('judge');
    expect(planJudgement(state(3, 2), passive, 1, true)).toBe('judge');
  });

  it('judges a live page after every batch up to LIVE_JUDGEMENT_EVERY_BATCH_UP_TO, then once it has grown by LIVE_REJUDGE_GROWTH', () => {
    const active = [click(REACH + 8000)];
    const n = LIVE_JUDGEMENT_EVERY_BATCH_UP_TO;
    expect(planJudgement(state(n, n - 1), active, 1, false)).toBe('judge');
    expect(planJudgement(state(n + 1, n), active, 1, false)).toBe('deferred');
    expect(planJudgement(state(Math.ceil(n * LIVE_REJUDGE_GROWTH) - 1, n), active, 1, false)).toBe('deferred');
    expect(planJudgement(state(Math.ceil(n * LIVE_REJUDGE_GROWTH), n), active, 1, false)).toBe('judge');
    // Ending or idle: judged at once, whatever its length.
    expect(planJudgement(state(n + 1, n, { finalSeq: n }), active, 1, false)).toBe('judge');
    expect(planJudgement(state(n + 1, n, { completedAt: 1 }), active, 1, false)).toBe('judge');
    expect(planJudgement(state(n + 1, n), active, 1, true)).toBe('judge');
    // Never judged (a redetect forgot it): judged.
    expect(planJudgement(state(n + 1, null), active, 1, false)).toBe('judge');
  });
});

describe('PASSIVE_SIGNAL_REACH_MS', () => {
  it('is more than four times every window the detectors use between a change and another signal', () => {
    const windows = Object.entries(thresholds).filter(([name, value]) => name.endsWith('_MS') && name !== 'PASSIVE_SIGNAL_REACH_MS' && typeof value === 'number');
    expect(windows.length).toBeGreaterThan(15);
    // Action and error-loop spans join actions and errors, never changes; the rest bound a change's distance.
    const changeWindows = windows.filter(([name]) => !['ERROR_LOOP_WINDOW_MS', 'ACTION_ERROR_MAX_GAP_MS'].includes(name));
    const sumOfLongest = thresholds.CLICK_BACKGROUND_MS + thresholds.CLICK_HOLD_MAX_MS + thresholds.DEAD_CLICK_WINDOW_MS + thresholds.FORM_SUBMIT_ANSWER_WINDOW_MS;
    for (const [name, value] of changeWindows) expect(value, name).toBeLessThan(REACH / 4);
    expect(sumOfLongest).toBeLessThan(REACH / 2);
  });
});

/** A random minute or two of a page: clicks (bursts and singles on a few targets), answers, a ticking node, scrolls, fields, submits, errors. */
function randomPage(random: () => number): PageSignal[] {
  const signals: PageSignal[] = [view(0)];
  const targets = ['#apply', '#next', '#photo', '#menu'];
  let t = 500;
  const end = 30_000 + random() * 90_000;
  signals.push(...ticking(0, end + REACH * 2 + 10_000, 1000 + Math.floor(random() * 3) * 500, 900));
  while (t < end) {
    const sel = targets[Math.floor(random() * targets.length)]!;
    const roll = random();
    if (roll < 0.35) {
      const n = 1 + Math.floor(random() * 5);
      signals.push(...clicks(t, n, 150 + Math.floor(random() * 400), { sel, count: random() < 0.3 ? 1 : undefined }));
      if (random() < 0.5) signals.push(mutation(t + Math.floor(random() * 3000), [600 + Math.floor(random() * 50)], random() < 0.5));
    } else if (roll < 0.5) signals.push(mutation(t, [700 + Math.floor(random() * 100)], random() < 0.5));
    else if (roll < 0.6) signals.push(scroll(t, Math.floor(random() * 5)));
    else if (roll < 0.7) signals.push(field(t, random() < 0.5 ? 'focus' : 'change'));
    else if (roll < 0.8) signals.push(submit(t));
    else if (roll < 0.9) signals.push(error(t));
    else signals.push(effect(t, 'window-open', sel));
    t += 200 + Math.floor(random() * 4000);
  }
  // rrweb's checkout: a full snapshot now and then, the last one maybe after every press.
  for (let at = 20_000 + random() * 60_000; at < end + REACH / 2; at += 20_000 + random() * 40_000) signals.push(snapshot(at));
  return signals.sort((a, b) => a.t - b.t);
}

const liveState = (reach: StoredReach): PageAnalysisState => ({
  siteId: 'site-1',
  url: 'https://shop.test/cart',
  finalSeq: null,
  completedAt: null,
  minSeq: 0,
  maxSeq: 1,
  batches: 2,
  judgedThrough: reach.judgedThrough,
  lastActiveAt: reach.lastActiveAt,
  judgedBatches: 1,
});

describe('a judgement judgementUnchanged keeps', () => {
  it('is the judgement the detectors give with the new changes and scrolls, on 400 random pages', () => {
    const flagged = new Map<string, number>();
    let kept = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const random = seededRandom(seed);
      const all = randomPage(random);
      const reach = judgementReach(all);
      // Judged once the data reaches past the last active signal's reach (the ticking node carries it there).
      const cut = (reach.lastActiveAt ?? 0) + REACH + 3000;
      const judged = all.filter((s) => s.t <= cut);
      // The ticking node, and changes of new and old nodes and scrolls, as a live region makes them.
      const tail: PageSignal[] = [];
      for (let t = cut + 1 + Math.floor(random() * 500); t < cut + 30_000; t += 100 + Math.floor(random() * 2000)) {
        tail.push(random() < 0.8 ? { ...mutation(0, [500 + Math.floor(random() * 400)], random() < 0.5), t } : { ...scroll(0, Math.floor(random() * 5)), t });
      }
      const fresh = [...all.filter((s) => s.t > cut), ...tail].sort((a, b) => a.t - b.t);
      const before = stored(judged);
      expect(fresh.length, `seed ${seed}`).toBeGreaterThan(0);
      expect(judgementUnchanged(before, fresh), `seed ${seed}`).toBe(true);
      kept++;
      const first = judgePage('p1', liveState(before), judged, false);
      const again = judgePage('p1', liveState(before), [...judged, ...fresh], false);
      expect(again.flags, `seed ${seed}`).toEqual(first.flags);
      expect([again.errorCount, again.userId]).toEqual([first.errorCount, first.userId]);
      for (const flag of first.flags) flagged.set(flag.type, (flagged.get(flag.type) ?? 0) + 1);
    }
    expect(kept).toBe(400);
    // Not a vacuous comparison: the pages carry every live flag.
    expect(flagged.get('rage_click') ?? 0).toBeGreaterThan(10);
    expect(flagged.get('dead_click') ?? 0).toBeGreaterThan(10);
    expect(flagged.get('error_loop') ?? 0).toBeGreaterThan(10);
  });
});
