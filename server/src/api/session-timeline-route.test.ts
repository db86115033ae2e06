import type { eventWithTime } from '@rrweb/types';
import { beforeEach, describe, expect, it } from 'vitest';
import { CUSTOM_EVENT_TAGS } from '../../../recorder/src/wire/format';
import type { FrictionFlag, SessionTimeline, TimelineEntry } from '../api-types';
import { describeAppOnBothBackends, type BackendTestApp } from '../testing/backend-test-app';
import { adminHeaders, gzipJson, makeBatch, postIngest, sampleEvents, SHOP_ORIGIN } from '../testing/test-app';
import { MAX_TIMELINE_ENTRIES_PER_KIND } from './session-timeline-route';

const T0 = 1_700_000_000_000;
const SESSION = 'session-0001';
const CART = `${SHOP_ORIGIN}/cart`;
const CHECKOUT = `${SHOP_ORIGIN}/checkout`;

let t: BackendTestApp;

const custom = (ts: number, tag: string, payload: unknown) => ({ type: 5, timestamp: ts, data: { tag, payload } }) as eventWithTime;
const pageView = (ts: number, url: string, title: string, trigger = 'load') => custom(ts, CUSTOM_EVENT_TAGS.pageView, { url, title, referrer: '', trigger });
const click = (ts: number, selector: string, target?: unknown) =>
  custom(ts, CUSTOM_EVENT_TAGS.click, { x: 10, y: 20, viewportWidth: 1280, viewportHeight: 800, documentWidth: 1280, documentHeight: 2000, selector, offsetX: 0.5, offsetY: 0.5, fixed: false, target });

async function ingest(seq: number, pageId: string, url: string, events: eventWithTime[]): Promise<void> {
  expect((await postIngest(t.app, t.site.key, gzipJson(makeBatch({ seq, pageId, url, events, final: true })))).status).toBe(200);
}

async function analyse(): Promise<void> {
  const pass = t.analysisPass({ log: () => {} });
  while ((await pass.run()).batches > 0);
}

async function getTimeline(query = ''): Promise<Response> {
  return t.app.request(`/api/sessions/${SESSION}/timeline${query}`, { headers: adminHeaders() });
}

/** A cart page that changes route to the checkout in the app, then a second page load. */
async function recordVisit(): Promise<void> {
  await ingest(0, 'page-cart', CART, [
    ...sampleEvents(T0, 2, CART),
    pageView(T0 + 2, CART, 'Your cart'),
    click(T0 + 1000, 'main>button:nth-of-type(1)', { kind: 'button', text: 'Check out' }),
    custom(T0 + 2000, CUSTOM_EVENT_TAGS.error, { kind: 'error', message: 'TypeError: total is undefined', source: `${SHOP_ORIGIN}/app.js`, line: 3 }),
    custom(T0 + 3000, CUSTOM_EVENT_TAGS.networkFailure, { initiator: 'fetch', method: 'POST', url: `${SHOP_ORIGIN}/api/cart`, status: 500, durationMs: 120 }),
    pageView(T0 + 4000, CHECKOUT, 'Checkout', 'push-state'),
    // A field: its text is never sent; and a target a page made up, whose fields are not text.
    click(T0 + 5000, '#email', { kind: 'input:email', editable: true }),
    click(T0 + 5500, '#odd', { kind: 42, text: { html: '<b>x</b>' } }),
  ]);
  await ingest(1, 'page-thanks', `${SHOP_ORIGIN}/thanks`, [...sampleEvents(T0 + 60_000, 2, `${SHOP_ORIGIN}/thanks`), pageView(T0 + 60_002, `${SHOP_ORIGIN}/thanks`, 'Thank you')]);
}

const flag = (ts: number, reason: string): FrictionFlag => ({
  type: 'dead_click',
  ts,
  pageId: 'page-cart',
  url: CART,
  selector: 'main>button:nth-of-type(1)',
  reason,
  details: { windowMs: 1000, lookedFor: ['dom-change'] },
});

