// Reads the heatmap aggregates the click and scroll triggers keep: cells, elements, pages, scroll steps, and the sessions behind an element.
import type { Database, Statement } from 'better-sqlite3';
import type { HeatmapDevice, HeatmapKind } from '../api-types';

/** Whole UTC days since the epoch, both included. */
export interface DayRange {
  from: number;
  to: number;
}

export interface CellRow {
  selector: string;
  binX: number;
  binY: number;
  clicks: number;
  rage: number;
  dead: number;
  error: number;
  fixed: number;
  sumX: number;
  sumY: number;
}

export interface ElementRow {
  selector: string;
  label: string | null;
  clicks: number;
  rage: number;
  dead: number;
  error: number;
}

export interface PageTotalsRow {
  path: string;
  clicks: number;
  rage: number;
  dead: number;
  error: number;
}

export interface ScrollStepRow {
  step: number;
  views: number;
  sumFold: number;
  sumViewportHeight: number;
}

export interface ElementSessionRow {
  sessionId: string;
  startedAt: number;
  clickTs: number;
  clicks: number;
  rage: number;
  dead: number;
  error: number;
}

/**
 * The page refs are the site's (keys.pagesOfSite); the site id comes with them because PostgreSQL's
 * keys lead with it.
 */
export interface HeatmapQueriesRepo {
  /** Cells over all time when `days` is null, else over the days (whole weeks from the week rows, the edges from the day rows). */
  cells(siteId: string, pageRefs: readonly number[], device: HeatmapDevice, days: DayRange | null): CellRow[];
  elements(siteId: string, pageRefs: readonly number[], device: HeatmapDevice, days: DayRange | null): ElementRow[];
  /** Clicks per recorded page of the site, on one device class or all. */
  pageTotals(siteId: string, device: HeatmapDevice | null, days: DayRange | null): PageTotalsRow[];
  scrollSteps(siteId: string, pageRefs: readonly number[], device: HeatmapDevice, days: DayRange | null): ScrollStepRow[];
  /** Sessions whose clicks of the kind hit the element between `from` and `to` (ms), latest first. */
  elementSessions(siteId: string, pageRefs: readonly number[], device: HeatmapDevice, selector: string, kind: HeatmapKind, from: number, to: number, limit: number): ElementSessionRow[];
}

const ALL_DAYS: DayRange = { from: -1e9, to: 1e9 };

/** Weeks start on Monday: week w holds days 7w - 3 to 7w + 3 (day 0, 1970-01-01, was a Thursday). */
const firstDayOfWeek = (week: number) => 7 * week - 3;

/**
 * Splits a range of days into the whole weeks inside it and the days before and after them, each
 * part as inclusive bounds; a range holding no whole week is all days (an empty week span).
 */
export function weekSpan({ from, to }: DayRange): { firstWeek: number; lastWeek: number; from: number; headTo: number; tailFrom: number; to: number } {
  const firstWeek = Math.ceil((from + 3) / 7);
  const lastWeek = Math.floor((to + 4) / 7) - 1;
  if (firstWeek > lastWeek) return { firstWeek: 1, lastWeek: 0, from, headTo: to, tailFrom: to + 1, to };
  return { firstWeek, lastWeek, from, headTo: firstDayOfWeek(firstWeek) - 1, tailFrom: firstDayOfWeek(lastWeek + 1), to };
}
const refs = (pageRefs: readonly number[]) => JSON.stringify(pageRefs);

