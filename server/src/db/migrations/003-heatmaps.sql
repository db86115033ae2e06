-- 003: heatmaps: each click and scroll depth as extracted by the analysis pass, aggregates kept by triggers, snapshot candidates, per-site URL patterns.

-- Path patterns (JSON array of strings such as "/product/*") that merge pages sharing a template.
-- Applied when heatmaps are queried, so a change applies to data already recorded.
ALTER TABLE sites ADD COLUMN url_patterns TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(url_patterns) AND json_type(url_patterns) = 'array');

-- A page as heatmaps key it: the URL's origin and path, without query string or fragment.
CREATE TABLE heatmap_pages (
  id INTEGER PRIMARY KEY,
  site_id TEXT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  UNIQUE (site_id, path)
) STRICT;

-- Click targets' stable selectors, stored once: aggregates repeat the id, not the text.
CREATE TABLE heatmap_selectors (
  id INTEGER PRIMARY KEY,
  selector TEXT NOT NULL UNIQUE
) STRICT;

-- One row per recorded click, written by the click consumer with page_ref NULL (counted nowhere),
-- then placed by the page hook once the page is judged: page_ref and the rage/dead/error flags.
-- The triggers below keep every aggregate equal to the sum of the placed rows, whatever inserts,
-- updates or deletes them (a redetect, a session deleted with its chunks).
CREATE TABLE heatmap_clicks (
  id INTEGER PRIMARY KEY,
  site_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  page_id TEXT NOT NULL,
  -- Client clock, ms; day is ts in whole UTC days since the epoch.
  ts INTEGER NOT NULL,
  day INTEGER NOT NULL,
  viewport_width INTEGER NOT NULL,
  device TEXT NOT NULL CHECK (device IN ('desktop', 'tablet', 'mobile')),
  selector_id INTEGER NOT NULL REFERENCES heatmap_selectors (id),
  -- The click's place in its target's box, as fractions (0..1) and as bins of HEATMAP_FRACTION_BINS.
  offset_x REAL NOT NULL,
  offset_y REAL NOT NULL,
  bin_x INTEGER NOT NULL,
  bin_y INTEGER NOT NULL,
  -- Page coordinates (CSS px) and the fallback point: x in 1/10000 of the viewport width, y in page px
  -- (for a fixed or sticky target, its y in the viewport when known: where it stays on screen).
  x INTEGER NOT NULL,
  y INTEGER NOT NULL,
  fallback_x INTEGER NOT NULL,
  fallback_y INTEGER NOT NULL,
  document_width INTEGER NOT NULL,
  document_height INTEGER NOT NULL,
  fixed INTEGER NOT NULL CHECK (fixed IN (0, 1)),
  -- What was pressed, for tables: kind and text of the target ("button \"Place order\"").
  label TEXT,
  page_ref INTEGER REFERENCES heatmap_pages (id),
  rage INTEGER NOT NULL DEFAULT 0 CHECK (rage IN (0, 1)),
  dead INTEGER NOT NULL DEFAULT 0 CHECK (dead IN (0, 1)),
  error INTEGER NOT NULL DEFAULT 0 CHECK (error IN (0, 1)),
  FOREIGN KEY (session_id, seq) REFERENCES chunks (session_id, seq) ON DELETE CASCADE
) STRICT;
CREATE INDEX heatmap_clicks_batch ON heatmap_clicks (session_id, seq);
CREATE INDEX heatmap_clicks_page ON heatmap_clicks (session_id, page_id);
-- The sessions that clicked an element.
CREATE INDEX heatmap_clicks_element ON heatmap_clicks (page_ref, device, selector_id, ts) WHERE page_ref IS NOT NULL;

-- Clicks per page, device and target cell over all time (the default heatmap) and per day (a date range).
CREATE TABLE heatmap_cells (
  page_ref INTEGER NOT NULL,
  device TEXT NOT NULL,
  selector_id INTEGER NOT NULL,
  bin_x INTEGER NOT NULL,
  bin_y INTEGER NOT NULL,
  clicks INTEGER NOT NULL,
  rage INTEGER NOT NULL,
  dead INTEGER NOT NULL,
  error INTEGER NOT NULL,
  fixed INTEGER NOT NULL,
  sum_x INTEGER NOT NULL,
  sum_y INTEGER NOT NULL,
  PRIMARY KEY (page_ref, device, selector_id, bin_x, bin_y)
) STRICT, WITHOUT ROWID;

CREATE TABLE heatmap_cell_days (
  page_ref INTEGER NOT NULL,
  device TEXT NOT NULL,
  day INTEGER NOT NULL,
  selector_id INTEGER NOT NULL,
  bin_x INTEGER NOT NULL,
  bin_y INTEGER NOT NULL,
  clicks INTEGER NOT NULL,
  rage INTEGER NOT NULL,
  dead INTEGER NOT NULL,
  error INTEGER NOT NULL,
  fixed INTEGER NOT NULL,
  sum_x INTEGER NOT NULL,
  sum_y INTEGER NOT NULL,
  PRIMARY KEY (page_ref, device, day, selector_id, bin_x, bin_y)
) STRICT, WITHOUT ROWID;

