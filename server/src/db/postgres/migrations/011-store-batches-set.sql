-- 011: store_batches (010) writes a group's common batches with one statement a table instead of
-- one store_batch call (five statements) a batch.
--
-- A common batch is the first of its session in the group, of a session that exists, belongs to
-- the batch's site and has its lowest seq kept (first_seq), and that is either stored already
-- (duplicate) or fits the session's caps. Its outcome and the totals store_batch would return
-- depend only on its session's row, its seq and its page, so for the whole group one statement
-- finds the stored seqs and known pages, answers each such batch and writes the new pages, the
-- moved page starts, the chunks, the queue rows and one update a session. Every other batch of a
-- locked session (a later batch of a session in the group, a batch past a cap, another site's
-- session) goes through store_batch (008) after that statement, in 010's order, so it sees those
-- writes: every batch gets the outcome, totals and new_page 010 gives it. A group's batches are
-- mostly of different sessions (a session sends a batch every few seconds; a busy node's group
-- holds one of each of many sessions), so nearly all are common.
--
-- Lock order, as 010: a session id is taken (row locked, or inserted) in byte order over the group.
-- Sessions with an admitted batch (one the node found new and admitted) may be inserted, which
-- only store_batch does: each is stored batch by batch at its place in that order, between one
-- lock statement for the sessions before it and one for those after. A session not locked by these
-- statements (not stored, or inserted by another node since) answers 'new' for each of its
-- batches, as store_batch would have when it looked.
--
-- Rows come back in 010's order (session id, then position); idx says which batch each is.
CREATE OR REPLACE FUNCTION store_batches(
  p_site_ids text[], p_session_ids text[], p_seqs integer[], p_page_ids text[], p_urls text[],
  p_first_ts bigint[], p_last_ts bigint[], p_event_counts integer[], p_snapshot_ts bigint[],
  p_bodies bytea, p_body_lengths integer[], p_inflated_bytes bigint[], p_received_at bigint[],
  p_admitted boolean[], p_user_agents text[], p_browsers text[], p_browser_versions text[], p_oses text[], p_devices text[],
  p_max_events bigint, p_max_inflated_bytes bigint, p_max_pages integer, p_max_span_ms bigint
)
RETURNS TABLE (
  idx integer, outcome text, started_at bigint, ended_at bigint, event_count bigint,
  page_count integer, inflated_bytes bigint, new_page boolean
)
LANGUAGE plpgsql
-- Plans made once and kept: left to choose, PostgreSQL plans the group statement afresh for each
-- small group (its estimate for a few rows beats the kept plan's), which costs more than storing them.
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
DECLARE
  -- The group's session ids, each once, in byte order: the order they are locked in.
  ids text[];
  admitted_ids text[] := '{}';
  locked_ids text[] := '{}';
  -- How many of ids are taken (locked, or stored by store_batch) so far.
  taken integer := 0;
  next_taken integer;
  body_starts integer[];
  apart integer[];
  pos_i integer;
  one record;
  r_idx integer[];
  r_outcome text[];
  r_started bigint[];
  r_ended bigint[];
  r_events bigint[];
  r_pages integer[];
  r_inflated bigint[];
  r_new_page boolean[];
BEGIN
  -- A lone batch (a quiet node) is 010's one call, without the group statement's setup.
  IF cardinality(p_session_ids) = 1 THEN
    RETURN QUERY SELECT 1, b.outcome, b.started_at, b.ended_at, b.event_count, b.page_count, b.inflated_bytes, b.new_page
      FROM store_batch(
        p_site_ids[1], p_session_ids[1], p_seqs[1], p_page_ids[1], p_urls[1], p_first_ts[1], p_last_ts[1], p_event_counts[1],
        p_snapshot_ts[1], p_bodies, p_inflated_bytes[1], p_received_at[1], p_admitted[1], p_user_agents[1], p_browsers[1],
        p_browser_versions[1], p_oses[1], p_devices[1], p_max_events, p_max_inflated_bytes, p_max_pages, p_max_span_ms
      ) b;
    RETURN;
  END IF;
  ids := ARRAY(SELECT DISTINCT u.id COLLATE "C" FROM unnest(p_session_ids) AS u(id) ORDER BY 1);
  body_starts := ARRAY(SELECT (sum(u.len) OVER (ORDER BY u.pos) - u.len + 1)::integer FROM unnest(p_body_lengths) WITH ORDINALITY AS u(len, pos) ORDER BY u.pos);
  IF true = ANY(p_admitted) THEN
    admitted_ids := ARRAY(SELECT DISTINCT u.id FROM unnest(p_session_ids, p_admitted) AS u(id, admitted) WHERE u.admitted);
    r_idx := '{}';
    FOR pos_i IN SELECT o.pos FROM unnest(p_session_ids) WITH ORDINALITY AS o(id, pos) WHERE o.id = ANY(admitted_ids) ORDER BY o.id COLLATE "C", o.pos LOOP
      next_taken := array_position(ids, p_session_ids[pos_i]);
      IF next_taken > taken THEN
        -- The sessions before this one first, then this one's batches by store_batch (which may insert it).
        locked_ids := locked_ids || ARRAY(
          SELECT l.id FROM unnest(ids[taken + 1 : next_taken - 1]) WITH ORDINALITY AS u(id, ord)
          CROSS JOIN LATERAL (SELECT sessions.id FROM sessions WHERE sessions.id = u.id FOR UPDATE) l
          ORDER BY u.ord);
        taken := next_taken;
      END IF;
      SELECT b.outcome, b.started_at, b.ended_at, b.event_count, b.page_count, b.inflated_bytes, b.new_page INTO one
        FROM store_batch(
          p_site_ids[pos_i], p_session_ids[pos_i], p_seqs[pos_i], p_page_ids[pos_i], p_urls[pos_i],
          p_first_ts[pos_i], p_last_ts[pos_i], p_event_counts[pos_i], p_snapshot_ts[pos_i],
          substring(p_bodies FROM body_starts[pos_i] FOR p_body_lengths[pos_i]), p_inflated_bytes[pos_i], p_received_at[pos_i],
          p_admitted[pos_i], p_user_agents[pos_i], p_browsers[pos_i], p_browser_versions[pos_i], p_oses[pos_i], p_devices[pos_i],
          p_max_events, p_max_inflated_bytes, p_max_pages, p_max_span_ms
        ) b;
      r_idx := r_idx || pos_i; r_outcome := r_outcome || one.outcome;
      r_started := r_started || one.started_at; r_ended := r_ended || one.ended_at; r_events := r_events || one.event_count;
      r_pages := r_pages || one.page_count; r_inflated := r_inflated || one.inflated_bytes; r_new_page := r_new_page || one.new_page;
    END LOOP;
  END IF;
  -- Row by row, by id (a nested loop in the ids' order): a plan cached while sessions was small
  -- could otherwise read the whole table for an = ANY.
  locked_ids := locked_ids || ARRAY(
    SELECT l.id FROM unnest(ids[taken + 1 : cardinality(ids)]) WITH ORDINALITY AS u(id, ord)
    CROSS JOIN LATERAL (SELECT sessions.id FROM sessions WHERE sessions.id = u.id FOR UPDATE) l
    ORDER BY u.ord);

  WITH probed AS (
    SELECT u.pos::integer AS pos, u.site_id, u.session_id, u.seq, u.page_id, u.first_ts, u.last_ts, u.events, u.inflated,
      s.id IS NOT NULL AS found, s.started_at AS s_started, s.ended_at AS s_ended, s.event_count AS s_events,
      s.page_count AS s_pages, s.inflated_bytes AS s_inflated, s.received_at AS s_received, s.first_seq AS s_first_seq,
      -- The session's first batch in the group, of its own site's session whose lowest seq is kept.
      u.pos = array_position(p_session_ids, u.session_id) AND s.site_id = u.site_id AND s.first_seq IS NOT NULL AS usual,
      -- What store_batch reads for a batch: is its seq stored, is its page known.
      coalesce(s.site_id = u.site_id AND EXISTS (
        SELECT 1 FROM chunks c
        WHERE c.site_id = u.site_id AND c.session_id = u.session_id AND c.seq = u.seq AND c.session_received_at = s.received_at
      ), false) AS dup,
      CASE WHEN s.site_id = u.site_id THEN (
        SELECT pg.started_at FROM pages pg WHERE pg.site_id = u.site_id AND pg.session_id = u.session_id AND pg.page_id = u.page_id
      ) END AS page_start
    FROM unnest(p_site_ids, p_session_ids, p_seqs, p_page_ids, p_first_ts, p_last_ts, p_event_counts, p_inflated_bytes)
      WITH ORDINALITY AS u(site_id, session_id, seq, page_id, first_ts, last_ts, events, inflated, pos)
    -- Each session looked up by its id, as the locks are taken (OFFSET 0 keeps the subquery from becoming a join).
    LEFT JOIN LATERAL (SELECT * FROM sessions WHERE sessions.id = u.session_id AND sessions.id = ANY(locked_ids) OFFSET 0) s ON true
    WHERE NOT u.session_id = ANY(admitted_ids)
  ),
  -- store_batch's checks, in its order: a stored seq is a duplicate whatever the caps.
  settled AS (
    SELECT probed.*, coalesce(probed.usual AND (probed.dup OR (
        probed.s_events + probed.events <= p_max_events
        AND probed.s_inflated + probed.inflated <= p_max_inflated_bytes
        AND (probed.page_start IS NOT NULL OR probed.s_pages + 1 <= p_max_pages)
        AND greatest(probed.s_ended, probed.last_ts) - least(probed.s_started, probed.first_ts) <= p_max_span_ms
      )), false) AS here
    FROM probed
  ),
  stored AS (
    SELECT settled.* FROM settled WHERE settled.here AND NOT settled.dup
  ),
  new_pages AS (
    INSERT INTO pages (site_id, session_id, page_id, url, started_at)
    SELECT stored.site_id, stored.session_id, stored.page_id, p_urls[stored.pos], stored.first_ts FROM stored WHERE stored.page_start IS NULL
  ),
  earlier_pages AS (
    UPDATE pages SET started_at = stored.first_ts
    FROM stored
    WHERE stored.first_ts < stored.page_start
      AND pages.site_id = stored.site_id AND pages.session_id = stored.session_id AND pages.page_id = stored.page_id
  ),
  new_chunks AS (
    INSERT INTO chunks (site_id, session_id, seq, session_received_at, page_id, first_ts, last_ts, event_count, body, received_at, snapshot_ts)
    SELECT stored.site_id, stored.session_id, stored.seq, stored.s_received, stored.page_id, stored.first_ts, stored.last_ts, stored.events,
           substring(p_bodies FROM body_starts[stored.pos] FOR p_body_lengths[stored.pos]), p_received_at[stored.pos], p_snapshot_ts[stored.pos]
    FROM stored
  ),
  queued AS (
    INSERT INTO analysis_queue (site_id, session_id, seq, enqueued_at)
    SELECT stored.site_id, stored.session_id, stored.seq, p_received_at[stored.pos] FROM stored ORDER BY stored.session_id COLLATE "C"
  ),
  -- A batch before every stored one (seq order) gives the session its entry URL, and its start if earlier.
  moved AS (
    UPDATE sessions SET
      started_at = CASE WHEN stored.seq < stored.s_first_seq THEN least(sessions.started_at, stored.first_ts) ELSE sessions.started_at END,
      entry_url = CASE WHEN stored.seq < stored.s_first_seq THEN p_urls[stored.pos] ELSE sessions.entry_url END,
      first_seq = least(sessions.first_seq, stored.seq),
      ended_at = greatest(sessions.ended_at, stored.last_ts),
      event_count = sessions.event_count + stored.events,
      page_count = sessions.page_count + CASE WHEN stored.page_start IS NULL THEN 1 ELSE 0 END,
      inflated_bytes = sessions.inflated_bytes + stored.inflated,
      updated_at = p_received_at[stored.pos]
    FROM stored
    WHERE sessions.site_id = stored.site_id AND sessions.id = stored.session_id
  )
  SELECT
    coalesce(r_idx, '{}') || array_agg(a.pos),
    r_outcome || array_agg(CASE WHEN NOT a.found THEN 'new' WHEN a.dup THEN 'duplicate' ELSE 'stored' END),
    r_started || array_agg(CASE WHEN a.found THEN a.s_started ELSE a.first_ts END),
    r_ended || array_agg(CASE WHEN a.found THEN a.s_ended ELSE a.last_ts END),
    r_events || array_agg(CASE WHEN a.found THEN a.s_events ELSE 0 END::bigint),
    r_pages || array_agg(CASE WHEN a.found THEN a.s_pages ELSE 0 END),
    r_inflated || array_agg(CASE WHEN a.found THEN a.s_inflated ELSE 0 END),
    r_new_page || array_agg(NOT a.found OR a.page_start IS NULL),
    ARRAY(SELECT settled.pos FROM settled WHERE settled.found AND NOT settled.here ORDER BY settled.session_id COLLATE "C", settled.pos)
  FROM settled a WHERE a.here OR NOT a.found
  INTO r_idx, r_outcome, r_started, r_ended, r_events, r_pages, r_inflated, r_new_page, apart;

  IF cardinality(apart) > 0 THEN
    FOREACH pos_i IN ARRAY apart LOOP
      SELECT b.outcome, b.started_at, b.ended_at, b.event_count, b.page_count, b.inflated_bytes, b.new_page INTO one
        FROM store_batch(
          p_site_ids[pos_i], p_session_ids[pos_i], p_seqs[pos_i], p_page_ids[pos_i], p_urls[pos_i],
          p_first_ts[pos_i], p_last_ts[pos_i], p_event_counts[pos_i], p_snapshot_ts[pos_i],
          substring(p_bodies FROM body_starts[pos_i] FOR p_body_lengths[pos_i]), p_inflated_bytes[pos_i], p_received_at[pos_i],
          p_admitted[pos_i], p_user_agents[pos_i], p_browsers[pos_i], p_browser_versions[pos_i], p_oses[pos_i], p_devices[pos_i],
          p_max_events, p_max_inflated_bytes, p_max_pages, p_max_span_ms
        ) b;
      r_idx := r_idx || pos_i; r_outcome := r_outcome || one.outcome;
      r_started := r_started || one.started_at; r_ended := r_ended || one.ended_at; r_events := r_events || one.event_count;
      r_pages := r_pages || one.page_count; r_inflated := r_inflated || one.inflated_bytes; r_new_page := r_new_page || one.new_page;
    END LOOP;
  END IF;

  RETURN QUERY
    SELECT r.i, r.o, r.st, r.en, r.ev, r.pc, r.inf, r.np
    FROM unnest(r_idx, r_outcome, r_started, r_ended, r_events, r_pages, r_inflated, r_new_page) AS r(i, o, st, en, ev, pc, inf, np)
    ORDER BY p_session_ids[r.i] COLLATE "C", r.i;
END;
$$;
