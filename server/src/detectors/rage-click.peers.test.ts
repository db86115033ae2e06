// Published rage-click test cases of other tools, ported as facts (their inputs and expected outcomes, not their code).
// Where our definition differs, the test asserts our outcome and says why.
import { describe, expect, it } from 'vitest';
import { detectDeadClicks } from './dead-click';
import { detectRageClicks } from './rage-click';
import { RAGE_CLICK_DEFAULTS } from './detector-thresholds';
import { at, click, clicks, end, mutation, page, selection, TEXT } from './testing/click-signals';

/** Clicks given as [x, y, ms] on one button, on a page that ended well after them. */
const burst = (...points: Array<[number, number, number]>) => page([points.map(([x, y, t]) => click(t, { x, y })), end(20_000)]);
const rage = (input: ReturnType<typeof page>, options = RAGE_CLICK_DEFAULTS) =>
  detectRageClicks(input, options).map((flag) => (flag.type == 'rage_click' ? flag.details.clickTimes.map((t) => t - at(0)) : []));

// PostHog/posthog-js packages/browser/src/__tests__/extensions/rageclick.test.ts (RageClick.isRageClick:
// 3 clicks, each < 30 px (Manhattan) and < 1 s from the previous one; it fires once, at the third click).
// We flag once per burst, with all its clicks; the ported pages have no answers, so every burst counts.
describe('posthog-js rageclick.test.ts', () => {
  it('identifies some rage clicking (one flag; the fourth click does not re-trigger)', () => {
    expect(rage(burst([0, 0, 10], [10, 10, 20], [5, 5, 40], [5, 5, 50]))).toEqual([[10, 20, 40, 50]]);
  });

  it('identifies rage clicking again once the time delta has passed', () => {
    const clicksAt = [10, 20, 40, 80, 100, 110, 1120, 1121, 1122];
    const points = clicksAt.map((t, i): [number, number, number] => (i == 0 ? [0, 0, t] : i == 1 ? [10, 10, t] : [5, 5, t]));
    expect(rage(burst(...points))).toEqual([clicksAt.slice(0, 6), clicksAt.slice(6)]);
  });

  it('identifies rage clicking again once the pixel delta has passed', () => {
    const first: Array<[number, number, number]> = [[0, 0, 10], [10, 10, 20], [5, 5, 40], [5, 5, 80], [5, 5, 100], [5, 5, 110]];
    expect(rage(burst(...first, [36, 5, 120], [36, 5, 130], [36, 5, 140]))).toEqual([[10, 20, 40, 80, 100, 110], [120, 130, 140]]);
  });

  it('does not capture clicks too far apart in time', () => {
    expect(rage(burst([5, 5, 10], [5, 5, 20], [5, 5, 4000]))).toEqual([]);
  });

  it('does not capture clicks too far apart in space', () => {
    expect(rage(burst([0, 0, 10], [10, 10, 20], [50, 10, 40]))).toEqual([]);
  });

  it('respects a custom click count (2)', () => {
    expect(rage(burst([0, 0, 0], [0, 0, 100]), { ...RAGE_CLICK_DEFAULTS, minClicks: 2 })).toEqual([[0, 100]]);
  });

  it('respects a custom timeout (100 ms)', () => {
    expect(rage(burst([0, 0, 0], [0, 0, 50], [0, 0, 500]), { ...RAGE_CLICK_DEFAULTS, maxGapMs: 100 })).toEqual([]);
  });

  it('respects a custom pixel threshold (5 px)', () => {
    expect(rage(burst([0, 0, 0], [6, 0, 50], [6, 0, 80]), { ...RAGE_CLICK_DEFAULTS, radiusPx: 5 })).toEqual([]);
  });

  it('falls back to the defaults (3 clicks)', () => {
    expect(rage(burst([0, 0, 0], [10, 10, 100], [5, 5, 200]))).toEqual([[0, 100, 200]]);
  });
});

