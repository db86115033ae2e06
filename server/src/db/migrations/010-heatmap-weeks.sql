-- 010: heatmap cells per ISO week beside the per-day ones, so a date range adds up whole weeks and at most six days at each edge instead of every day.

-- Weeks start on Monday: week w holds UTC days 7w - 3 to 7w + 3 (day 0, 1970-01-01, was a Thursday).
CREATE TABLE heatmap_cell_weeks (
  page_ref INTEGER NOT NULL,
  device TEXT NOT NULL,
  week INTEGER NOT NULL,
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
  PRIMARY KEY (page_ref, device, week, selector_id, bin_x, bin_y)
) STRICT, WITHOUT ROWID;

-- Floor division: SQLite's / truncates toward zero, which would put days before -3 in the wrong week.
INSERT INTO heatmap_cell_weeks
  SELECT page_ref, device, (day + 3 - (((day + 3) % 7) + 7) % 7) / 7 AS week, selector_id, bin_x, bin_y,
    sum(clicks), sum(rage), sum(dead), sum(error), sum(fixed), sum(sum_x), sum(sum_y)
  FROM heatmap_cell_days GROUP BY page_ref, device, week, selector_id, bin_x, bin_y;

-- Kept like the per-day cells (003): counted when a placed click is inserted, uncounted when it is
-- deleted; placing a click again is a delete and an insert, and an UPDATE of what is summed is refused.
CREATE TRIGGER heatmap_clicks_count_week AFTER INSERT ON heatmap_clicks WHEN new.page_ref IS NOT NULL BEGIN
  INSERT INTO heatmap_cell_weeks VALUES (new.page_ref, new.device, (new.day + 3 - (((new.day + 3) % 7) + 7) % 7) / 7, new.selector_id, new.bin_x, new.bin_y,
      1, new.rage, new.dead, new.error, new.fixed, new.fallback_x, new.fallback_y)
    ON CONFLICT DO UPDATE SET clicks = clicks + 1, rage = rage + excluded.rage, dead = dead + excluded.dead, error = error + excluded.error,
      fixed = fixed + excluded.fixed, sum_x = sum_x + excluded.sum_x, sum_y = sum_y + excluded.sum_y;
END;

CREATE TRIGGER heatmap_clicks_uncount_week AFTER DELETE ON heatmap_clicks WHEN old.page_ref IS NOT NULL BEGIN
  UPDATE heatmap_cell_weeks SET clicks = clicks - 1, rage = rage - old.rage, dead = dead - old.dead, error = error - old.error,
      fixed = fixed - old.fixed, sum_x = sum_x - old.fallback_x, sum_y = sum_y - old.fallback_y
    WHERE page_ref = old.page_ref AND device = old.device AND week = (old.day + 3 - (((old.day + 3) % 7) + 7) % 7) / 7
      AND selector_id = old.selector_id AND bin_x = old.bin_x AND bin_y = old.bin_y;
  DELETE FROM heatmap_cell_weeks
    WHERE page_ref = old.page_ref AND device = old.device AND week = (old.day + 3 - (((old.day + 3) % 7) + 7) % 7) / 7
      AND selector_id = old.selector_id AND bin_x = old.bin_x AND bin_y = old.bin_y AND clicks = 0;
END;
