import type { eventWithTime } from '@rrweb/types';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { CUSTOM_EVENT_TAGS } from '../../../recorder/src/wire/format';
import type { HeatmapData, HeatmapElementList, HeatmapElementSessionList, HeatmapPageList, HeatmapScroll, HeatmapSnapshot, Site } from '../api-types';
import type { Detector } from '../detectors/detected-friction';
import { describeAppOnBothBackends, type BackendTestApp } from '../testing/backend-test-app';
import { SHOP_ORIGIN, adminHeaders, gzipJson, makeBatch, postIngest } from '../testing/test-app';

const T0 = Date.UTC(2026, 10, 20, 12); // noon, so a day's bounds are clear of the clicks
const DAY = 86_400_000;
/** The current test's app, on the backend of the describe block it runs in. */
let t: BackendTestApp;
function useApp(app: () => BackendTestApp): void {
  beforeEach(() => {
    t = app();
  });
  afterEach(() => expect(t.errors).toEqual([]));
}

/** Flags clicks on #rage as one rage burst and each click on #dead as dead: the hook's mapping is under test, not the detectors. */
const byTarget: Detector = ({ signals }) => {
  const clicks = signals.filter((s) => s.k === 'click');
  const rage = clicks.filter((s) => s.sel === '#rage').map((s) => s.t);
  const base = { url: '', reason: 'r' };
  return [
    ...(rage.length ? [{ ...base, type: 'rage_click' as const, ts: rage[0]!, selector: '#rage', details: { clicks: rage.length, durationMs: 1, clickTimes: rage, clicksWithEffect: 0 } }] : []),
    ...clicks.filter((s) => s.sel === '#dead').map((s) => ({ ...base, type: 'dead_click' as const, ts: s.t, selector: '#dead', details: { windowMs: 2000, lookedFor: [] } })),
  ];
};
const analyse = () => t.analysisPass({ detectors: [{ type: 'rage_click', detect: byTarget }], log: () => {} }).run();

const ev = (type: number, timestamp: number, data: unknown) => ({ type, timestamp, data }) as eventWithTime;
const custom = (timestamp: number, tag: string, payload: unknown) => ev(5, timestamp, { tag, payload });
const click = (ts: number, selector: string, width: number, extra: Record<string, unknown> = {}) =>
  custom(ts, CUSTOM_EVENT_TAGS.click, { x: width / 2, y: 500, viewportWidth: width, viewportHeight: 800, documentWidth: width, documentHeight: 2000, selector, offsetX: 0.5, offsetY: 0.5, fixed: false, target: { kind: 'button', text: selector.slice(1) }, ...extra });
const load = (ts: number, url: string, width: number) => [
  ev(4, ts, { href: url, width, height: 800 }),
  ev(2, ts + 1, { node: { type: 0, id: 1, childNodes: [] }, initialOffset: { top: 0, left: 0 } }),
  custom(ts + 2, CUSTOM_EVENT_TAGS.pageView, { url, title: 'Shop', referrer: '', trigger: 'load' }),
];
const depth = (ts: number, maxY: number) => custom(ts, CUSTOM_EVENT_TAGS.scrollDepth, { maxY, documentHeight: 2000, viewportHeight: 800, fraction: maxY / 2000 });

async function visit(sessionId: string, url: string, width: number, events: eventWithTime[], start = T0): Promise<void> {
  const res = await postIngest(t.app, t.site.key, gzipJson(makeBatch({ sessionId, pageId: `${sessionId}-p`, url, events: [...load(start, url, width), ...events], final: true })), { origin: SHOP_ORIGIN });
  expect(res.status, await res.clone().text()).toBe(200);
}

async function get<T>(path: string, status = 200): Promise<T> {
  const res = await t.app.request(path, { headers: adminHeaders() });
  expect(res.status, await res.clone().text()).toBe(status);
  return (await res.json()) as T;
}

