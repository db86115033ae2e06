-- 011: the pages each session reached, as impact counts them, kept in (site, URL, start) order so the
-- sessions of a range that reached a page are counted from the index alone.

-- One row per session and URL it viewed (page_visits) or was flagged on (friction.path); refs is how
-- many of those rows name it, and the row goes with the last. started_at is the session's, copied so
-- a range is one stretch of the index; it follows the session's when an earlier batch moves it.
CREATE TABLE conversion_reach (
  session_id TEXT NOT NULL,
  url TEXT NOT NULL,
  site_id TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  refs INTEGER NOT NULL,
  PRIMARY KEY (session_id, url)
) STRICT, WITHOUT ROWID;
CREATE INDEX conversion_reach_range ON conversion_reach (site_id, url, started_at);

CREATE TRIGGER conversion_reach_visit_insert AFTER INSERT ON page_visits BEGIN
  INSERT INTO conversion_reach (session_id, url, site_id, started_at, refs)
    SELECT NEW.session_id, NEW.url, s.site_id, s.started_at, 1 FROM sessions s WHERE s.id = NEW.session_id
    ON CONFLICT (session_id, url) DO UPDATE SET refs = refs + 1;
END;
CREATE TRIGGER conversion_reach_visit_delete AFTER DELETE ON page_visits BEGIN
  UPDATE conversion_reach SET refs = refs - 1 WHERE session_id = OLD.session_id AND url = OLD.url;
  DELETE FROM conversion_reach WHERE session_id = OLD.session_id AND url = OLD.url AND refs <= 0;
END;
CREATE TRIGGER conversion_reach_flag_insert AFTER INSERT ON friction BEGIN
  INSERT INTO conversion_reach (session_id, url, site_id, started_at, refs)
    SELECT NEW.session_id, NEW.path, s.site_id, s.started_at, 1 FROM sessions s WHERE s.id = NEW.session_id
    ON CONFLICT (session_id, url) DO UPDATE SET refs = refs + 1;
END;
CREATE TRIGGER conversion_reach_flag_delete AFTER DELETE ON friction BEGIN
  UPDATE conversion_reach SET refs = refs - 1 WHERE session_id = OLD.session_id AND url = OLD.path;
  DELETE FROM conversion_reach WHERE session_id = OLD.session_id AND url = OLD.path AND refs <= 0;
END;
CREATE TRIGGER conversion_reach_session_start AFTER UPDATE OF started_at ON sessions WHEN NEW.started_at IS NOT OLD.started_at BEGIN
  UPDATE conversion_reach SET started_at = NEW.started_at WHERE session_id = NEW.id;
END;
-- Deleting a session deletes its visits and flags (and so these rows); this covers any left.
CREATE TRIGGER conversion_reach_session_delete AFTER DELETE ON sessions BEGIN
  DELETE FROM conversion_reach WHERE session_id = OLD.id;
END;

INSERT INTO conversion_reach (session_id, url, site_id, started_at, refs)
  SELECT r.session_id, r.url, s.site_id, s.started_at, count(*)
  FROM (SELECT session_id, url FROM page_visits UNION ALL SELECT session_id, path FROM friction) r JOIN sessions s ON s.id = r.session_id
  GROUP BY r.session_id, r.url;