export function createHeatmapQueriesRepo(db: Database): HeatmapQueriesRepo {
  const cellColumns = `s.selector, c.bin_x AS binX, c.bin_y AS binY, sum(c.clicks) AS clicks, sum(c.rage) AS rage, sum(c.dead) AS dead,
    sum(c.error) AS error, sum(c.fixed) AS fixed, sum(c.sum_x) AS sumX, sum(c.sum_y) AS sumY`;
  const allTimeCells = db.prepare<[string, HeatmapDevice], CellRow>(
    `SELECT ${cellColumns} FROM heatmap_cells c JOIN heatmap_selectors s ON s.id = c.selector_id
     WHERE c.page_ref IN (SELECT value FROM json_each(?)) AND c.device = ?
     GROUP BY c.selector_id, c.bin_x, c.bin_y`,
  );
  // A range of days is whole weeks from the week rows plus the days at either edge from the day rows
  // (weekSpan); the ORDER BY keeps the rows in the order the all-time and per-day queries give them.
  const rangeCells = db.prepare<[{ refs: string; device: HeatmapDevice; firstWeek: number; lastWeek: number; from: number; headTo: number; tailFrom: number; to: number }], CellRow>(
    `SELECT ${cellColumns} FROM (
       SELECT selector_id, bin_x, bin_y, clicks, rage, dead, error, fixed, sum_x, sum_y FROM heatmap_cell_weeks
       WHERE page_ref IN (SELECT value FROM json_each(@refs)) AND device = @device AND week BETWEEN @firstWeek AND @lastWeek
       UNION ALL
       SELECT selector_id, bin_x, bin_y, clicks, rage, dead, error, fixed, sum_x, sum_y FROM heatmap_cell_days
       WHERE page_ref IN (SELECT value FROM json_each(@refs)) AND device = @device AND (day BETWEEN @from AND @headTo OR day BETWEEN @tailFrom AND @to)
     ) c JOIN heatmap_selectors s ON s.id = c.selector_id
     GROUP BY c.selector_id, c.bin_x, c.bin_y ORDER BY c.selector_id, c.bin_x, c.bin_y`,
  );
  const elements = db.prepare<[string, HeatmapDevice, number, number], ElementRow>(
    `SELECT s.selector, max(e.label) AS label, sum(e.clicks) AS clicks, sum(e.rage) AS rage, sum(e.dead) AS dead, sum(e.error) AS error
     FROM heatmap_element_days e JOIN heatmap_selectors s ON s.id = e.selector_id
     WHERE e.page_ref IN (SELECT value FROM json_each(?)) AND e.device = ? AND e.day BETWEEN ? AND ?
     GROUP BY e.selector_id ORDER BY clicks DESC, s.selector`,
  );
  const pageTotals = db.prepare<[{ site: string; device: HeatmapDevice | null; from: number; to: number }], PageTotalsRow>(
    `SELECT p.path, sum(d.clicks) AS clicks, sum(d.rage) AS rage, sum(d.dead) AS dead, sum(d.error) AS error
     FROM heatmap_pages p JOIN heatmap_page_days d ON d.page_ref = p.id
     WHERE p.site_id = @site AND (@device IS NULL OR d.device = @device) AND d.day BETWEEN @from AND @to
     GROUP BY p.id`,
  );
  const scrollSteps = db.prepare<[string, HeatmapDevice, number, number], ScrollStepRow>(
    `SELECT step, sum(views) AS views, sum(sum_fold) AS sumFold, sum(sum_viewport_height) AS sumViewportHeight
     FROM heatmap_scroll_days WHERE page_ref IN (SELECT value FROM json_each(?)) AND device = ? AND day BETWEEN ? AND ?
     GROUP BY step ORDER BY step`,
  );
  const sessionsStatements = new Map<HeatmapKind, Statement<[string, HeatmapDevice, string, number, number, number], ElementSessionRow>>();
  for (const kind of ['all', 'rage', 'dead', 'error'] as const) {
    sessionsStatements.set(
      kind,
      db.prepare(
        `SELECT c.session_id AS sessionId, s.started_at AS startedAt, min(c.ts) AS clickTs, count(*) AS clicks,
           sum(c.rage) AS rage, sum(c.dead) AS dead, sum(c.error) AS error
         FROM heatmap_clicks c JOIN sessions s ON s.id = c.session_id
         WHERE c.page_ref IN (SELECT value FROM json_each(?)) AND c.device = ?
           AND c.selector_id = (SELECT id FROM heatmap_selectors WHERE selector = ?) AND c.ts >= ? AND c.ts < ?
           ${kind === 'all' ? '' : `AND c.${kind} = 1`}
         GROUP BY c.session_id ORDER BY max(c.ts) DESC LIMIT ?`,
      ),
    );
  }

  return {
    cells: (_siteId, pageRefs, device, days) => (days ? rangeCells.all({ refs: refs(pageRefs), device, ...weekSpan(days) }) : allTimeCells.all(refs(pageRefs), device)),
    elements: (_siteId, pageRefs, device, days) => elements.all(refs(pageRefs), device, (days ?? ALL_DAYS).from, (days ?? ALL_DAYS).to),
    pageTotals: (siteId, device, days) => pageTotals.all({ site: siteId, device, ...(days ?? ALL_DAYS) }),
    scrollSteps: (_siteId, pageRefs, device, days) => scrollSteps.all(refs(pageRefs), device, (days ?? ALL_DAYS).from, (days ?? ALL_DAYS).to),
    elementSessions: (_siteId, pageRefs, device, selector, kind, from, to, limit) => sessionsStatements.get(kind)!.all(refs(pageRefs), device, selector, from, to, limit),
  };
}
