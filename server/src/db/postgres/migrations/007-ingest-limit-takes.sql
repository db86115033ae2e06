-- 007: ingest rate-limit counts shared between nodes (PostgreSQL only: a single SQLite node keeps them in memory).

-- Each node adds a row per key it let through since its last exchange, once a second, and reads the
-- other nodes' rows (server/src/limits/shared-ingest-limits.ts). Rows live a minute (two hours for
-- new-session counts) and are worth nothing after a crash, so the table is UNLOGGED: no WAL, and
-- PostgreSQL empties it after a crash, which only lets each limit start afresh.
-- Not per site (client addresses belong to none): like admin_sessions, a Citus deployment would keep
-- it on the coordinator.
CREATE UNLOGGED TABLE ingest_limit_takes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  node_id text NOT NULL,
  scope text NOT NULL CHECK (scope IN ('address', 'site', 'session')),
  key text NOT NULL,
  taken integer NOT NULL CHECK (taken > 0),
  at_ms bigint NOT NULL
);
CREATE INDEX ingest_limit_takes_at ON ingest_limit_takes (at_ms);