-- Clicks per target element and per page, per day.
CREATE TABLE heatmap_element_days (
  page_ref INTEGER NOT NULL,
  device TEXT NOT NULL,
  day INTEGER NOT NULL,
  selector_id INTEGER NOT NULL,
  clicks INTEGER NOT NULL,
  rage INTEGER NOT NULL,
  dead INTEGER NOT NULL,
  error INTEGER NOT NULL,
  label TEXT,
  PRIMARY KEY (page_ref, device, day, selector_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE heatmap_page_days (
  page_ref INTEGER NOT NULL,
  device TEXT NOT NULL,
  day INTEGER NOT NULL,
  clicks INTEGER NOT NULL,
  rage INTEGER NOT NULL,
  dead INTEGER NOT NULL,
  error INTEGER NOT NULL,
  PRIMARY KEY (page_ref, device, day)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER heatmap_clicks_count AFTER INSERT ON heatmap_clicks WHEN new.page_ref IS NOT NULL BEGIN
  INSERT INTO heatmap_cells VALUES (new.page_ref, new.device, new.selector_id, new.bin_x, new.bin_y, 1, new.rage, new.dead, new.error, new.fixed, new.fallback_x, new.fallback_y)
    ON CONFLICT DO UPDATE SET clicks = clicks + 1, rage = rage + excluded.rage, dead = dead + excluded.dead, error = error + excluded.error,
      fixed = fixed + excluded.fixed, sum_x = sum_x + excluded.sum_x, sum_y = sum_y + excluded.sum_y;
  INSERT INTO heatmap_cell_days VALUES (new.page_ref, new.device, new.day, new.selector_id, new.bin_x, new.bin_y, 1, new.rage, new.dead, new.error, new.fixed, new.fallback_x, new.fallback_y)
    ON CONFLICT DO UPDATE SET clicks = clicks + 1, rage = rage + excluded.rage, dead = dead + excluded.dead, error = error + excluded.error,
      fixed = fixed + excluded.fixed, sum_x = sum_x + excluded.sum_x, sum_y = sum_y + excluded.sum_y;
  INSERT INTO heatmap_element_days VALUES (new.page_ref, new.device, new.day, new.selector_id, 1, new.rage, new.dead, new.error, new.label)
    ON CONFLICT DO UPDATE SET clicks = clicks + 1, rage = rage + excluded.rage, dead = dead + excluded.dead, error = error + excluded.error,
      label = coalesce(excluded.label, label);
  INSERT INTO heatmap_page_days VALUES (new.page_ref, new.device, new.day, 1, new.rage, new.dead, new.error)
    ON CONFLICT DO UPDATE SET clicks = clicks + 1, rage = rage + excluded.rage, dead = dead + excluded.dead, error = error + excluded.error;
END;

CREATE TRIGGER heatmap_clicks_uncount AFTER DELETE ON heatmap_clicks WHEN old.page_ref IS NOT NULL BEGIN
  UPDATE heatmap_cells SET clicks = clicks - 1, rage = rage - old.rage, dead = dead - old.dead, error = error - old.error,
      fixed = fixed - old.fixed, sum_x = sum_x - old.fallback_x, sum_y = sum_y - old.fallback_y
    WHERE page_ref = old.page_ref AND device = old.device AND selector_id = old.selector_id AND bin_x = old.bin_x AND bin_y = old.bin_y;
  DELETE FROM heatmap_cells
    WHERE page_ref = old.page_ref AND device = old.device AND selector_id = old.selector_id AND bin_x = old.bin_x AND bin_y = old.bin_y AND clicks = 0;
  UPDATE heatmap_cell_days SET clicks = clicks - 1, rage = rage - old.rage, dead = dead - old.dead, error = error - old.error,
      fixed = fixed - old.fixed, sum_x = sum_x - old.fallback_x, sum_y = sum_y - old.fallback_y
    WHERE page_ref = old.page_ref AND device = old.device AND day = old.day AND selector_id = old.selector_id AND bin_x = old.bin_x AND bin_y = old.bin_y;
  DELETE FROM heatmap_cell_days
    WHERE page_ref = old.page_ref AND device = old.device AND day = old.day AND selector_id = old.selector_id AND bin_x = old.bin_x AND bin_y = old.bin_y AND clicks = 0;
  UPDATE heatmap_element_days SET clicks = clicks - 1, rage = rage - old.rage, dead = dead - old.dead, error = error - old.error
    WHERE page_ref = old.page_ref AND device = old.device AND day = old.day AND selector_id = old.selector_id;
  DELETE FROM heatmap_element_days WHERE page_ref = old.page_ref AND device = old.device AND day = old.day AND selector_id = old.selector_id AND clicks = 0;
  UPDATE heatmap_page_days SET clicks = clicks - 1, rage = rage - old.rage, dead = dead - old.dead, error = error - old.error
    WHERE page_ref = old.page_ref AND device = old.device AND day = old.day;
  DELETE FROM heatmap_page_days WHERE page_ref = old.page_ref AND device = old.device AND day = old.day AND clicks = 0;
END;

-- Placing a row again goes through a delete and an insert (heatmap-clicks-repo.ts), which the two
-- triggers above count; an UPDATE of what the aggregates sum would leave them wrong, so it is refused.
CREATE TRIGGER heatmap_clicks_no_update BEFORE UPDATE OF page_ref, device, day, selector_id, bin_x, bin_y, fixed, fallback_x, fallback_y, rage, dead, error ON heatmap_clicks BEGIN
  SELECT RAISE(ABORT, 'heatmap_clicks rows are placed again by delete and insert');
END;

-- One row per frictionlens.scroll-depth event. A page view can send several (each time the tab is
-- hidden); the page hook counts the deepest of each view by setting page_ref and device on it alone.
CREATE TABLE heatmap_scrolls (
  id INTEGER PRIMARY KEY,
  site_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  page_id TEXT NOT NULL,
  ts INTEGER NOT NULL,
  day INTEGER NOT NULL,
  max_y INTEGER NOT NULL,
  document_height INTEGER NOT NULL,
  viewport_height INTEGER NOT NULL,
  -- Depth reached in steps of 1/HEATMAP_SCROLL_STEPS of the document (0..steps), and the fold in 1/1000 of it.
  step INTEGER NOT NULL,
  fold INTEGER NOT NULL,
  page_ref INTEGER REFERENCES heatmap_pages (id),
  device TEXT CHECK (device IN ('desktop', 'tablet', 'mobile')),
  FOREIGN KEY (session_id, seq) REFERENCES chunks (session_id, seq) ON DELETE CASCADE
) STRICT;
CREATE INDEX heatmap_scrolls_batch ON heatmap_scrolls (session_id, seq);
CREATE INDEX heatmap_scrolls_page ON heatmap_scrolls (session_id, page_id);

-- Page views per deepest step reached, with the sums behind the average fold.
CREATE TABLE heatmap_scroll_days (
  page_ref INTEGER NOT NULL,
  device TEXT NOT NULL,
  day INTEGER NOT NULL,
  step INTEGER NOT NULL,
  views INTEGER NOT NULL,
  sum_fold INTEGER NOT NULL,
  sum_viewport_height INTEGER NOT NULL,
  PRIMARY KEY (page_ref, device, day, step)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER heatmap_scrolls_count AFTER INSERT ON heatmap_scrolls WHEN new.page_ref IS NOT NULL AND new.device IS NOT NULL BEGIN
  INSERT INTO heatmap_scroll_days VALUES (new.page_ref, new.device, new.day, new.step, 1, new.fold, new.viewport_height)
    ON CONFLICT DO UPDATE SET views = views + 1, sum_fold = sum_fold + excluded.sum_fold, sum_viewport_height = sum_viewport_height + excluded.sum_viewport_height;
END;

CREATE TRIGGER heatmap_scrolls_uncount AFTER DELETE ON heatmap_scrolls WHEN old.page_ref IS NOT NULL AND old.device IS NOT NULL BEGIN
  UPDATE heatmap_scroll_days SET views = views - 1, sum_fold = sum_fold - old.fold, sum_viewport_height = sum_viewport_height - old.viewport_height
    WHERE page_ref = old.page_ref AND device = old.device AND day = old.day AND step = old.step;
  DELETE FROM heatmap_scroll_days WHERE page_ref = old.page_ref AND device = old.device AND day = old.day AND step = old.step AND views = 0;
END;

CREATE TRIGGER heatmap_scrolls_no_update BEFORE UPDATE OF page_ref, device, day, step, fold, viewport_height ON heatmap_scrolls BEGIN
  SELECT RAISE(ABORT, 'heatmap_scrolls rows are placed again by delete and insert');
END;

-- Page loads a heatmap can be drawn over: where the first full snapshot is, at what width, and the
-- moment the page is taken at (the visitor's first interaction; NULL while there has been none).
CREATE TABLE heatmap_loads (
  session_id TEXT NOT NULL,
  page_id TEXT NOT NULL,
  page_ref INTEGER NOT NULL REFERENCES heatmap_pages (id),
  device TEXT NOT NULL CHECK (device IN ('desktop', 'tablet', 'mobile')),
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  snapshot_ts INTEGER NOT NULL,
  moment_ts INTEGER,
  complete INTEGER NOT NULL CHECK (complete IN (0, 1)),
  PRIMARY KEY (session_id, page_id),
  FOREIGN KEY (session_id, page_id) REFERENCES pages (session_id, page_id) ON DELETE CASCADE
) STRICT;
CREATE INDEX heatmap_loads_page ON heatmap_loads (page_ref, device, width, snapshot_ts);

-- Batches stored before this migration get their clicks and scroll depths extracted too.
INSERT INTO analysis_queue (session_id, seq, enqueued_at)
  SELECT session_id, seq, received_at FROM chunks ORDER BY received_at, session_id, seq
  ON CONFLICT (session_id, seq) DO NOTHING;
