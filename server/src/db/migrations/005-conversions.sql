-- 005: conversion impact: goals and funnels, goal completions (kept by the analysis pass, recomputed by jobs), and the per-session facts impact and funnels read.

-- A conversion goal: a page reached (url_pattern), a tracked event (event_name), or a form
-- submitted successfully (form_selector on pages matching url_pattern). version is bumped when the
-- definition changes, so a recomputation started for an older definition is known to be stale.
CREATE TABLE goals (
  id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('page', 'event', 'form')),
  url_pattern TEXT,
  event_name TEXT,
  form_selector TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK ((kind = 'page' AND url_pattern IS NOT NULL)
      OR (kind = 'event' AND event_name IS NOT NULL)
      OR (kind = 'form' AND url_pattern IS NOT NULL AND form_selector IS NOT NULL))
) STRICT;
CREATE INDEX goals_site ON goals (site_id, created_at);

-- A page load on which a session completed a goal, at its first completion there (client clock, ms).
-- A session converts when it has at least one row for the goal.
CREATE TABLE goal_completions (
  goal_id TEXT NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
  session_id TEXT NOT NULL,
  page_id TEXT NOT NULL,
  ts INTEGER NOT NULL,
  PRIMARY KEY (goal_id, session_id, page_id),
  FOREIGN KEY (session_id, page_id) REFERENCES pages (session_id, page_id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX goal_completions_page ON goal_completions (session_id, page_id);

-- The recomputation of one goal's completions over every stored session of its site, in session id
-- order, a slice at a time (after_session is the last id done). One row per goal, replaced when the
-- definition changes. Claimed with a lease like analysis_queue: a worker that dies leaves it to the next.
CREATE TABLE goal_jobs (
  goal_id TEXT PRIMARY KEY REFERENCES goals (id) ON DELETE CASCADE,
  goal_version INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'done', 'failed')),
  done INTEGER NOT NULL DEFAULT 0,
  total INTEGER NOT NULL,
  after_session TEXT NOT NULL DEFAULT '',
  claimed_until INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  finished_at INTEGER,
  error TEXT
) STRICT;
CREATE INDEX goal_jobs_open ON goal_jobs (created_at) WHERE state IN ('pending', 'running');

-- A funnel: an ordered JSON array of steps, each {"kind":"page","pattern":…} or {"kind":"event","event":…}.
CREATE TABLE funnels (
  id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  steps TEXT NOT NULL CHECK (json_valid(steps) AND json_type(steps) = 'array' AND json_array_length(steps) >= 2),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX funnels_site ON funnels (site_id, created_at);

-- What funnels and "reached the same page" read, kept by the analysis pass per page load: each URL
-- the load showed (page views; origin and path), at its first view, and each frictionlens.track call.
CREATE TABLE page_visits (
  session_id TEXT NOT NULL,
  page_id TEXT NOT NULL,
  url TEXT NOT NULL,
  ts INTEGER NOT NULL,
  PRIMARY KEY (session_id, page_id, url),
  FOREIGN KEY (session_id, page_id) REFERENCES pages (session_id, page_id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

CREATE TABLE tracked_events (
  session_id TEXT NOT NULL,
  page_id TEXT NOT NULL,
  name TEXT NOT NULL,
  ts INTEGER NOT NULL,
  FOREIGN KEY (session_id, page_id) REFERENCES pages (session_id, page_id) ON DELETE CASCADE
) STRICT;
CREATE INDEX tracked_events_page ON tracked_events (session_id, page_id);

-- Where a session came from, read from its earliest page load: the referrer's host ('' when none)
-- and utm_source of the page's URL ('' when none). A page that loaded earlier replaces it.
CREATE TABLE session_sources (
  session_id TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
  page_id TEXT NOT NULL,
  page_ts INTEGER NOT NULL,
  referrer_host TEXT NOT NULL,
  utm_source TEXT NOT NULL
) STRICT;

-- Goal jobs walk a site's sessions in id order.
CREATE INDEX sessions_site_id ON sessions (site_id, id);

-- Batches stored before this migration get their visits, tracked events and sources read too.
INSERT INTO analysis_queue (session_id, seq, enqueued_at)
  SELECT session_id, seq, received_at FROM chunks ORDER BY received_at, session_id, seq
  ON CONFLICT (session_id, seq) DO NOTHING;
