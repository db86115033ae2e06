-- 009: the viewer's sign-in sessions, a retention period per site, and what deleting sessions needs.

-- One row per signed-in browser. The cookie holds a random session id; the table holds only its
-- HMAC keyed by the admin token, so a copy of the database signs no one in, and a new admin token
-- ends every session (their ids no longer hash to a stored row). Server-clock ms.
CREATE TABLE admin_sessions (
  id_hash TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX admin_sessions_expiry ON admin_sessions (expires_at);

-- Days a session is kept after its last batch arrived; NULL keeps sessions until they are deleted.
ALTER TABLE sites ADD COLUMN retention_days INTEGER CHECK (retention_days IS NULL OR retention_days BETWEEN 1 AND 3650);

-- The retention job looks for a site's sessions whose last batch is older than the period.
CREATE INDEX sessions_site_updated ON sessions (site_id, updated_at);

-- A heatmap page left with no load, click or scroll (its sessions deleted) is removed: its path can
-- name a person (/account/jane). Clicks and loads have an index on page_ref already.
CREATE INDEX heatmap_scrolls_page_ref ON heatmap_scrolls (page_ref) WHERE page_ref IS NOT NULL;