const checkout = `${SHOP_ORIGIN}/checkout`;
const q = (path: string, params: Record<string, string>) => `/api/heatmap${path}?${new URLSearchParams({ site: t.site.id, url: checkout, ...params })}`;

async function seedCheckout(): Promise<void> {
  await visit('desktop-1', `${checkout}?step=1`, 1280, [
    ev(3, T0 + 2000, { source: 0, adds: [{ parentId: 1, nextId: null, node: { type: 2, tagName: 'p', attributes: {}, childNodes: [], id: 50 } }], removes: [], texts: [], attributes: [] }),
    click(T0 + 3000, '#pay', 1280),
    click(T0 + 4000, '#rage', 1280),
    click(T0 + 4200, '#rage', 1280),
    click(T0 + 4400, '#rage', 1280),
    click(T0 + 6000, '#dead', 1280),
    custom(T0 + 6500, CUSTOM_EVENT_TAGS.error, { kind: 'error', message: 'boom' }),
    depth(T0 + 7000, 1000),
    depth(T0 + 8000, 2000),
  ]);
  await visit('desktop-2', checkout, 1440, [click(T0 + DAY + 3000, '#pay', 1440)], T0 + DAY);
  await visit('phone-001', checkout, 390, [click(T0 + 3000, '#pay', 390), depth(T0 + 5000, 800)]);
  await analyse();
}

