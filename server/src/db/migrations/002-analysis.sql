-- 002: the analysis pass: its queue, each batch's page signals, the friction found, and per-session friction totals.

-- One row per stored batch waiting for analysis, written in the same transaction as the batch.
-- A worker claims rows by setting claimed_until; a worker that dies leaves them to be claimed
-- again once that time passes. Rows are deleted in the transaction that stores their results.
CREATE TABLE analysis_queue (
  id INTEGER PRIMARY KEY,
  session_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  enqueued_at INTEGER NOT NULL,
  claimed_until INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  UNIQUE (session_id, seq),
  FOREIGN KEY (session_id, seq) REFERENCES chunks (session_id, seq) ON DELETE CASCADE
) STRICT;

-- Each analysed batch reduced to the signals the detectors read (JSON array of PageSignal), so
-- detection over a whole page never inflates its batches again.
CREATE TABLE page_signals (
  session_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  page_id TEXT NOT NULL,
  signals TEXT NOT NULL,
  -- Server clock when the friction of this batch's page was last computed with it.
  analyzed_at INTEGER NOT NULL,
  PRIMARY KEY (session_id, seq),
  FOREIGN KEY (session_id, seq) REFERENCES chunks (session_id, seq) ON DELETE CASCADE
) STRICT;
CREATE INDEX page_signals_page ON page_signals (session_id, page_id, seq);

-- Batches the pass could not read: skipped, counted and logged once.
CREATE TABLE analysis_skipped (
  session_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  error TEXT NOT NULL,
  skipped_at INTEGER NOT NULL,
  PRIMARY KEY (session_id, seq),
  FOREIGN KEY (session_id, seq) REFERENCES chunks (session_id, seq) ON DELETE CASCADE
) STRICT;

-- final_seq: seq of the page's final batch once analysed. completed_at: server clock when the page
-- was judged complete (final batch with no gap before it, or the session idle).
ALTER TABLE pages ADD COLUMN final_seq INTEGER;
ALTER TABLE pages ADD COLUMN completed_at INTEGER;
-- Uncaught errors seen on the page, and the user id it was identified with (the last identify call).
ALTER TABLE pages ADD COLUMN error_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pages ADD COLUMN user_id TEXT;
CREATE INDEX pages_open ON pages (session_id) WHERE completed_at IS NULL;

CREATE TABLE friction (
  id INTEGER PRIMARY KEY,
  site_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  page_id TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('rage_click', 'dead_click', 'form_abandonment', 'error_loop')),
  ts INTEGER NOT NULL,
  url TEXT NOT NULL,
  -- url without query string or fragment, as the summary and heatmaps group pages.
  path TEXT NOT NULL,
  selector TEXT,
  reason TEXT NOT NULL,
  details TEXT NOT NULL CHECK (json_valid(details)),
  FOREIGN KEY (session_id, page_id) REFERENCES pages (session_id, page_id) ON DELETE CASCADE
) STRICT;
CREATE INDEX friction_session ON friction (session_id, page_id, ts);
CREATE INDEX friction_site ON friction (site_id, ts, type);

-- Friction totals, errors and user id per session, kept by the analysis pass, for filtering and ranking the session list.
ALTER TABLE sessions ADD COLUMN rage_clicks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN dead_clicks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN form_abandonments INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN error_loops INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN frustration_score REAL NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN error_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN user_id TEXT;
CREATE INDEX sessions_site_score ON sessions (site_id, frustration_score DESC, started_at DESC, id DESC);
CREATE INDEX sessions_user ON sessions (site_id, user_id) WHERE user_id IS NOT NULL;

-- Batches stored before this migration are analysed too.
INSERT INTO analysis_queue (session_id, seq, enqueued_at)
  SELECT session_id, seq, received_at FROM chunks ORDER BY received_at, session_id, seq;
