-- 001: sites, their sessions, each session's page loads and stored batches (chunks), with chunks
-- partitioned by week.
--
-- The PostgreSQL schema starts from the SQLite schema after its migrations 001-012, folded into
-- fewer files because no PostgreSQL installation predates it (this file: SQLite 001, and the
-- columns 002, 003, 004, 006, 008 and 009 added to these tables). From here on each dialect gets
-- its own numbered files. Differences from SQLite, all intended:
-- * Every table's primary key and every index starts with the site id, so a Citus deployment
--   could distribute every per-site table by site_id and keep a session's rows on one node. Child
--   tables carry site_id (copied from their session) and their foreign keys include it.
-- * chunks is partitioned by range on session_received_at: see below.
-- * Proper types: bigint for server/client-clock ms, ids and sums; integer for small counts;
--   boolean for 0/1 flags; jsonb for JSON; bytea for gzip bodies; double precision for REAL.
-- * Rows stored before a migration were backfilled into the analysis queue by several SQLite
--   migrations; there are none here.

CREATE TABLE sites (
  id text PRIMARY KEY,
  name text NOT NULL,
  -- The public site key: ingest finds the site id by it. The one index that cannot start with the
  -- site id (a Citus deployment would make sites a reference table, copied to every node).
  key text NOT NULL UNIQUE,
  -- Allowed origins; "self" means this server's own origin.
  origins jsonb NOT NULL CHECK (jsonb_typeof(origins) = 'array'),
  created_at bigint NOT NULL,
  -- Path patterns ("/product/*") that merge pages sharing a template, applied when heatmaps are queried.
  url_patterns jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(url_patterns) = 'array'),
  -- Days a session is kept after its last batch arrived; NULL keeps sessions until they are deleted.
  retention_days integer CHECK (retention_days IS NULL OR retention_days BETWEEN 1 AND 3650)
);

-- Timestamps named *_at without "received" are client-clock ms; received_at/updated_at/created_at are server-clock ms.
CREATE TABLE sessions (
  site_id text NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  id text NOT NULL,
  started_at bigint NOT NULL,
  ended_at bigint NOT NULL,
  page_count integer NOT NULL DEFAULT 0,
  event_count integer NOT NULL DEFAULT 0,
  entry_url text NOT NULL,
  user_agent text,
  browser text,
  browser_version text,
  os text,
  device text NOT NULL,
  -- Server clock when the session's first batch arrived; never changes (chunks are partitioned by it).
  received_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  rage_clicks integer NOT NULL DEFAULT 0,
  dead_clicks integer NOT NULL DEFAULT 0,
  form_abandonments integer NOT NULL DEFAULT 0,
  error_loops integer NOT NULL DEFAULT 0,
  frustration_score double precision NOT NULL DEFAULT 0,
  error_count integer NOT NULL DEFAULT 0,
  user_id text,
  -- Server clock (ms) when someone marked the session watched; NULL when unwatched.
  watched_at bigint,
  -- Bytes of event JSON the session's batches inflate to (the per-session cap).
  inflated_bytes bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (site_id, id)
);
-- The session list's sorts, each with id as the tiebreak the cursor relies on.
CREATE INDEX sessions_site_started ON sessions (site_id, started_at DESC, id DESC);
CREATE INDEX sessions_site_score ON sessions (site_id, frustration_score DESC, started_at DESC, id DESC);
CREATE INDEX sessions_site_duration ON sessions (site_id, (ended_at - started_at) DESC, id DESC);
CREATE INDEX sessions_user ON sessions (site_id, user_id) WHERE user_id IS NOT NULL;
-- The retention job: a site's sessions whose last batch is older than its period.
CREATE INDEX sessions_site_updated ON sessions (site_id, updated_at);
-- Goal jobs walk a site's sessions in id order: the primary key (site_id, id) serves it, so
-- SQLite's sessions_site_id has no counterpart here.

CREATE TABLE pages (
  site_id text NOT NULL,
  session_id text NOT NULL,
  page_id text NOT NULL,
  url text NOT NULL,
  started_at bigint NOT NULL,
  -- seq of the page's final batch once analysed; server clock when the page was judged complete.
  final_seq integer,
  completed_at bigint,
  error_count integer NOT NULL DEFAULT 0,
  user_id text,
  PRIMARY KEY (site_id, session_id, page_id),
  FOREIGN KEY (site_id, session_id) REFERENCES sessions (site_id, id) ON DELETE CASCADE
);
CREATE INDEX pages_open ON pages (site_id, session_id) WHERE completed_at IS NULL;
-- Erasing a person's data finds the sessions any page identified them in.
CREATE INDEX pages_user ON pages (site_id, user_id) WHERE user_id IS NOT NULL;

