-- 006: the viewer's sign-in sessions (SQLite 009).

-- One row per signed-in browser. The cookie holds a random session id; the table holds only its
-- HMAC keyed by the admin token, so a copy of the database signs no one in. Server-clock ms.
-- Not per site: one of the two tables without a site id (with schema_migrations); a Citus
-- deployment would keep it on the coordinator or make it a reference table.
CREATE TABLE admin_sessions (
  id_hash text PRIMARY KEY,
  created_at bigint NOT NULL,
  last_used_at bigint NOT NULL,
  expires_at bigint NOT NULL
);
CREATE INDEX admin_sessions_expiry ON admin_sessions (expires_at);
