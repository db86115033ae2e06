import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionDetail } from '../api-types';
import {
  SHOP_ORIGIN,
  adminHeaders,
  createTestApp,
  gzipJson,
  makeBatch,
  postIngest,
  rowCounts,
  sampleEvents,
  type TestApp,
} from '../testing/test-app';

let t: TestApp;
beforeEach(() => {
  t = createTestApp();
});
afterEach(() => t.close());

const T0 = 1_700_000_000_000;
const CART = `${SHOP_ORIGIN}/cart`;
const CHECKOUT = `${SHOP_ORIGIN}/checkout`;

/** A visit of two page loads: seq 0 and 1 on the cart page, seq 2 on checkout. */
const visit = [
  makeBatch({ seq: 0, pageId: 'page-cart', url: CART, events: sampleEvents(T0, 4, CART) }),
  makeBatch({ seq: 1, pageId: 'page-cart', url: CART, events: sampleEvents(T0 + 5_000, 3, CART).slice(2) }),
  makeBatch({ seq: 2, pageId: 'page-checkout', url: CHECKOUT, events: sampleEvents(T0 + 60_000, 5, CHECKOUT) }),
];

async function detail(id = 'session-0001'): Promise<SessionDetail> {
  const res = await t.app.request(`/api/sessions/${id}`, { headers: adminHeaders() });
  expect(res.status).toBe(200);
  return (await res.json()) as SessionDetail;
}

describe('storing batches', () => {
  it('stores a retried batch once and reports the duplicate', async () => {
    const body = gzipJson(visit[0]);
    const first = await postIngest(t.app, t.site.key, body);
    expect(await first.json()).toEqual({ stored: true, duplicate: false });
    const retry = await postIngest(t.app, t.site.key, body);
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ stored: false, duplicate: true });
    expect(rowCounts(t.db)).toEqual({ sessions: 1, pages: 1, chunks: 1 });
    expect((await detail()).eventCount).toBe(4);
  });

  it('keeps session metadata: times, pages, entry URL, counts and the Chrome user agent', async () => {
    for (const batch of visit) expect((await postIngest(t.app, t.site.key, gzipJson(batch))).status).toBe(200);
    const session = await detail();
    expect(session).toMatchObject({
      id: 'session-0001',
      siteId: t.site.id,
      startedAt: T0,
      endedAt: T0 + 60_000 + 40,
      durationMs: 60_040,
      pageCount: 2,
      eventCount: 4 + 1 + 5,
      entryUrl: CART,
      browser: 'Chrome',
      browserVersion: '131.0.0.0',
      os: 'Windows',
      device: 'desktop',
    });
    expect(session.pages).toEqual([
      { id: 'page-cart', url: CART, startedAt: T0 },
      { id: 'page-checkout', url: CHECKOUT, startedAt: T0 + 60_000 },
    ]);
  });

  it('reaches the same metadata when batches arrive out of order', async () => {
    for (const index of [2, 1, 0]) expect((await postIngest(t.app, t.site.key, gzipJson(visit[index]))).status).toBe(200);
    const session = await detail();
    expect(session).toMatchObject({ startedAt: T0, endedAt: T0 + 60_040, pageCount: 2, eventCount: 10, entryUrl: CART });
    expect(session.pages.map((page) => [page.id, page.startedAt])).toEqual([
      ['page-cart', T0],
      ['page-checkout', T0 + 60_000],
    ]);
  });

  it('parses the user agent of the first batch only', async () => {
    await postIngest(t.app, t.site.key, gzipJson(visit[0]));
    await postIngest(t.app, t.site.key, gzipJson(visit[1]), { headers: { 'user-agent': 'curl/8.0' } });
    expect((await detail()).browser).toBe('Chrome');
    expect(t.db.prepare('SELECT user_agent FROM sessions').pluck().get()).toMatch(/Chrome\/131/);
  });

  it('records chunk bounds and event counts', async () => {
    await postIngest(t.app, t.site.key, gzipJson(visit[2]));
    const chunk = t.db.prepare('SELECT seq, page_id, first_ts, last_ts, event_count FROM chunks').get();
    expect(chunk).toEqual({ seq: 2, page_id: 'page-checkout', first_ts: T0 + 60_000, last_ts: T0 + 60_040, event_count: 5 });
  });
});

describe('later batches of a session already seen', () => {
  it('answer a retry on the short path as a duplicate, storing nothing twice', async () => {
    for (const batch of visit.slice(0, 2)) await postIngest(t.app, t.site.key, gzipJson(batch));
    const retry = await postIngest(t.app, t.site.key, gzipJson(visit[1]));
    expect(await retry.json()).toEqual({ stored: false, duplicate: true });
    expect(rowCounts(t.db)).toEqual({ sessions: 1, pages: 1, chunks: 2 });
    expect((await detail()).eventCount).toBe(5);
  });

  it('treat a retry under a new page id as a duplicate, adding no page', async () => {
    await postIngest(t.app, t.site.key, gzipJson(visit[0]));
    const retry = await postIngest(t.app, t.site.key, gzipJson({ ...visit[0], pageId: 'page-other' }));
    expect(await retry.json()).toEqual({ stored: false, duplicate: true });
    expect(rowCounts(t.db)).toEqual({ sessions: 1, pages: 1, chunks: 1 });
    expect((await detail()).pageCount).toBe(1);
  });

  it('refuse the session to another site without a lookup', async () => {
    await postIngest(t.app, t.site.key, gzipJson(visit[0]));
    const other = t.repos.sites.create({ name: 'Other', origins: [SHOP_ORIGIN] });
    const res = await postIngest(t.app, other.key, gzipJson(visit[1]));
    expect(res.status).toBe(409);
    expect(rowCounts(t.db)).toEqual({ sessions: 1, pages: 1, chunks: 1 });
  });

  it('queue each stored batch for analysis once, on every path (new session, known page, new page, duplicate)', async () => {
    for (const batch of [...visit, visit[1]!, visit[2]!]) await postIngest(t.app, t.site.key, gzipJson(batch));
    const queued = t.db.prepare('SELECT seq FROM analysis_queue ORDER BY seq').pluck().all();
    expect(queued).toEqual([0, 1, 2]);
  });

  it('start a new page load afresh when the session was deleted behind the server', async () => {
    await postIngest(t.app, t.site.key, gzipJson(visit[0]));
    t.db.prepare('DELETE FROM sessions').run();
    const res = await postIngest(t.app, t.site.key, gzipJson(visit[2]));
    expect(await res.json()).toEqual({ stored: true, duplicate: false });
    expect(rowCounts(t.db)).toEqual({ sessions: 1, pages: 1, chunks: 1 });
    expect(await detail()).toMatchObject({ pageCount: 1, entryUrl: CHECKOUT, eventCount: 5 });
  });

  it('are stored afresh when the session was deleted behind the server', async () => {
    await postIngest(t.app, t.site.key, gzipJson(visit[0]));
    t.db.prepare('DELETE FROM sessions').run();
    const res = await postIngest(t.app, t.site.key, gzipJson(visit[1]));
    expect(await res.json()).toEqual({ stored: true, duplicate: false });
    expect(rowCounts(t.db)).toEqual({ sessions: 1, pages: 1, chunks: 1 });
    expect((await detail()).startedAt).toBe(visit[1]!.events[0]!.timestamp);
  });
});
