-- 011: store_batches (010) writes a group's common batches with one statement a table instead of
-- one store_batch call (five statements) a batch.
--
-- A common batch is one of a session that exists, belongs to the batch's site and has its lowest
-- seq kept (first_seq), and that is either stored already (duplicate) or fits the session's caps
-- counted with the group's earlier batches of that session. Such batches take no decision that
-- depends on another session or on a write made in between, so for the whole group one statement
-- finds the stored seqs and known pages, works out each batch's outcome and the totals store_batch
-- would have returned for it (window functions over the session's batches in the order given),
-- and writes the new pages, the moved page starts, the chunks, the queue rows and one update a
-- session. From a session's first batch that is not common (a cap reached, another site's session,
-- a seq repeated within the group, no first_seq) that session's remaining batches go through
-- store_batch (008) one by one, after the common ones, so they see their writes: every batch gets
-- the outcome, totals and new_page 010 gives it.
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
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  admitted_ids text[] := '{}';
  locked_ids text[] := '{}';
  -- The last admitted session stored so far: the next lock statement takes the ids after it.
  lock_after text;
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
  IF true = ANY(p_admitted) THEN
    admitted_ids := ARRAY(SELECT DISTINCT u.id COLLATE "C" FROM unnest(p_session_ids, p_admitted) AS u(id, admitted) WHERE u.admitted ORDER BY 1);
    body_starts := ARRAY(SELECT (sum(u.len) OVER (ORDER BY u.pos) - u.len + 1)::integer FROM unnest(p_body_lengths) WITH ORDINALITY AS u(len, pos) ORDER BY u.pos);
    r_idx := '{}';
    FOR pos_i IN SELECT o.pos FROM unnest(p_session_ids) WITH ORDINALITY AS o(id, pos) WHERE o.id = ANY(admitted_ids) ORDER BY o.id COLLATE "C", o.pos LOOP
      IF lock_after IS DISTINCT FROM p_session_ids[pos_i] THEN
        locked_ids := locked_ids || ARRAY(
          SELECT s.id FROM sessions s
          WHERE s.id = ANY(p_session_ids) AND (lock_after IS NULL OR s.id COLLATE "C" > lock_after) AND s.id COLLATE "C" < p_session_ids[pos_i]
          ORDER BY s.id COLLATE "C" FOR UPDATE);
        lock_after := p_session_ids[pos_i];
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
  locked_ids := locked_ids || ARRAY(
    SELECT s.id FROM sessions s
    WHERE s.id = ANY(p_session_ids) AND (lock_after IS NULL OR s.id COLLATE "C" > lock_after)
    ORDER BY s.id COLLATE "C" FOR UPDATE);

  WITH batch AS (
    SELECT b.*, s.id IS NOT NULL AS found, s.site_id AS owner, s.started_at AS s_started, s.ended_at AS s_ended,
           s.event_count AS s_events, s.page_count AS s_pages, s.inflated_bytes AS s_inflated,
           s.received_at AS s_received, s.first_seq AS s_first_seq
    FROM (
      SELECT u.*, (sum(u.len) OVER (ORDER BY u.pos) - u.len + 1)::integer AS body_start
      FROM unnest(p_site_ids, p_session_ids, p_seqs, p_page_ids, p_urls, p_first_ts, p_last_ts, p_event_counts,
                  p_snapshot_ts, p_body_lengths, p_inflated_bytes, p_received_at)
        WITH ORDINALITY AS u(site_id, session_id, seq, page_id, url, first_ts, last_ts, events, snapshot_ts, len, inflated, received_at, pos)
    ) b
    LEFT JOIN sessions s ON s.id = b.session_id AND s.id = ANY(locked_ids)
    WHERE NOT b.session_id = ANY(admitted_ids)
  ),
  -- What store_batch reads a batch: is its seq stored, is its page known. Only for its own site's sessions.
  probed AS (
    SELECT batch.*,
      coalesce(batch.owner = batch.site_id AND EXISTS (
        SELECT 1 FROM chunks c
        WHERE c.site_id = batch.site_id AND c.session_id = batch.session_id AND c.seq = batch.seq AND c.session_received_at = batch.s_received
      ), false) AS dup,
      CASE WHEN batch.owner = batch.site_id THEN (
        SELECT pg.started_at FROM pages pg WHERE pg.site_id = batch.site_id AND pg.session_id = batch.session_id AND pg.page_id = batch.page_id
      ) END AS page_start,
      count(*) OVER (PARTITION BY batch.session_id, batch.seq ORDER BY batch.pos) > 1 AS repeated
    FROM batch
  ),
  -- A page is new to a batch when not stored and no earlier batch of the group stored it (a duplicate stores nothing).
  paged AS (
    SELECT probed.*,
      probed.page_start IS NULL AND count(*) FILTER (WHERE NOT probed.dup) OVER same_page_before = 0 AS new_page
    FROM probed
    WINDOW same_page_before AS (PARTITION BY probed.session_id, probed.page_id ORDER BY probed.pos ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
  ),
  -- The session's earlier batches in the group, as if each were stored (only a common prefix is kept).
  summed AS (
    SELECT paged.*,
      paged.s_events + coalesce(sum(paged.events) FILTER (WHERE NOT paged.dup) OVER earlier_rows, 0) AS events_before,
      paged.s_inflated + coalesce(sum(paged.inflated) FILTER (WHERE NOT paged.dup) OVER earlier_rows, 0)::bigint AS inflated_before,
      paged.s_pages + count(*) FILTER (WHERE paged.new_page AND NOT paged.dup) OVER earlier_rows AS pages_before,
      greatest(paged.s_ended, max(paged.last_ts) FILTER (WHERE NOT paged.dup) OVER earlier_rows) AS ended_before,
      least(paged.s_first_seq, min(paged.seq) FILTER (WHERE NOT paged.dup) OVER earlier_rows) AS lowest_before
    FROM paged
    WINDOW earlier_rows AS (PARTITION BY paged.session_id ORDER BY paged.pos ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
  ),
  -- A batch below every stored seq moves the session's start (if earlier) and entry URL.
  flagged AS (
    SELECT summed.*, NOT summed.dup AND summed.seq < summed.lowest_before AS earlier FROM summed
  ),
  judged AS (
    SELECT flagged.*,
      least(flagged.s_started, min(flagged.first_ts) FILTER (WHERE flagged.earlier) OVER earlier_rows) AS started_before
    FROM flagged
    WINDOW earlier_rows AS (PARTITION BY flagged.session_id ORDER BY flagged.pos ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
  ),
  common AS (
    SELECT judged.*,
      judged.found AND judged.owner = judged.site_id AND judged.s_first_seq IS NOT NULL AND NOT judged.repeated AND (judged.dup OR (
        judged.events_before + judged.events <= p_max_events
        AND judged.inflated_before + judged.inflated <= p_max_inflated_bytes
        AND (NOT judged.new_page OR judged.pages_before + 1 <= p_max_pages)
        AND greatest(judged.ended_before, judged.last_ts) - least(judged.started_before, judged.first_ts) <= p_max_span_ms
      )) AS is_common
    FROM judged
  ),
  -- A session's batches up to its first uncommon one are stored here; from that one on, by store_batch.
  settled AS (
    SELECT common.*, bool_and(coalesce(common.is_common, false)) OVER (PARTITION BY common.session_id ORDER BY common.pos) AS here
    FROM common
  ),
  stored AS (
    SELECT settled.*, min(settled.first_ts) OVER (PARTITION BY settled.session_id, settled.page_id) AS page_first_ts
    FROM settled WHERE settled.here AND NOT settled.dup
  ),
  new_pages AS (
    INSERT INTO pages (site_id, session_id, page_id, url, started_at)
    SELECT stored.site_id, stored.session_id, stored.page_id, stored.url, stored.page_first_ts FROM stored WHERE stored.new_page
  ),
  earlier_pages AS (
    UPDATE pages SET started_at = m.first_ts
    FROM (
      SELECT stored.site_id, stored.session_id, stored.page_id, min(stored.first_ts) AS first_ts, min(stored.page_start) AS page_start
      FROM stored WHERE stored.page_start IS NOT NULL GROUP BY 1, 2, 3
    ) m
    WHERE m.first_ts < m.page_start AND pages.site_id = m.site_id AND pages.session_id = m.session_id AND pages.page_id = m.page_id
  ),
  new_chunks AS (
    INSERT INTO chunks (site_id, session_id, seq, session_received_at, page_id, first_ts, last_ts, event_count, body, received_at, snapshot_ts)
    SELECT stored.site_id, stored.session_id, stored.seq, stored.s_received, stored.page_id, stored.first_ts, stored.last_ts, stored.events,
           substring(p_bodies FROM stored.body_start FOR stored.len), stored.received_at, stored.snapshot_ts
    FROM stored
  ),
  queued AS (
    INSERT INTO analysis_queue (site_id, session_id, seq, enqueued_at)
    SELECT stored.site_id, stored.session_id, stored.seq, stored.received_at FROM stored ORDER BY stored.session_id COLLATE "C", stored.pos
  ),
  moved AS (
    UPDATE sessions SET
      started_at = least(sessions.started_at, t.earliest_ts),
      entry_url = coalesce(t.entry_url, sessions.entry_url),
      first_seq = least(sessions.first_seq, t.lowest),
      ended_at = greatest(sessions.ended_at, t.last_ts),
      event_count = sessions.event_count + t.events,
      page_count = sessions.page_count + t.pages,
      inflated_bytes = sessions.inflated_bytes + t.inflated,
      updated_at = t.received_at
    FROM (
      SELECT stored.site_id, stored.session_id,
        min(stored.first_ts) FILTER (WHERE stored.earlier) AS earliest_ts,
        (array_agg(stored.url ORDER BY stored.pos DESC) FILTER (WHERE stored.earlier))[1] AS entry_url,
        min(stored.seq) AS lowest, max(stored.last_ts) AS last_ts, sum(stored.events) AS events,
        count(*) FILTER (WHERE stored.new_page) AS pages, sum(stored.inflated)::bigint AS inflated,
        (array_agg(stored.received_at ORDER BY stored.pos DESC))[1] AS received_at
      FROM stored GROUP BY stored.site_id, stored.session_id
    ) t
    WHERE sessions.site_id = t.site_id AND sessions.id = t.session_id
  ),
  answered AS (
    SELECT settled.pos::integer AS pos,
      CASE WHEN NOT settled.found THEN 'new' WHEN settled.dup THEN 'duplicate' ELSE 'stored' END AS outcome,
      CASE WHEN settled.found THEN settled.started_before ELSE settled.first_ts END AS started_at,
      CASE WHEN settled.found THEN settled.ended_before ELSE settled.last_ts END AS ended_at,
      CASE WHEN settled.found THEN settled.events_before ELSE 0 END AS event_count,
      CASE WHEN settled.found THEN settled.pages_before::integer ELSE 0 END AS page_count,
      CASE WHEN settled.found THEN settled.inflated_before ELSE 0 END AS inflated_bytes,
      NOT settled.found OR settled.new_page AS new_page
    FROM settled WHERE settled.here OR NOT settled.found
  )
  SELECT
    coalesce(r_idx, '{}') || array_agg(a.pos), r_outcome || array_agg(a.outcome), r_started || array_agg(a.started_at),
    r_ended || array_agg(a.ended_at), r_events || array_agg(a.event_count), r_pages || array_agg(a.page_count),
    r_inflated || array_agg(a.inflated_bytes), r_new_page || array_agg(a.new_page),
    ARRAY(SELECT settled.pos::integer FROM settled WHERE settled.found AND NOT settled.here ORDER BY settled.session_id COLLATE "C", settled.pos)
  FROM answered a
  INTO r_idx, r_outcome, r_started, r_ended, r_events, r_pages, r_inflated, r_new_page, apart;

  IF cardinality(apart) > 0 THEN
    body_starts := coalesce(body_starts, ARRAY(
      SELECT (sum(u.len) OVER (ORDER BY u.pos) - u.len + 1)::integer FROM unnest(p_body_lengths) WITH ORDINALITY AS u(len, pos) ORDER BY u.pos));
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
