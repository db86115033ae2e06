import { describe, expect, it } from 'vitest';
import { describeBothBackends, type TestBackend } from '../../../test/support/both-backends';
import { clickRow } from '../heatmaps/click-row';
import { DAY_MS } from '../heatmaps/heatmap-constants';
import { weekSpan } from './heatmap-queries-repo';

const PAGE = 'https://shop.example/checkout';
/** Monday 2026-09-07 00:00 UTC. */
const MONDAY = Date.UTC(2026, 8, 7);
const dayNumber = (ts: number) => Math.floor(ts / DAY_MS);

/** Clicks on days -9 to +30 around MONDAY, a few per day on three selectors, placed on the page with some rage ones. */
async function seedClicks({ repos }: TestBackend): Promise<{ siteId: string; pageRef: number }> {
  const { sites, sessions, pages, chunks, heatmaps } = repos;
  const site = await sites.create({ name: 'Shop', origins: ['https://shop.example'] }, MONDAY);
  const pageRef = await heatmaps.keys.pageRef(site.id, PAGE);
  await sessions.insert({ id: 'sess-1', siteId: site.id, startedAt: MONDAY, endedAt: MONDAY, eventCount: 1, entryUrl: PAGE, userAgent: null, browser: null, browserVersion: null, os: null, device: 'desktop', receivedAt: MONDAY });
  await pages.insert({ sessionId: 'sess-1', pageId: 'page-1', url: PAGE, startedAt: MONDAY });
  let seq = 0;
  for (let day = -9; day <= 30; day++) {
    await chunks.insert({ sessionId: 'sess-1', seq, pageId: 'page-1', firstTs: MONDAY, lastTs: MONDAY, eventCount: 1, body: Buffer.from([0x1f, 0x8b]), receivedAt: MONDAY });
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
    await heatmaps.clicks.replaceBatch({ siteId: site.id, sessionId: 'sess-1', seq, pageId: 'page-1' }, rows);
    seq++;
  }
  for (const click of await heatmaps.clicks.listByPage('sess-1', 'page-1')) {
    await heatmaps.clicks.place(site.id, click.id, { pageRef, rage: click.id % 3 === 0, dead: false, error: click.id % 5 === 0 });
  }
  return { siteId: site.id, pageRef };
}

/** Flags are 0/1 on SQLite and booleans on PostgreSQL: counted the same way on both. */
const count = (column: string) => `sum(CASE WHEN c.${column} THEN 1 ELSE 0 END)`;

/** The cells of a range added up from the click rows themselves. */
function cellsFromClicks(backend: TestBackend, pageRef: number, from: number, to: number) {
  return backend.rows(
    `SELECT s.selector, c.bin_x AS "binX", c.bin_y AS "binY", count(*) AS clicks, ${count('rage')} AS rage, ${count('dead')} AS dead,
       ${count('error')} AS error, ${count('fixed')} AS fixed, sum(c.fallback_x) AS "sumX", sum(c.fallback_y) AS "sumY"
     FROM heatmap_clicks c JOIN heatmap_selectors s ON s.id = c.selector_id
     WHERE c.page_ref = ? AND c.device = 'desktop' AND c.day BETWEEN ? AND ?
     GROUP BY c.selector_id, s.selector, c.bin_x, c.bin_y ORDER BY c.selector_id, c.bin_x, c.bin_y`,
    [pageRef, from, to],
  );
}

describe('heatmap queries repository: weeks of a range of days', () => {
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

});

describeBothBackends('heatmap queries repository: cells over a range of days', (backend) => {
  it('gives for every range the same cells as adding up the clicks of its days', async () => {
    const { siteId, pageRef } = await seedClicks(backend());
    const { queries } = backend().repos.heatmaps;
    const cells = (from: number, to: number) => queries.cells(siteId, [pageRef], 'desktop', { from, to });
    const expected = (from: number, to: number) => cellsFromClicks(backend(), pageRef, from, to);
    const first = dayNumber(MONDAY) - 9;
    const ranges: Array<[number, number]> = [];
    // Every start and length up to 40 days over the seeded span (and a day each side of it).
    for (let from = first - 1; from <= first + 40; from += 1) for (let length = 1; length <= 40; length += 3) ranges.push([from, from + length - 1]);
    for (const [from, to] of ranges) expect(await cells(from, to), `days ${from} to ${to}`).toEqual(await expected(from, to));
    // Open-ended ranges (a from or a to alone) and all time too.
    expect(await cells(-1e9, first + 20)).toEqual(await expected(-1e9, first + 20));
    expect(await cells(first + 3, 1e9)).toEqual(await expected(first + 3, 1e9));
    expect(await queries.cells(siteId, [pageRef], 'desktop', null)).toEqual(await expected(-1e9, 1e9));
    // And the clicks of one day taken away again are taken out of its week.
    await backend().exec('DELETE FROM heatmap_clicks WHERE day = ?', [first + 16]);
    expect(await cells(first, first + 30)).toEqual(await expected(first, first + 30));
  });
});