describeAppOnBothBackends('GET /api/heatmap', (app) => {
  useApp(app);
  it('aggregates a page\'s clicks by device, element and binned place, with each click\'s kinds', async () => {
    await seedCheckout();
    const all = await get<HeatmapData>(q('', {}));
    expect(all).toMatchObject({ url: checkout, device: 'desktop', kind: 'all', from: null, to: null, total: 6 });
    const pay = all.cells.find((cell) => all.selectors[cell.s] === '#pay')!;
    // Two desktop clicks in the middle of #pay, at 1280 and 1440 px: bin 10 of 20, centre 0.525; both at half the width.
    expect(pay).toEqual({ s: pay.s, fx: 0.525, fy: 0.525, n: 2, x: 0.5, y: 500, fixed: false });

    expect((await get<HeatmapData>(q('', { kind: 'rage' }))).total).toBe(3);
    expect((await get<HeatmapData>(q('', { kind: 'dead' }))).total).toBe(1);
    // The dead click at +6000 is followed by an uncaught error 500 ms later: an error click.
    const errors = await get<HeatmapData>(q('', { kind: 'error' }));
    expect(errors.cells.map((cell) => errors.selectors[cell.s])).toEqual(['#dead']);
    expect((await get<HeatmapData>(q('', { device: 'mobile' }))).total).toBe(1);
    expect((await get<HeatmapData>(q('', { device: 'tablet' }))).total).toBe(0);
  });

  it('limits to whole UTC days between from and to', async () => {
    await seedCheckout();
    const firstDay = await get<HeatmapData>(q('', { from: new Date(T0).toISOString().slice(0, 10), to: String(T0 + 1000) }));
    expect(firstDay).toMatchObject({ total: 5, from: T0 - 12 * 3_600_000, to: T0 + 12 * 3_600_000 });
    expect((await get<HeatmapData>(q('', { from: String(T0 + DAY) }))).total).toBe(1);
  });

  it('keeps the aggregates equal to the clicks when every batch is analysed again', async () => {
    await seedCheckout();
    const before = await get<HeatmapData>(q('', {}));
    await t.repos.analysisQueue.enqueueStored(undefined, Date.now());
    await analyse();
    expect(await get<HeatmapData>(q('', {}))).toEqual(before);
    // Flags are 0/1 on SQLite and booleans on PostgreSQL.
    const count = (flag: string) => `sum(CASE WHEN ${flag} THEN 1 ELSE 0 END) AS ${flag}`;
    const raw = await t.rows(`SELECT count(*) AS clicks, ${count('rage')}, ${count('dead')}, ${count('error')} FROM heatmap_clicks WHERE page_ref IS NOT NULL`);
    const aggregated = await t.rows('SELECT sum(clicks) AS clicks, sum(rage) AS rage, sum(dead) AS dead, sum(error) AS error FROM heatmap_cells');
    expect(aggregated).toEqual(raw);
    expect(await t.rows('SELECT count(*) AS n FROM heatmap_clicks')).toEqual([{ n: 7 }]);
  });

  it('counts a click under the page view it happened in, when the route changed in an earlier batch', async () => {
    const spa = `${SHOP_ORIGIN}/app/start`;
    await visit('spa-session', spa, 1280, [custom(T0 + 1000, CUSTOM_EVENT_TAGS.pageView, { url: `${SHOP_ORIGIN}/app/settings?tab=1`, title: '', referrer: '', trigger: 'push-state' })]);
    const res = await postIngest(t.app, t.site.key, gzipJson(makeBatch({ sessionId: 'spa-session', pageId: 'spa-session-p', seq: 1, url: spa, events: [click(T0 + 2000, '#save', 1280)] })), { origin: SHOP_ORIGIN });
    expect(res.status).toBe(200);
    await analyse();
    expect((await get<HeatmapData>(q('', { url: `${SHOP_ORIGIN}/app/settings` }))).total).toBe(1);
    expect((await get<HeatmapData>(q('', { url: spa }))).total).toBe(0);
  });

  it('refuses an unknown device or kind, a malformed date, a missing URL, a reversed range and an unknown site', async () => {
    for (const [params, field] of [
      [{ device: 'watch' }, 'device'],
      [{ kind: 'angry' }, 'kind'],
      [{ from: '30/11/2026' }, 'from'],
      [{ url: '' }, 'url'],
    ] as const) {
      const body = await get<{ error: { code: string; message: string } }>(q('', params), 400);
      expect(body.error.code).toBe('invalid_request');
      expect(body.error.message).toContain(`"${field}"`);
    }
    expect((await get<{ error: { message: string } }>(q('/elements', { from: '2026-11-30', to: '2026-11-01' }), 400)).error.message).toMatch(/before/);
    for (const path of ['', '/pages', '/elements', '/scroll', '/snapshot']) {
      const body = await get<{ error: { code: string } }>(`/api/heatmap${path}?site=nope&url=${encodeURIComponent(checkout)}`, 404);
      expect(body.error.code).toBe('not_found');
    }
    expect((await t.app.request(q('', {}))).status).toBe(401);
  });
});

