import { expect, it } from 'vitest';
import { describeBothBackends, type TestBackend } from '../../../test/support/both-backends';
import { clickRow, type ClickRow } from '../heatmaps/click-row';
import { createPgHeatmapKeysRepo } from './postgres/pg-heatmap-keys-repo';

const ORIGIN = 'https://shop.example';
const PAGE = `${ORIGIN}/checkout`;
const T0 = Date.UTC(2026, 8, 7, 10);

const click = (ts: number, selector: string, pageUrl = PAGE): ClickRow =>
  clickRow({ ts, viewportWidth: 1280, selector, offsetX: 0.25, offsetY: 0.75, x: 100, y: 300, screenY: null, documentWidth: 1280, documentHeight: 2000, fixed: false, label: `button "${selector}"`, pageUrl });

/** A site with one session of one page load and `batches` stored batches. */
async function seed({ repos }: TestBackend, sessionId = 'sess-1', batches = 2) {
  const site = await repos.sites.create({ name: 'Shop', origins: [ORIGIN] }, T0);
  await repos.sessions.insert({ id: sessionId, siteId: site.id, startedAt: T0, endedAt: T0, eventCount: 1, entryUrl: PAGE, userAgent: null, browser: null, browserVersion: null, os: null, device: 'desktop', receivedAt: T0 });
  await repos.pages.insert({ sessionId, pageId: 'page-1', url: PAGE, startedAt: T0 });
  for (let seq = 0; seq < batches; seq++) {
    await repos.chunks.insert({ sessionId, seq, pageId: 'page-1', firstTs: T0 + seq * 1000, lastTs: T0 + seq * 1000, eventCount: 1, body: Buffer.from([seq]), receivedAt: T0 });
  }
  return site;
}

