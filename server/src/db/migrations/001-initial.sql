-- 001: the first schema: sites, their sessions, each session's page loads and stored batches.
-- Timestamps named *_at without "received" are client-clock ms; received_at/updated_at/created_at are server-clock ms.

CREATE TABLE sites (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  key TEXT NOT NULL UNIQUE,
  -- JSON array of allowed origins; "self" means this server's own origin.
  origins TEXT NOT NULL CHECK (json_valid(origins) AND json_type(origins) = 'array'),
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  started_at INTEGER NOT NULL,
  ended_at INTEGER NOT NULL,
  page_count INTEGER NOT NULL DEFAULT 0,
  event_count INTEGER NOT NULL DEFAULT 0,
  entry_url TEXT NOT NULL,
  user_agent TEXT,
  browser TEXT,
  browser_version TEXT,
  os TEXT,
  device TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

-- The session list is per site, newest first, with id as the tiebreak the cursor relies on.
CREATE INDEX sessions_site_started ON sessions (site_id, started_at DESC, id DESC);

CREATE TABLE pages (
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  page_id TEXT NOT NULL,
  url TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  PRIMARY KEY (session_id, page_id)
) STRICT;

-- One row per received batch, body kept gzipped exactly as the recorder sent it.
CREATE TABLE chunks (
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL CHECK (seq >= 0),
  page_id TEXT NOT NULL,
  first_ts INTEGER NOT NULL,
  last_ts INTEGER NOT NULL,
  event_count INTEGER NOT NULL CHECK (event_count > 0),
  body BLOB NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (session_id, seq),
  FOREIGN KEY (session_id, page_id) REFERENCES pages (session_id, page_id) ON DELETE CASCADE
) STRICT;