describeAppOnBothBackends('session timeline route', (backend) => {
  beforeEach(() => {
    t = backend();
  });

  describe('GET /api/sessions/:id/timeline', () => {
    it('lists page loads, route changes, clicks, errors, failed requests and friction flags with their reason, in time order', async () => {
      await recordVisit();
      await analyse();
      // Flags as a detector would store them, so the test does not hang on detector thresholds.
      t.repos.friction.replaceForPage(t.site.id, SESSION, 'page-cart', [flag(T0 + 1000, 'Nothing happened after the click on “Check out”.')]);

      const res = await getTimeline();
      expect(res.status).toBe(200);
      const timeline = (await res.json()) as SessionTimeline;
      expect(timeline.pendingBatches).toBe(0);
      expect(timeline.limit).toBe(MAX_TIMELINE_ENTRIES_PER_KIND);
      expect(timeline.omitted).toEqual({ page: 0, click: 0, error: 0, request: 0, friction: 0 });
      expect(timeline.entries).toEqual<TimelineEntry[]>([
        { kind: 'page', ts: T0, pageId: 'page-cart', url: CART, title: 'Your cart', trigger: 'load' },
        { kind: 'click', ts: T0 + 1000, pageId: 'page-cart', selector: 'main>button:nth-of-type(1)', text: 'Check out', target: 'button' },
        { kind: 'friction', ts: T0 + 1000, pageId: 'page-cart', type: 'dead_click', reason: 'Nothing happened after the click on “Check out”.', selector: 'main>button:nth-of-type(1)', url: CART },
        { kind: 'error', ts: T0 + 2000, pageId: 'page-cart', message: 'TypeError: total is undefined', source: `${SHOP_ORIGIN}/app.js`, errorKind: 'error' },
        { kind: 'request', ts: T0 + 3000, pageId: 'page-cart', method: 'POST', url: `${SHOP_ORIGIN}/api/cart`, status: 500, durationMs: 120 },
        { kind: 'page', ts: T0 + 4000, pageId: 'page-cart', url: CHECKOUT, title: 'Checkout', trigger: 'push-state' },
        { kind: 'click', ts: T0 + 5000, pageId: 'page-cart', selector: '#email', text: null, target: 'input:email' },
        { kind: 'click', ts: T0 + 5500, pageId: 'page-cart', selector: '#odd', text: null, target: null },
        { kind: 'page', ts: T0 + 60_000, pageId: 'page-thanks', url: `${SHOP_ORIGIN}/thanks`, title: 'Thank you', trigger: 'load' },
      ]);
    });

    it('lists the page loads before the analysis pass has read the batches, and says how many it has not', async () => {
      await recordVisit();
      const timeline = (await (await getTimeline()).json()) as SessionTimeline;
      expect(timeline.pendingBatches).toBe(2);
      expect(timeline.entries.map((entry) => [entry.kind, entry.ts])).toEqual([
        ['page', T0],
        ['page', T0 + 60_000],
      ]);
    });

    it('keeps the first entries of each kind up to the limit and counts the rest', async () => {
      const clicks = Array.from({ length: 7 }, (_, i) => click(T0 + 100 + i, `#b${i}`, { kind: 'button', text: `B${i}` }));
      await ingest(0, 'page-cart', CART, [...sampleEvents(T0, 2, CART), ...clicks]);
      await analyse();
      t.repos.friction.replaceForPage(t.site.id, SESSION, 'page-cart', [flag(T0 + 100, 'one'), flag(T0 + 101, 'two'), flag(T0 + 102, 'three')]);

      const timeline = (await (await getTimeline('?limit=2')).json()) as SessionTimeline;
      expect(timeline.limit).toBe(2);
      expect(timeline.omitted).toEqual({ page: 0, click: 5, error: 0, request: 0, friction: 1 });
      expect(timeline.entries.filter((entry) => entry.kind === 'click').map((entry) => entry.selector)).toEqual(['#b0', '#b1']);
      expect(timeline.entries.filter((entry) => entry.kind === 'friction').map((entry) => entry.reason)).toEqual(['one', 'two']);
      // More than the maximum is not an error.
      expect(((await (await getTimeline('?limit=999999')).json()) as SessionTimeline).limit).toBe(MAX_TIMELINE_ENTRIES_PER_KIND);
    });

    it('refuses a bad limit or an unknown parameter with 400, an unknown session with 404, and no token with 401', async () => {
      await recordVisit();
      for (const query of ['?limit=0', '?limit=ten', '?limit=-1', '?kinds=click']) {
        const res = await getTimeline(query);
        expect(res.status, query).toBe(400);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
      }
      expect((await t.app.request('/api/sessions/no-such-session/timeline', { headers: adminHeaders() })).status).toBe(404);
      expect((await t.app.request(`/api/sessions/${SESSION}/timeline`)).status).toBe(401);
    });
  });
});