describeBothBackends('heatmap repositories', (backend) => {
  it('keeps one id per page and selector of a site, and lists a site’s pages only', async () => {
    const { keys } = backend().repos.heatmaps;
    const shop = await seed(backend());
    const other = await backend().repos.sites.create({ name: 'Other', origins: [ORIGIN] }, T0);
    const cart = await keys.pageRef(shop.id, `${ORIGIN}/cart`);
    expect(await keys.pageRef(shop.id, `${ORIGIN}/cart`)).toBe(cart);
    const checkout = await keys.pageRef(shop.id, PAGE);
    expect(checkout).not.toBe(cart);
    const elsewhere = await keys.pageRef(other.id, `${ORIGIN}/cart`);
    expect(elsewhere).not.toBe(cart);
    const buy = await keys.selectorId(shop.id, '#buy');
    expect(await keys.selectorId(shop.id, '#buy')).toBe(buy);
    expect(await keys.selectorId(shop.id, '#menu')).not.toBe(buy);
    await keys.forget();
    expect(await keys.pageRef(shop.id, PAGE)).toBe(checkout);
    expect(await keys.pagesOfSite(shop.id)).toEqual([
      { id: cart, path: `${ORIGIN}/cart` },
      { id: checkout, path: PAGE },
    ]);
    expect(await keys.pagesOfSite(other.id)).toEqual([{ id: elsewhere, path: `${ORIGIN}/cart` }]);
  });

  it('stores a batch’s clicks under its page, keeps them when analysed again unchanged, and counts each placement once', async () => {
    const { heatmaps } = backend().repos;
    const site = await seed(backend());
    const batch = { siteId: site.id, sessionId: 'sess-1', seq: 0, pageId: 'page-1' };
    const rows = [click(T0 + 10, '#buy'), click(T0 + 20, '#buy'), click(T0 + 30, '#menu', `${ORIGIN}/checkout?step=2`)];
    await heatmaps.clicks.replaceBatch(batch, rows);
    const page = await heatmaps.keys.pageRef(site.id, PAGE);
    const stored = await heatmaps.clicks.listByPage('sess-1', 'page-1');
    expect(stored.map(({ ts, pageRef, rage, dead, error }) => ({ ts, pageRef, rage, dead, error }))).toEqual(
      rows.map((row) => ({ ts: row.ts, pageRef: page, rage: false, dead: false, error: false })),
    );
    // Analysed again with the same clicks: the rows and their placement stay as they are.
    await heatmaps.clicks.place(site.id, stored[0]!.id, { pageRef: page, rage: true, dead: false, error: true });
    await heatmaps.clicks.replaceBatch(batch, rows);
    const again = await heatmaps.clicks.listByPage('sess-1', 'page-1');
    expect(again.map((row) => row.id)).toEqual(stored.map((row) => row.id));
    expect(again[0]).toMatchObject({ rage: true, error: true });

    const all = { from: -1e9, to: 1e9 };
    const elements = () => heatmaps.queries.elements(site.id, [page], 'desktop', null);
    expect(await elements()).toEqual([
      { selector: '#buy', label: 'button "#buy"', clicks: 2, rage: 1, dead: 0, error: 1 },
      { selector: '#menu', label: 'button "#menu"', clicks: 1, rage: 0, dead: 0, error: 0 },
    ]);
    expect(await heatmaps.queries.pageTotals(site.id, 'desktop', all)).toEqual([{ path: PAGE, clicks: 3, rage: 1, dead: 0, error: 1 }]);
    expect(await heatmaps.queries.elementSessions(site.id, [page], 'desktop', '#buy', 'rage', 0, 8.64e15, 10)).toEqual([
      { sessionId: 'sess-1', startedAt: T0, clickTs: T0 + 10, clicks: 1, rage: 1, dead: 0, error: 1 },
    ]);
    expect(await heatmaps.queries.elementSessions(site.id, [page], 'desktop', '#buy', 'dead', 0, 8.64e15, 10)).toEqual([]);

    // Placed nowhere: no longer counted; placed on another page: counted there.
    const cart = await heatmaps.keys.pageRef(site.id, `${ORIGIN}/cart`);
    await heatmaps.clicks.place(site.id, stored[1]!.id, { pageRef: null, rage: false, dead: false, error: false });
    await heatmaps.clicks.place(site.id, stored[2]!.id, { pageRef: cart, rage: false, dead: true, error: false });
    expect(await elements()).toEqual([{ selector: '#buy', label: 'button "#buy"', clicks: 1, rage: 1, dead: 0, error: 1 }]);
    expect((await heatmaps.queries.cells(site.id, [cart], 'desktop', null)).map(({ selector, clicks, dead }) => ({ selector, clicks, dead }))).toEqual([{ selector: '#menu', clicks: 1, dead: 1 }]);
    expect(sortedTotals(await heatmaps.queries.pageTotals(site.id, null, all))).toEqual([
      { path: `${ORIGIN}/cart`, clicks: 1, rage: 0, dead: 1, error: 0 },
      { path: PAGE, clicks: 1, rage: 1, dead: 0, error: 1 },
    ]);

    // Other clicks for the batch replace its rows, and their counts.
    await heatmaps.clicks.replaceBatch(batch, [click(T0 + 40, '#pay')]);
    expect((await heatmaps.clicks.listByPage('sess-1', 'page-1')).map((row) => row.ts)).toEqual([T0 + 40]);
    expect((await elements()).map((row) => [row.selector, row.clicks])).toEqual([['#pay', 1]]);
    expect(await heatmaps.queries.cells(site.id, [cart], 'desktop', null)).toEqual([]);
  });

  it('counts the scroll depths placed on a page and device, and none placed nowhere', async () => {
    const { heatmaps } = backend().repos;
    const site = await seed(backend());
    const page = await heatmaps.keys.pageRef(site.id, PAGE);
    await heatmaps.scrolls.replaceBatch({ siteId: site.id, sessionId: 'sess-1', seq: 0, pageId: 'page-1' }, [
      { ts: T0 + 10, maxY: 1000, documentHeight: 2000, viewportHeight: 800 },
      { ts: T0 + 20, maxY: 2000, documentHeight: 2000, viewportHeight: 800 },
    ]);
    const depths = await heatmaps.scrolls.listByPage('sess-1', 'page-1');
    expect(depths.map(({ ts, maxY, pageRef, device }) => ({ ts, maxY, pageRef, device }))).toEqual([
      { ts: T0 + 10, maxY: 1000, pageRef: null, device: null },
      { ts: T0 + 20, maxY: 2000, pageRef: null, device: null },
    ]);
    expect(await heatmaps.queries.scrollSteps(site.id, [page], 'desktop', null)).toEqual([]);
    await heatmaps.scrolls.place(site.id, depths[1]!.id, { pageRef: page, device: 'desktop' });
    const steps = await heatmaps.queries.scrollSteps(site.id, [page], 'desktop', null);
    expect(steps.map(({ views, sumFold, sumViewportHeight }) => ({ views, sumFold, sumViewportHeight }))).toEqual([{ views: 1, sumFold: 400, sumViewportHeight: 800 }]);
    await heatmaps.scrolls.place(site.id, depths[1]!.id, null);
    expect(await heatmaps.queries.scrollSteps(site.id, [page], 'desktop', null)).toEqual([]);
  });

  it('chooses the settled load at the most common width to draw over, and reads its batches up to a moment', async () => {
    const { heatmaps, sessions, pages, chunks } = backend().repos;
    const site = await seed(backend());
    const page = await heatmaps.keys.pageRef(site.id, PAGE);
    const load = { sessionId: 'sess-1', pageId: 'page-1', pageRef: page, device: 'desktop' as const, width: 1280, height: 900, snapshotTs: T0, momentTs: null, complete: false };
    await heatmaps.loads.put(load);
    expect(await heatmaps.loads.choose(site.id, [page], 'desktop', 1000)).toEqual(load);
    // Judged again: the same row, with its moment now known.
    await heatmaps.loads.put({ ...load, momentTs: T0 + 500 });
    expect(await heatmaps.loads.choose(site.id, [page], 'desktop', 1000)).toEqual({ ...load, momentTs: T0 + 500 });
    // A later load whose moment is settled wins over the unsettled one.
    await sessions.insert({ id: 'sess-2', siteId: site.id, startedAt: T0, endedAt: T0, eventCount: 1, entryUrl: PAGE, userAgent: null, browser: null, browserVersion: null, os: null, device: 'desktop', receivedAt: T0 });
    await pages.insert({ sessionId: 'sess-2', pageId: 'page-1', url: PAGE, startedAt: T0 });
    const settled = { ...load, sessionId: 'sess-2', snapshotTs: T0 - 5000, momentTs: T0 - 2000, complete: true };
    await heatmaps.loads.put(settled);
    expect(await heatmaps.loads.choose(site.id, [page], 'desktop', 1000)).toEqual(settled);
    expect(await heatmaps.loads.choose(site.id, [page], 'mobile', 1000)).toBeUndefined();
    await pages.insert({ sessionId: 'sess-1', pageId: 'page-2', url: PAGE, startedAt: T0 });
    await chunks.insert({ sessionId: 'sess-1', seq: 2, pageId: 'page-2', firstTs: T0, lastTs: T0, eventCount: 1, body: Buffer.from([9]), receivedAt: T0 });
    expect(await heatmaps.loads.bodiesUntil('sess-1', 'page-1', T0 + 999)).toEqual([Buffer.from([0])]);
    expect(await heatmaps.loads.bodiesUntil('sess-1', 'page-1', T0 + 1000)).toEqual([Buffer.from([0]), Buffer.from([1])]);
  });

  it('gives two transactions creating the same page at once the same id [PostgreSQL]', async (context) => {
    const { pool, kind } = backend();
    if (kind !== 'postgres' || !pool) return context.skip();
    const site = await seed(backend());
    const [first, second] = [await pool.connect(), await pool.connect()];
    try {
      await first.query('BEGIN');
      await second.query('BEGIN');
      const fromFirst = await createPgHeatmapKeysRepo(first).pageRef(site.id, `${ORIGIN}/new`);
      // The second waits on the first's uncommitted row, then is given that row's id.
      const fromSecond = createPgHeatmapKeysRepo(second).pageRef(site.id, `${ORIGIN}/new`);
      // This database's sessions only: the run's other test files share the cluster.
      const waiting = async () => (await pool.query<{ n: number }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`)).rows[0]!.n;
      while ((await waiting()) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      await first.query('COMMIT');
      expect(await fromSecond).toBe(fromFirst);
      await second.query('COMMIT');
    } finally {
      first.release();
      second.release();
    }
    expect(await backend().repos.heatmaps.keys.pagesOfSite(site.id)).toEqual([{ id: expect.any(Number), path: `${ORIGIN}/new` }]);
  });
});

const sortedTotals = <T extends { path: string }>(rows: T[]) => rows.slice().sort((a, b) => (a.path < b.path ? -1 : 1));
