import type { eventWithTime } from '@rrweb/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CUSTOM_EVENT_TAGS } from '../../../recorder/src/wire/format';
import type { Detector } from '../detectors/detected-friction';
import { PASSIVE_SIGNAL_REACH_MS } from '../detectors/detector-thresholds';
import { createTestApp, gzipJson, makeBatch, postIngest, sampleEvents, type TestApp } from '../testing/test-app';
import { sqliteTransactions } from './analysis-transactions';
import { createAnalysisPass } from './analysis-pass';
import { LIVE_JUDGEMENT_EVERY_BATCH_UP_TO, LIVE_REJUDGE_GROWTH } from './judgement-reach';
import type { PageHook } from './page-hook';

const T0 = 1_700_000_000_000;
let t: TestApp;
let clock: number;
let judged: number;
let hooked: number;
beforeEach(() => {
  t = createTestApp();
  clock = Date.now();
  judged = 0;
  hooked = 0;
});
afterEach(() => t.close());

/** One dead click per click signal, counting its runs: a run is a judgement of the page. */
const perClick: Detector = ({ signals }) => {
  judged++;
  return signals.flatMap((s) => (s.k === 'click' ? [{ type: 'dead_click' as const, ts: s.t, url: '', selector: s.sel, reason: `clicked ${s.sel}`, details: { windowMs: 1, lookedFor: [] } }] : []));
};
const countingHook: PageHook = { name: 'counting', afterJudgement: async () => void hooked++ };

const pass = () =>
  createAnalysisPass({
    transactions: sqliteTransactions(t.db),
    repos: t.repos,
    idleTimeoutMs: 60_000,
    detectors: [{ type: 'dead_click', detect: perClick }],
    pageHooks: [countingHook],
    now: () => clock,
    log: () => {},
  });

const click = (ts: number, selector: string) =>
  ({ type: 5, timestamp: ts, data: { tag: CUSTOM_EVENT_TAGS.click, payload: { x: 1, y: 1, viewportWidth: 1, viewportHeight: 1, documentWidth: 1, documentHeight: 1, selector, offsetX: 0, offsetY: 0, fixed: false } } }) as eventWithTime;
/** A live region's text changing every second, as a ticking price does. */
const ticking = (from: number, to: number) =>
  Array.from({ length: Math.floor((to - from) / 1000) }, (_, i) => ({ type: 3, timestamp: from + i * 1000, data: { source: 0, texts: [{ id: 7, value: `${i}` }], attributes: [], removes: [], adds: [] } }) as eventWithTime);

async function ingestAndAnalyse(seq: number, events: eventWithTime[], extra: Record<string, unknown> = {}): Promise<void> {
  const res = await postIngest(t.app, t.site.key, gzipJson(makeBatch({ seq, events, ...extra })));
  expect(res.status).toBe(200);
  clock += 1000;
  expect((await pass().run()).batches).toBe(1);
}

const page = () => t.db.prepare('SELECT judged_through AS judgedThrough, last_active_at AS lastActiveAt FROM pages').get() as { judgedThrough: number; lastActiveAt: number };
const analysedAt = () => t.db.prepare('SELECT analyzed_at FROM page_signals ORDER BY seq').pluck().all() as number[];
const selectors = () => t.repos.friction.listBySession('session-0001').map((f) => f.selector);

