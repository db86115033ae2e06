import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clickRow } from '../heatmaps/click-row';
import { DAY_MS } from '../heatmaps/heatmap-constants';
import { createTestApp, type TestApp } from '../testing/test-app';
import { weekSpan } from './heatmap-queries-repo';

let t: TestApp;
beforeEach(() => {
  t = createTestApp();
});
afterEach(() => t.close());

const PAGE = 'https://shop.example/checkout';
/** Monday 2026-09-07 00:00 UTC. */
const MONDAY = Date.UTC(2026, 8, 7);
const dayNumber = (ts: number) => Math.floor(ts / DAY_MS);

/** Clicks on days -9 to +30 around MONDAY, a few per day on three selectors, placed on the page with some rage ones. */
function seedClicks(): number {
  const { sessions, pages, chunks, heatmaps } = t.repos;
  const pageRef = heatmaps.keys.pageRef(t.site.id, PAGE);
  sessions.insert({ id: 'sess-1', siteId: t.site.id, startedAt: MONDAY, endedAt: MONDAY, eventCount: 1, entryUrl: PAGE, userAgent: null, browser: null, browserVersion: null, os: null, device: 'desktop', receivedAt: MONDAY });
  pages.insert({ sessionId: 'sess-1', pageId: 'page-1', url: PAGE, startedAt: MONDAY });
  let seq = 0;
  for (let day = -9; day <= 30; day++) {
    chunks.insert({ sessionId: 'sess-1', seq, pageId: 'page-1', firstTs: MONDAY, lastTs: MONDAY, eventCount: 1, body: Buffer.from([0x1f, 0x8b]), receivedAt: MONDAY });
    const rows = Array.from({ length: 1 + ((day * 7 + 40) % 5) }, (_, i) =>
      clickRow({
        ts: MONDAY + day * DAY_MS + i * 3_600_000,
        viewportWidth: 1280,
        selector: `#b${(day + i + 20) % 3}`,
        offsetX: ((i * 37) % 100) / 100,
        offsetY: ((day * 13 + 50) % 100) / 100,
        x: 100 + i,
        y: 200 + day,
        screenY: null,
        documentWidth: 1280,
        documentHeight: 2000,
        fixed: i % 4 === 0,
        label: null,
        pageUrl: PAGE,
      }),
    );
    heatmaps.clicks.replaceBatch({ siteId: t.site.id, sessionId: 'sess-1', seq, pageId: 'page-1' }, rows);
    seq++;
  }
  for (const click of heatmaps.clicks.listByPage('sess-1', 'page-1')) heatmaps.clicks.place(click.id, { pageRef, rage: click.id % 3 === 0, dead: false, error: click.id % 5 === 0 });
  return pageRef;
}

/** The cells of a range added up from the click rows themselves. */
function cellsFromClicks(pageRef: number, from: number, to: number) {
  return t.db
    .prepare(
      `SELECT s.selector, c.bin_x AS binX, c.bin_y AS binY, count(*) AS clicks, sum(c.rage) AS rage, sum(c.dead) AS dead, sum(c.error) AS error,
         sum(c.fixed) AS fixed, sum(c.fallback_x) AS sumX, sum(c.fallback_y) AS sumY
       FROM heatmap_clicks c JOIN heatmap_selectors s ON s.id = c.selector_id
       WHERE c.page_ref = ? AND c.device = 'desktop' AND c.day BETWEEN ? AND ?
       GROUP BY c.selector_id, c.bin_x, c.bin_y ORDER BY c.selector_id, c.bin_x, c.bin_y`,
    )
    .all(pageRef, from, to);
}

describe('heatmap queries repository: cells over a range of days', () => {
  it('splits a range into the whole Monday-based weeks inside it and the days at its edges', () => {
    const monday = dayNumber(MONDAY);
    // Monday to the Sunday 13 days later: two whole weeks, no edge days.
    expect(weekSpan({ from: monday, to: monday + 13 })).toMatchObject({ lastWeek: expect.any(Number), headTo: monday - 1, tailFrom: monday + 14 });
    const { firstWeek, lastWeek } = weekSpan({ from: monday, to: monday + 13 });
    expect(lastWeek - firstWeek).toBe(1);
    // Tuesday to the Monday 13 days later: one whole week, six days before it and one after.
    expect(weekSpan({ from: monday + 1, to: monday + 14 })).toMatchObject({ headTo: monday + 6, tailFrom: monday + 14 });
    // Six days never hold a whole week: all of it comes from the day rows.
    const short = weekSpan({ from: monday + 1, to: monday + 6 });
    expect(short.firstWeek > short.lastWeek).toBe(true);
    expect(short).toMatchObject({ from: monday + 1, headTo: monday + 6 });
  });

  it('gives for every range the same cells as adding up the clicks of its days', () => {
    const pageRef = seedClicks();
    const first = dayNumber(MONDAY) - 9;
    const ranges: Array<[number, number]> = [];
    // Every start and length up to 40 days over the seeded span (and a day each side of it).
    for (let from = first - 1; from <= first + 40; from += 1) for (let length = 1; length <= 40; length += 3) ranges.push([from, from + length - 1]);
    for (const [from, to] of ranges) {
      expect(t.repos.heatmaps.queries.cells([pageRef], 'desktop', { from, to }), `days ${from} to ${to}`).toEqual(cellsFromClicks(pageRef, from, to));
    }
    // Open-ended ranges (a from or a to alone) too.
    expect(t.repos.heatmaps.queries.cells([pageRef], 'desktop', { from: -1e9, to: first + 20 })).toEqual(cellsFromClicks(pageRef, -1e9, first + 20));
    expect(t.repos.heatmaps.queries.cells([pageRef], 'desktop', { from: first + 3, to: 1e9 })).toEqual(cellsFromClicks(pageRef, first + 3, 1e9));
    // And the clicks of one day taken away again are taken out of its week.
    t.db.prepare('DELETE FROM heatmap_clicks WHERE day = ?').run(first + 16);
    expect(t.repos.heatmaps.queries.cells([pageRef], 'desktop', { from: first, to: first + 30 })).toEqual(cellsFromClicks(pageRef, first, first + 30));
  });
});
