// Where each PostgreSQL table's rows come from in a SQLite database, in the order foreign keys allow.

/**
 * One PostgreSQL table and the SQLite rows it is filled from. `from` is a SQLite FROM clause whose
 * main row source is aliased t; `derived` gives the SQLite expression of each PostgreSQL column
 * the SQLite table lacks (the site id of child tables, chunks' partition key, tracked_events' id);
 * every other column is read by its own name from t. `key` is the SQLite key the copy pages on
 * (keyset: unique, indexed, never reused), its columns named on t.
 */
export interface CopyTable {
  name: string;
  from: string;
  key: string[];
  derived?: Record<string, string>;
  /** The SQLite row count the copy must reach; `SELECT count(*) FROM <name>` when omitted. */
  countFrom?: string;
}

/** Child tables of a session take its site id. Inner joins: an orphan is left out and the count check says so. */
const bySession = (name: string, key: string[]): CopyTable => ({
  name,
  from: `${name} t JOIN sessions s ON s.id = t.session_id`,
  key,
  derived: { site_id: 's.site_id' },
});

/** Heatmap aggregates are keyed by page_ref: the heatmap page's site. */
const byHeatmapPage = (name: string, key: string[]): CopyTable => ({
  name,
  from: `${name} t JOIN heatmap_pages hp ON hp.id = t.page_ref`,
  key,
  derived: { site_id: 'hp.site_id' },
});

/**
 * SQLite stores each click target's selector once for all sites; PostgreSQL once per site, under the
 * same id (its key is (site_id, id)), so every (site, selector) pair a row refers to gets a row. A
 * selector no row refers to any more is not copied: it counts against the pairs, not the SQLite table.
 */
const SELECTOR_PAIRS = `(
  SELECT u.site_id, u.id, hs.selector FROM (
    SELECT site_id, selector_id AS id FROM heatmap_clicks
    UNION SELECT hp.site_id, a.selector_id FROM heatmap_cells a JOIN heatmap_pages hp ON hp.id = a.page_ref
    UNION SELECT hp.site_id, a.selector_id FROM heatmap_cell_days a JOIN heatmap_pages hp ON hp.id = a.page_ref
    UNION SELECT hp.site_id, a.selector_id FROM heatmap_cell_weeks a JOIN heatmap_pages hp ON hp.id = a.page_ref
    UNION SELECT hp.site_id, a.selector_id FROM heatmap_element_days a JOIN heatmap_pages hp ON hp.id = a.page_ref
  ) u JOIN heatmap_selectors hs ON hs.id = u.id
)`;

const AGGREGATE_KEY = ['page_ref', 'device'];

/**
 * Parents before children. The aggregates kept by triggers are copied as they are, with the
 * triggers off while their source rows go in (see copyBatch), so PostgreSQL holds what SQLite held.
 */
export const COPY_TABLES: CopyTable[] = [
  { name: 'sites', from: 'sites t', key: ['id'] },
  // first_seq, which only PostgreSQL keeps (migration 008), from the session's batches (chunks' primary key).
  { name: 'sessions', from: 'sessions t', key: ['id'], derived: { first_seq: '(SELECT min(c.seq) FROM chunks c WHERE c.session_id = t.id)' } },
  bySession('pages', ['session_id', 'page_id']),
  {
    name: 'chunks',
    from: 'chunks t JOIN sessions s ON s.id = t.session_id',
    key: ['session_id', 'seq'],
    derived: { site_id: 's.site_id', session_received_at: 's.received_at' },
  },
  bySession('analysis_queue', ['id']),
  bySession('page_signals', ['session_id', 'seq']),
  bySession('analysis_skipped', ['session_id', 'seq']),
  { name: 'friction', from: 'friction t', key: ['id'] },
  { name: 'heatmap_pages', from: 'heatmap_pages t', key: ['id'] },
  { name: 'heatmap_selectors', from: `${SELECTOR_PAIRS} t`, key: ['site_id', 'id'], countFrom: SELECTOR_PAIRS },
  { name: 'heatmap_clicks', from: 'heatmap_clicks t', key: ['id'] },
  byHeatmapPage('heatmap_cells', [...AGGREGATE_KEY, 'selector_id', 'bin_x', 'bin_y']),
  byHeatmapPage('heatmap_cell_days', [...AGGREGATE_KEY, 'day', 'selector_id', 'bin_x', 'bin_y']),
  byHeatmapPage('heatmap_cell_weeks', [...AGGREGATE_KEY, 'week', 'selector_id', 'bin_x', 'bin_y']),
  byHeatmapPage('heatmap_element_days', [...AGGREGATE_KEY, 'day', 'selector_id']),
  byHeatmapPage('heatmap_page_days', [...AGGREGATE_KEY, 'day']),
  { name: 'heatmap_scrolls', from: 'heatmap_scrolls t', key: ['id'] },
  byHeatmapPage('heatmap_scroll_days', [...AGGREGATE_KEY, 'day', 'step']),
  bySession('heatmap_loads', ['session_id', 'page_id']),
  { name: 'goals', from: 'goals t', key: ['id'] },
  { name: 'goal_completions', from: 'goal_completions t JOIN goals g ON g.id = t.goal_id', key: ['goal_id', 'session_id', 'page_id'], derived: { site_id: 'g.site_id' } },
  { name: 'goal_jobs', from: 'goal_jobs t JOIN goals g ON g.id = t.goal_id', key: ['goal_id'], derived: { site_id: 'g.site_id' } },
  { name: 'funnels', from: 'funnels t', key: ['id'] },
  bySession('page_visits', ['session_id', 'page_id', 'url']),
  // No primary key in SQLite: its rowid becomes the identity id.
  { ...bySession('tracked_events', ['rowid']), derived: { site_id: 's.site_id', id: 't.rowid' } },
  bySession('session_sources', ['session_id']),
  { name: 'conversion_reach', from: 'conversion_reach t', key: ['session_id', 'url'] },
  { name: 'form_outcomes', from: 'form_outcomes t', key: ['session_id', 'page_id', 'form', 'path'] },
  bySession('form_outcome_fields', ['session_id', 'page_id', 'form', 'path', 'field']),
  bySession('form_outcome_errors', ['session_id', 'page_id', 'form', 'path', 'field', 'message']),
  { name: 'admin_sessions', from: 'admin_sessions t', key: ['id_hash'] },
];
