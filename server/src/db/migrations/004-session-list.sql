-- 004: the session list: a watched mark per session, and an index for the longest-first sort.

-- Server clock (ms) when someone marked the session watched (opening its replay does); NULL when unwatched.
ALTER TABLE sessions ADD COLUMN watched_at INTEGER;

-- Longest first pages through (duration, id) with a seek like the other sorts. The expression must
-- be written exactly like this in the query for SQLite to use the index.
CREATE INDEX sessions_site_duration ON sessions (site_id, (ended_at - started_at) DESC, id DESC);