// DataDog/browser-sdk packages/rum-core/src/domain/action/computeFrustration.spec.ts (isRage: 3 clicks
// within 1 s in a click chain, none selecting text or scrolling; computeFrustration) and clickChain.spec.ts
// (a chain: same target, <= 100 px and < 1 s from the previous click).
describe('Datadog computeFrustration.spec.ts and clickChain.spec.ts', () => {
  it('considers as rage three clicks happening at the same time', () => {
    expect(rage(burst([100, 100, 1000], [100, 100, 1000], [100, 100, 1000]))).toHaveLength(1);
  });

  it('does not consider as rage a triple click selecting a paragraph', () => {
    const triple = clicks(1000, 3, 100, { target: TEXT, sel: 'main>p' });
    expect(rage(page([triple, selection(1090), selection(1190), end(5000)]))).toEqual([]);
  });

  it('does not consider as rage two clicks happening at the same time', () => {
    expect(rage(burst([100, 100, 1000], [100, 100, 1000]))).toEqual([]);
  });

  it('does not consider as rage a first click long before two fast clicks', () => {
    expect(rage(burst([100, 100, 1000], [100, 100, 3000], [100, 100, 3000]))).toEqual([]);
  });

  it('considers as rage a first click long before three fast clicks (the three)', () => {
    expect(rage(burst([100, 100, 1000], [100, 100, 3000], [100, 100, 3000], [100, 100, 3000]))).toEqual([[3000, 3000, 3000]]);
  });

  it('considers as rage three fast clicks long before a last click (the three)', () => {
    expect(rage(burst([100, 100, 1000], [100, 100, 1000], [100, 100, 1000], [100, 100, 3000]))).toEqual([[1000, 1000, 1000]]);
  });

  it('DIFFERS: three fast clicks that each had page activity are rage to Datadog, not to us', () => {
    // isRage never looks at page activity (createFakeClick defaults hasPageActivity to true). We
    // judge by what each click changed: this is a stepper or a carousel, the false positive we avoid.
    const presses = clicks(1000, 3, 100);
    expect(rage(page([presses, presses.map((c) => mutation(c.t - at(0) + 10, [42])), end(5000)]))).toEqual([]);
  });

  it('DIFFERS: a rage click with a click lacking page activity is also tagged dead by Datadog; we report the rage flag alone', () => {
    // Rage wins: the burst is one rage flag, not also a dead click (dead-click.ts leaves it alone).
    const input = page([clicks(1000, 3, 100), end(5000)]);
    expect(detectRageClicks(input)).toHaveLength(1);
    expect(detectDeadClicks(input)).toEqual([]);
  });

  it('chains clicks relative to the previous one (999 ms apart each)', () => {
    expect(rage(burst([100, 100, 1000], [100, 100, 1999], [100, 100, 2998]))).toEqual([[1000, 1999, 2998]]);
  });

  it('does not chain a click 1 s after the previous one', () => {
    expect(rage(burst([100, 100, 1000], [100, 100, 1500], [100, 100, 2500]))).toEqual([]);
  });

  it('does not chain a click on a different target', () => {
    const other = { sel: '#other', target: { kind: 'button', text: 'Other' } };
    expect(rage(page([click(1000), click(1100, other), click(1200), end(5000)]))).toEqual([]);
  });

  it('does not chain a click 101 px from the previous one', () => {
    // Datadog chains up to 100 px; we follow posthog-js's 30 px from the first click, so 31..100 px also splits a burst here.
    expect(rage(burst([100, 100, 1000], [100, 201, 1100], [100, 201, 1200]))).toEqual([]);
  });
});

// getsentry/sentry-javascript dev-packages/browser-integration-tests/suites/replay/slowClick/multiClick/test.ts
// and mutation/test.ts on template.html (Sentry's ClickDetector, packages/replay-internal/src/coreHandlers/handleClick.ts).
describe('Sentry replay slowClick suites (multi clicks)', () => {
  it('a 4-click (and then 3-click) multi click on a button that answers each click at once is a metric, not rage', () => {
    const first = clicks(1000, 4, 50);
    const second = clicks(4000, 3, 50);
    const answers = [...first, ...second].map((c) => mutation(c.t - at(0) + 2, [42]));
    expect(rage(page([first, second, answers, end(9000)]))).toEqual([]);
  });

  it('4 clicks on a button that answers only after 3 s: one slow click with clickCount 4 (Sentry calls it a rage click); one rage flag for us', () => {
    const input = page([clicks(1000, 4, 50), mutation(4051, [42]), end(9000)]);
    expect(rage(input)).toEqual([[1000, 1050, 1100, 1150]]);
    expect(detectDeadClicks(input)).toEqual([]);
  });
});
