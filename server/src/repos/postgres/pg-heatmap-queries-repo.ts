// Reads the heatmap aggregates the click and scroll triggers keep on PostgreSQL: cells, elements, pages, scroll steps, and the sessions behind an element.
import type { HeatmapDevice, HeatmapKind } from '../../api-types';
import { weekSpan, type CellRow, type DayRange, type ElementRow, type ElementSessionRow, type HeatmapQueriesRepo, type PageTotalsRow, type ScrollStepRow } from '../heatmap-queries-repo';
import type { Async } from '../maybe-async';
import { statement, type Queryable } from './pg-statement';

const ALL_DAYS: DayRange = { from: -1e9, to: 1e9 };
/** Every lookup is on the site's key: $1 the site, $2 its page refs, $3 the device class (columns of table alias `t`). */
const pagesOf = (t: string) => `${t}.site_id = $1 AND ${t}.page_ref = ANY ($2::bigint[]) AND ${t}.device = $3`;

const CELL_COLUMNS = `s.selector, c.bin_x AS "binX", c.bin_y AS "binY", sum(c.clicks) AS clicks, sum(c.rage) AS rage, sum(c.dead) AS dead,
  sum(c.error) AS error, sum(c.fixed) AS fixed, sum(c.sum_x) AS "sumX", sum(c.sum_y) AS "sumY"`;
const SELECTOR = 'JOIN heatmap_selectors s ON s.site_id = c.site_id AND s.id = c.selector_id';

const allTimeCells = statement<[string, number[], HeatmapDevice], CellRow>(
  'heatmap_cells_all_time',
  `SELECT ${CELL_COLUMNS} FROM heatmap_cells c ${SELECTOR} WHERE ${pagesOf('c')}
   GROUP BY c.selector_id, s.selector, c.bin_x, c.bin_y ORDER BY c.selector_id, c.bin_x, c.bin_y`,
);
// Whole weeks from the week rows and the days at either edge from the day rows (weekSpan).
const rangeCells = statement<[string, number[], HeatmapDevice, number, number, number, number, number, number], CellRow>(
  'heatmap_cells_range',
  `SELECT ${CELL_COLUMNS} FROM (
     SELECT site_id, selector_id, bin_x, bin_y, clicks, rage, dead, error, fixed, sum_x, sum_y FROM heatmap_cell_weeks w
     WHERE ${pagesOf('w')} AND week BETWEEN $4 AND $5
     UNION ALL
     SELECT site_id, selector_id, bin_x, bin_y, clicks, rage, dead, error, fixed, sum_x, sum_y FROM heatmap_cell_days d
     WHERE ${pagesOf('d')} AND (day BETWEEN $6 AND $7 OR day BETWEEN $8 AND $9)
   ) c ${SELECTOR}
   GROUP BY c.selector_id, s.selector, c.bin_x, c.bin_y ORDER BY c.selector_id, c.bin_x, c.bin_y`,
);
const elements = statement<[string, number[], HeatmapDevice, number, number], ElementRow>(
  'heatmap_elements',
  `SELECT s.selector, max(c.label) AS label, sum(c.clicks) AS clicks, sum(c.rage) AS rage, sum(c.dead) AS dead, sum(c.error) AS error
   FROM heatmap_element_days c ${SELECTOR}
   WHERE ${pagesOf('c')} AND c.day BETWEEN $4 AND $5
   GROUP BY c.selector_id, s.selector ORDER BY clicks DESC, s.selector COLLATE "C"`,
);
const pageTotals = statement<[string, HeatmapDevice | null, number, number], PageTotalsRow>(
  'heatmap_page_totals',
  `SELECT p.path, sum(d.clicks) AS clicks, sum(d.rage) AS rage, sum(d.dead) AS dead, sum(d.error) AS error
   FROM heatmap_pages p JOIN heatmap_page_days d ON d.site_id = p.site_id AND d.page_ref = p.id
   WHERE p.site_id = $1 AND ($2::text IS NULL OR d.device = $2) AND d.day BETWEEN $3 AND $4
   GROUP BY p.id, p.path`,
);
const scrollSteps = statement<[string, number[], HeatmapDevice, number, number], ScrollStepRow>(
  'heatmap_scroll_steps',
  `SELECT step, sum(views) AS views, sum(sum_fold) AS "sumFold", sum(sum_viewport_height) AS "sumViewportHeight"
   FROM heatmap_scroll_days d WHERE ${pagesOf('d')} AND day BETWEEN $4 AND $5
   GROUP BY step ORDER BY step`,
);
/** Over the index (site_id, page_ref, device, selector_id, ts); one statement per kind, as on SQLite. */
const elementSessions = new Map(
  (['all', 'rage', 'dead', 'error'] as const).map((kind) => [
    kind,
    statement<[string, number[], HeatmapDevice, string, number, number, number], ElementSessionRow>(
      `heatmap_element_sessions_${kind}`,
      `SELECT c.session_id AS "sessionId", s.started_at AS "startedAt", min(c.ts) AS "clickTs", count(*) AS clicks,
         count(*) FILTER (WHERE c.rage) AS rage, count(*) FILTER (WHERE c.dead) AS dead, count(*) FILTER (WHERE c.error) AS error
       FROM heatmap_clicks c JOIN sessions s ON s.site_id = c.site_id AND s.id = c.session_id
       WHERE ${pagesOf('c')} AND c.page_ref IS NOT NULL
         AND c.selector_id = (SELECT id FROM heatmap_selectors WHERE site_id = $1 AND selector = $4) AND c.ts >= $5 AND c.ts < $6
         ${kind === 'all' ? '' : `AND c.${kind}`}
       GROUP BY c.session_id, s.started_at ORDER BY max(c.ts) DESC LIMIT $7`,
    ),
  ]),
);

export function createPgHeatmapQueriesRepo(db: Queryable): Async<HeatmapQueriesRepo> {
  return {
    cells(siteId, pageRefs, device, days) {
      if (!days) return allTimeCells.all(db, siteId, [...pageRefs], device);
      const span = weekSpan(days);
      return rangeCells.all(db, siteId, [...pageRefs], device, span.firstWeek, span.lastWeek, span.from, span.headTo, span.tailFrom, span.to);
    },
    elements: (siteId, pageRefs, device, days) => elements.all(db, siteId, [...pageRefs], device, (days ?? ALL_DAYS).from, (days ?? ALL_DAYS).to),
    pageTotals: (siteId, device, days) => pageTotals.all(db, siteId, device, (days ?? ALL_DAYS).from, (days ?? ALL_DAYS).to),
    scrollSteps: (siteId, pageRefs, device, days) => scrollSteps.all(db, siteId, [...pageRefs], device, (days ?? ALL_DAYS).from, (days ?? ALL_DAYS).to),
    elementSessions: (siteId, pageRefs, device, selector, kind, from, to, limit) => elementSessions.get(kind)!.all(db, siteId, [...pageRefs], device, selector, from, to, limit),
  };
}