-- One row per received batch, body kept gzipped exactly as the recorder sent it.
--
-- Partitioned by week on session_received_at, the session's first batch's server time, copied
-- from sessions.received_at, rather than on each batch's own received_at:
-- * a partitioned table's primary key must contain its partition key. With the session's time,
--   (site_id, session_id, seq, session_received_at) is as unique as (session_id, seq), so a retried
--   batch still hits ON CONFLICT; with the batch's own time a retry that arrived in another week
--   would be stored twice.
-- * a session's batches sit in one partition: a replay reads one, and dropping a partition takes
--   whole sessions, never the first batches (the full snapshot) of a session that goes on.
-- No foreign key points at chunks (PostgreSQL will not drop a partition that referenced rows
-- depend on): the rows derived from a batch hang off its page or session instead, which deletes
-- them with the session as before. Nothing deletes single batches.
CREATE TABLE chunks (
  site_id text NOT NULL,
  session_id text NOT NULL,
  seq integer NOT NULL CHECK (seq >= 0),
  session_received_at bigint NOT NULL,
  page_id text NOT NULL,
  first_ts bigint NOT NULL,
  last_ts bigint NOT NULL,
  event_count integer NOT NULL CHECK (event_count > 0),
  body bytea NOT NULL,
  received_at bigint NOT NULL,
  -- Time of the first Meta event with a full snapshot after it in this batch; NULL when none.
  snapshot_ts bigint,
  PRIMARY KEY (site_id, session_id, seq, session_received_at),
  FOREIGN KEY (site_id, session_id, page_id) REFERENCES pages (site_id, session_id, page_id) ON DELETE CASCADE
) PARTITION BY RANGE (session_received_at);

-- Catches batches no weekly partition covers yet, so ingest never fails for want of one;
-- create_chunk_partitions moves them out when it creates their week.
CREATE TABLE chunks_default PARTITION OF chunks DEFAULT;

-- Weeks start on Monday 00:00 UTC (1970-01-01 was a Thursday, 3 days after one).
CREATE FUNCTION chunk_week_start(ms bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT
RETURN floor((ms + 259200000)::numeric / 604800000)::bigint * 604800000 - 259200000;

-- Creates the weekly partitions chunks_YYYYMMDD (the Monday) for `weeks` weeks from the week
-- holding from_ms, skipping those that exist, and returns the names it created. Batches already
-- in chunks_default for such a week are moved into it. The server is to call it at start and
-- daily for the weeks ahead (not wired yet); calling it again is harmless.
CREATE FUNCTION create_chunk_partitions(from_ms bigint, weeks integer) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
  week_ms constant bigint := 604800000;
  lower_ms bigint;
  partition_name text;
  moved bigint;
BEGIN
  FOR i IN 0 .. weeks - 1 LOOP
    lower_ms := chunk_week_start(from_ms) + i * week_ms;
    partition_name := 'chunks_' || to_char(to_timestamp(lower_ms / 1000) AT TIME ZONE 'UTC', 'YYYYMMDD');
    CONTINUE WHEN to_regclass(partition_name) IS NOT NULL;
    SELECT count(*) INTO moved FROM chunks_default
      WHERE session_received_at >= lower_ms AND session_received_at < lower_ms + week_ms;
    IF moved = 0 THEN
      EXECUTE format('CREATE TABLE %I PARTITION OF chunks FOR VALUES FROM (%s) TO (%s)', partition_name, lower_ms, lower_ms + week_ms);
    ELSE
      -- Attaching checks that the default partition holds no row of the new range: move them first.
      EXECUTE format('CREATE TABLE %I (LIKE chunks INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', partition_name);
      EXECUTE format('INSERT INTO %I SELECT * FROM chunks_default WHERE session_received_at >= %s AND session_received_at < %s',
        partition_name, lower_ms, lower_ms + week_ms);
      DELETE FROM chunks_default WHERE session_received_at >= lower_ms AND session_received_at < lower_ms + week_ms;
      EXECUTE format('ALTER TABLE chunks ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)', partition_name, lower_ms, lower_ms + week_ms);
    END IF;
    RETURN NEXT partition_name;
  END LOOP;
END;
$$;

-- Retention by partition: drops every weekly partition whose week ends at or before before_ms and
-- returns their names. A partition holds the batches of sessions first received in its week,
-- including those that arrived later, so the caller passes a cutoff that every site's retention
-- has passed for such sessions (now - the longest retention_days - the longest a session keeps
-- receiving batches); shorter per-site periods still delete sessions row by row. The sessions,
-- pages and derived rows of dropped batches are deleted by that same session delete.
CREATE FUNCTION drop_chunk_partitions(before_ms bigint) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
  part record;
  upper_ms bigint;
BEGIN
  FOR part IN
    SELECT c.oid::regclass::text AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'chunks'::regclass
  LOOP
    CONTINUE WHEN part.bound = 'DEFAULT';
    upper_ms := substring(part.bound FROM 'TO \(''?(-?[0-9]+)''?\)')::bigint;
    IF upper_ms <= before_ms THEN
      -- regclass text comes quoted where a name needs it.
      EXECUTE format('DROP TABLE %s', part.name);
      RETURN NEXT part.name;
    END IF;
  END LOOP;
END;
$$;

-- A new database stores this week's batches and the next four's in their own partitions.
SELECT create_chunk_partitions((extract(epoch FROM now()) * 1000)::bigint, 5);