describe('a live page left open', () => {
  it('is not judged again for changes far from its last click, and is once a click comes; each batch is marked when first judged', async () => {
    await ingestAndAnalyse(0, [...sampleEvents(T0), click(T0 + 50, '#a')]);
    expect([judged, hooked, selectors()]).toEqual([1, 1, ['#a']]);
    // Changes up to past the click's reach: judged, since the click's outcome waited for such data.
    await ingestAndAnalyse(1, ticking(T0 + 1000, T0 + PASSIVE_SIGNAL_REACH_MS + 5000));
    expect([judged, hooked]).toEqual([2, 2]);
    const reach = page();
    expect(reach.lastActiveAt).toBe(T0 + 50);
    // Changes only, all beyond the reach: the stored judgement stands, and only the reach moves.
    await ingestAndAnalyse(2, ticking(T0 + PASSIVE_SIGNAL_REACH_MS + 5000, T0 + PASSIVE_SIGNAL_REACH_MS + 10_000));
    expect([judged, hooked, selectors()]).toEqual([2, 2, ['#a']]);
    expect(page()).toEqual({ judgedThrough: T0 + PASSIVE_SIGNAL_REACH_MS + 9000, lastActiveAt: T0 + 50 });
    // Each batch keeps the time its page was first judged with it.
    expect(analysedAt()).toEqual([clock - 2000, clock - 1000, clock]);
    await ingestAndAnalyse(3, [click(T0 + PASSIVE_SIGNAL_REACH_MS + 11_000, '#b')]);
    expect([judged, hooked, selectors()]).toEqual([3, 3, ['#a', '#b']]);
    expect(analysedAt()).toEqual([clock - 3000, clock - 2000, clock - 1000, clock]);
  });

  it('is judged whole again by a redetect, which forgets how far each page was judged', async () => {
    await ingestAndAnalyse(0, [...sampleEvents(T0), click(T0 + 50, '#a')]);
    await ingestAndAnalyse(1, ticking(T0 + 1000, T0 + PASSIVE_SIGNAL_REACH_MS + 5000));
    await ingestAndAnalyse(2, ticking(T0 + PASSIVE_SIGNAL_REACH_MS + 5000, T0 + PASSIVE_SIGNAL_REACH_MS + 10_000));
    expect(judged).toBe(2);
    // Only the passive batch queued again would otherwise be taken as unchanged.
    expect(t.repos.analysisQueue.enqueueStored(t.site.id, clock)).toBe(3);
    expect(page().judgedThrough).toBeNull();
    await pass().run();
    expect(judged).toBe(3);
    expect(selectors()).toEqual(['#a']);
    expect(page().judgedThrough).toBe(T0 + PASSIVE_SIGNAL_REACH_MS + 9000);
  });

  it('is judged when its session goes idle, whatever the reach', async () => {
    await ingestAndAnalyse(0, [...sampleEvents(T0), click(T0 + 50, '#a')]);
    await ingestAndAnalyse(1, ticking(T0 + 1000, T0 + PASSIVE_SIGNAL_REACH_MS + 5000));
    clock += 120_000;
    t.db.prepare('UPDATE sessions SET updated_at = ?').run(clock - 100_000);
    expect(await pass().completeIdlePages()).toBe(1);
    expect(judged).toBe(3);
  });
});

describe('a long live page with clicks throughout', () => {
  it('is judged after each batch up to LIVE_JUDGEMENT_EVERY_BATCH_UP_TO, then once it has grown by a tenth, and whole as it ends, with every click flagged', async () => {
    const n = LIVE_JUDGEMENT_EVERY_BATCH_UP_TO;
    const judgedAfter: number[] = [];
    await ingestAndAnalyse(0, [...sampleEvents(T0), click(T0 + 50, '#c0')]);
    for (let seq = 1; seq <= n + 20; seq++) {
      const before = judged;
      await ingestAndAnalyse(seq, [click(T0 + seq * 5000, `#c${seq}`)]);
      if (judged > before) judgedAfter.push(seq);
    }
    // Batches 0 to n - 1 each judged; then the judgement that saw n batches waits for n * 1.1.
    const regrown = Math.ceil(n * LIVE_REJUDGE_GROWTH);
    expect(judgedAfter.filter((seq) => seq >= n - 1)).toEqual([n - 1, regrown - 1]);
    expect(judged).toBe(n + 1);
    // While it waits, the flags are those of its last judgement.
    expect(selectors()).toHaveLength(regrown);
    await ingestAndAnalyse(n + 21, [click(T0 + (n + 21) * 5000, '#last')], { final: true });
    expect(judged).toBe(n + 2);
    expect(selectors()).toEqual([...Array.from({ length: n + 21 }, (_, seq) => `#c${seq}`), '#last']);
    expect(t.db.prepare('SELECT completed_at IS NOT NULL FROM pages').pluck().get()).toBe(1);
  });
});