describeAppOnBothBackends('heatmap pages, elements, sessions and scroll', (app) => {
  useApp(app);
  it('lists pages by clicks or by friction and merges them under the site\'s URL patterns, also for data already recorded', async () => {
    await seedCheckout();
    await visit('product-1', `${SHOP_ORIGIN}/product/mug`, 1280, [click(T0 + 3000, '#add', 1280)]);
    await visit('product-2', `${SHOP_ORIGIN}/product/lamp`, 1280, [click(T0 + 3000, '#add', 1280), click(T0 + 3500, '#dead', 1280)]);
    await analyse();
    let list = await get<HeatmapPageList>(`/api/heatmap/pages?site=${t.site.id}&device=desktop`);
    expect(list.pages.map((page) => [page.url, page.clicks])).toEqual([[checkout, 6], [`${SHOP_ORIGIN}/product/lamp`, 2], [`${SHOP_ORIGIN}/product/mug`, 1]]);

    const patch = await t.app.request(`/api/sites/${t.site.id}`, { method: 'PATCH', headers: { ...adminHeaders(), 'content-type': 'application/json' }, body: JSON.stringify({ urlPatterns: ['/product/*'] }) });
    expect(patch.status).toBe(200);
    expect(((await patch.json()) as Site).urlPatterns).toEqual(['/product/*']);
    list = await get<HeatmapPageList>(`/api/heatmap/pages?site=${t.site.id}&sort=friction`);
    expect(list.pages.map((page) => [page.url, page.pattern, page.clicks, page.friction])).toEqual([
      [checkout, false, 7, 2],
      [`${SHOP_ORIGIN}/product/*`, true, 3, 1],
    ]);
    const merged = await get<HeatmapData>(q('', { url: `${SHOP_ORIGIN}/product/mug?ref=ad` }));
    expect(merged).toMatchObject({ url: `${SHOP_ORIGIN}/product/*`, total: 3 });
  });

  it('validates URL patterns and finds no site it does not know', async () => {
    const patch = (id: string, body: unknown) =>
      t.app.request(`/api/sites/${id}`, { method: 'PATCH', headers: { ...adminHeaders(), 'content-type': 'application/json' }, body: JSON.stringify(body) });
    for (const body of [{ urlPatterns: ['product/*'] }, { urlPatterns: ['/product'] }, { urlPatterns: 'x' }, { urlPatterns: ['/a b/*'] }]) {
      expect((await patch(t.site.id, body)).status).toBe(400);
    }
    expect((await patch('nope', { urlPatterns: [] })).status).toBe(404);
  });

  it('ranks a page\'s elements and lists the sessions that clicked one, opening each replay a second before the click', async () => {
    await seedCheckout();
    const elements = await get<HeatmapElementList>(q('/elements', {}));
    expect(elements.total).toBe(6);
    expect(elements.elements[0]).toEqual({ selector: '#rage', label: 'button "rage"', clicks: 3, rageClicks: 3, deadClicks: 0, errorClicks: 0 });
    expect((await get<HeatmapElementList>(q('/elements', { kind: 'dead' }))).elements.map((e) => e.selector)).toEqual(['#dead']);

    const { sessions } = await get<HeatmapElementSessionList>(q('/element-sessions', { selector: '#pay' }));
    expect(sessions.map((s) => [s.sessionId, s.clicks, s.atMs])).toEqual([['desktop-2', 1, 3000 - 1000], ['desktop-1', 1, 3000 - 1000]]);
  });

  it('gives the share of page views reaching each depth, counting the deepest of each view, and the average fold', async () => {
    await seedCheckout();
    const scroll = await get<HeatmapScroll>(q('/scroll', {}));
    // One desktop view, deepest 2000 of 2000 px; the earlier 1000 px depth of the same view is not counted.
    expect(scroll).toMatchObject({ views: 1, averageFold: 0.4, averageFoldPx: 800 });
    expect(scroll.steps).toHaveLength(21);
    expect(scroll.steps[20]).toEqual({ depth: 1, reached: 1 });
    const phone = await get<HeatmapScroll>(q('/scroll', { device: 'mobile' }));
    expect(phone.steps.filter((step) => step.reached === 1).map((step) => step.depth)).toEqual([0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4]);
    expect(phone.steps[9]).toEqual({ depth: 0.45, reached: 0 });
  });

  it('gives a recorded load at the device\'s usual width, cut at the visitor\'s first interaction', async () => {
    await seedCheckout();
    const snapshot = await get<HeatmapSnapshot>(q('/snapshot', {}));
    // Desktop loads at 1280 and 1440 px, one each: the tie goes to the wider; both settled, so the latest.
    expect(snapshot).toMatchObject({ sessionId: 'desktop-2', width: 1440, height: 800, url: checkout, momentTs: T0 + DAY + 1 });
    expect(snapshot.events.map((e) => e.type)).toEqual([4, 2]);
    const first = await get<HeatmapSnapshot>(q('/snapshot', { device: 'mobile' }));
    expect(first.sessionId).toBe('phone-001');
    expect((await get<{ error: { code: string } }>(q('/snapshot', { device: 'tablet' }), 404)).error.code).toBe('not_found');
  });
});
