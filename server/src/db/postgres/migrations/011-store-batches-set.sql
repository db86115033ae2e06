-- 011: store_batches (010) stores a group of five or more batches with a few statements for the
-- whole group instead of one store_batch call (five statements) a batch.
--
-- 1. One INSERT ... ON CONFLICT takes the group's sessions in byte order, as 010's calls did one
--    after another: it inserts each new session (from its first admitted batch within the caps)
--    and locks each stored one, so groups on two nodes that share sessions still wait for each
--    other in one order and cannot deadlock.
-- 2. One statement answers every batch whose outcome depends only on its session's row, its seq
--    and its page (the first batch of a session in the group, of a session that belongs to the
--    batch's site and has its lowest seq kept; or a batch of a session not stored: 'new'), and
--    writes the new pages, the moved page starts, the chunks, the queue rows and one update a
--    session. A busy node's group holds one batch of each of many sessions (a tab sends one every
--    few seconds), so nearly every batch is answered here.
-- 3. Every other batch (a session's later batches in the group, one past a cap, another site's
--    session) goes through store_batch (008) after that, in 010's order, and sees those writes.
-- Every batch gets the outcome, totals and new_page 010 gives it (store-batches.test.ts checks
-- this against 010, batch for batch, with the rows left behind). Rows come back in 010's order
-- (session id, then position); idx says which batch each is.
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
  body_starts integer[];
  -- The sessions offered to the insert that takes them (each once, in byte order), and for each the
  -- batch whose values a new row takes: the first admitted batch within the caps, or for a session
  -- without one (stored when looked at), its first batch, only to lock the stored row.
  offer_ids text[];
  offer_pos integer[];
  offer_creates boolean[];
  -- Those the insert wrote: sessions it started.
  created text[];
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
  -- A small group is stored as 010 stored every group, one store_batch call a batch in the same
  -- order: below 5 batches the group statements' setup costs more than they save (one backend's
  -- CPU, groups of different stored sessions: 240 against 173 µs a batch at 2, even at 5, 127
  -- against 143 at 10), and a quiet node sends its batches one or two at a time.
  IF cardinality(p_session_ids) < 5 THEN
    body_starts := array_fill(1, ARRAY[cardinality(p_session_ids)]);
    FOR pos_i IN 2 .. cardinality(p_session_ids) LOOP
      body_starts[pos_i] := body_starts[pos_i - 1] + p_body_lengths[pos_i - 1];
    END LOOP;
    FOR pos_i IN SELECT o.pos FROM unnest(p_session_ids) WITH ORDINALITY AS o(id, pos) ORDER BY o.id COLLATE "C", o.pos LOOP
      SELECT b.outcome, b.started_at, b.ended_at, b.event_count, b.page_count, b.inflated_bytes, b.new_page INTO one
        FROM store_batch(
          p_site_ids[pos_i], p_session_ids[pos_i], p_seqs[pos_i], p_page_ids[pos_i], p_urls[pos_i],
          p_first_ts[pos_i], p_last_ts[pos_i], p_event_counts[pos_i], p_snapshot_ts[pos_i],
          substring(p_bodies FROM body_starts[pos_i] FOR p_body_lengths[pos_i]), p_inflated_bytes[pos_i], p_received_at[pos_i],
          p_admitted[pos_i], p_user_agents[pos_i], p_browsers[pos_i], p_browser_versions[pos_i], p_oses[pos_i], p_devices[pos_i],
          p_max_events, p_max_inflated_bytes, p_max_pages, p_max_span_ms
        ) b;
      idx := pos_i; outcome := one.outcome; started_at := one.started_at; ended_at := one.ended_at;
      event_count := one.event_count; page_count := one.page_count; inflated_bytes := one.inflated_bytes; new_page := one.new_page;
      RETURN NEXT;
    END LOOP;
    RETURN;
  END IF;
  -- One statement takes every session in byte order, as 010's calls one after another did: it
  -- inserts a new session's row from its first admitted batch within the caps alone (store_batch's
  -- test), or, finding the id stored (or waiting for another node's insert of it to commit), locks
  -- that row (DO UPDATE locks the row also when its WHERE updates nothing). A session without such
  -- a batch is offered only when stored, to be locked; deleted in between, it is inserted all the
  -- same: that is an error below, and the node stores the group a batch a call.
  WITH offer AS (
    SELECT g.id, coalesce(g.creator, g.first_pos)::integer AS pos, g.creator IS NOT NULL AS creates
    FROM (
      SELECT u.id, min(u.pos) AS first_pos,
        min(u.pos) FILTER (WHERE u.admitted AND u.events <= p_max_events AND u.inflated <= p_max_inflated_bytes
                           AND p_max_pages >= 1 AND u.last_ts - u.first_ts <= p_max_span_ms) AS creator
      FROM unnest(p_session_ids, p_admitted, p_event_counts, p_inflated_bytes, p_first_ts, p_last_ts)
        WITH ORDINALITY AS u(id, admitted, events, inflated, first_ts, last_ts, pos)
      GROUP BY u.id
    ) g
    -- By id, one index lookup each (an EXISTS here may be planned, while sessions is small, as a hash of the whole table).
    LEFT JOIN LATERAL (SELECT true AS stored FROM sessions WHERE sessions.id = g.id LIMIT 1) e ON true
    WHERE g.creator IS NOT NULL OR e.stored
  ),
  taken AS (
    INSERT INTO sessions AS s (site_id, id, started_at, ended_at, page_count, event_count, entry_url, user_agent,
                               browser, browser_version, os, device, received_at, updated_at, inflated_bytes, first_seq)
    SELECT p_site_ids[offer.pos], offer.id, p_first_ts[offer.pos], p_last_ts[offer.pos], 1, p_event_counts[offer.pos], p_urls[offer.pos],
           p_user_agents[offer.pos], p_browsers[offer.pos], p_browser_versions[offer.pos], p_oses[offer.pos], coalesce(p_devices[offer.pos], ''),
           p_received_at[offer.pos], p_received_at[offer.pos], p_inflated_bytes[offer.pos], p_seqs[offer.pos]
    FROM offer ORDER BY offer.id COLLATE "C"
    ON CONFLICT (id) DO UPDATE SET id = EXCLUDED.id WHERE false
    RETURNING s.id
  )
  SELECT
    (SELECT array_agg(offer.id) FROM offer), (SELECT array_agg(offer.pos) FROM offer), (SELECT array_agg(offer.creates) FROM offer),
    (SELECT coalesce(array_agg(taken.id), '{}') FROM taken),
    ARRAY(SELECT (sum(u.len) OVER (ORDER BY u.pos) - u.len + 1)::integer FROM unnest(p_body_lengths) WITH ORDINALITY AS u(len, pos) ORDER BY u.pos)
  INTO offer_ids, offer_pos, offer_creates, created, body_starts;
  IF EXISTS (SELECT 1 FROM unnest(created) AS c(id) WHERE NOT offer_creates[array_position(offer_ids, c.id)]) THEN
    RAISE EXCEPTION 'store_batches: a session was deleted while its batches were stored';
  END IF;

  WITH probed AS (
    SELECT u.pos::integer AS pos, u.site_id, u.session_id, u.seq, u.page_id, u.first_ts, u.last_ts, u.events, u.inflated, u.admitted,
      s.id IS NOT NULL AS found,
      -- A session this call inserted: the batch it was inserted from, whose totals it holds.
      CASE WHEN u.session_id = ANY(created) THEN offer_pos[array_position(offer_ids, u.session_id)] END AS creator,
      s.started_at AS s_started, s.ended_at AS s_ended, s.event_count AS s_events, s.page_count AS s_pages, s.inflated_bytes AS s_inflated, s.received_at AS s_received, s.first_seq AS s_first_seq,
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
    FROM unnest(p_site_ids, p_session_ids, p_seqs, p_page_ids, p_first_ts, p_last_ts, p_event_counts, p_inflated_bytes, p_admitted)
      WITH ORDINALITY AS u(site_id, session_id, seq, page_id, first_ts, last_ts, events, inflated, admitted, pos)
    -- Each session looked up by its id, as it was taken (OFFSET 0 keeps the subquery from becoming a
    -- join, whose plan, cached while sessions was small, could read the whole table). A session not
    -- taken above is not stored, as far as this call knows.
    LEFT JOIN LATERAL (SELECT * FROM sessions WHERE sessions.id = u.session_id AND sessions.id = ANY(offer_ids) OFFSET 0) s ON true
  ),
  -- store_batch's checks, in its order: a stored seq is a duplicate whatever the caps. A session's
  -- batches before the one it was inserted from found it new: 'new', or past a cap alone if admitted.
  settled AS (
    SELECT probed.*, NOT probed.found OR coalesce(probed.pos < probed.creator, false) AS refused,
      CASE WHEN probed.creator IS NOT NULL THEN probed.pos = probed.creator ELSE coalesce(probed.usual AND (probed.dup OR (
        probed.s_events + probed.events <= p_max_events
        AND probed.s_inflated + probed.inflated <= p_max_inflated_bytes
        AND (probed.page_start IS NOT NULL OR probed.s_pages + 1 <= p_max_pages)
        AND greatest(probed.s_ended, probed.last_ts) - least(probed.s_started, probed.first_ts) <= p_max_span_ms
      )), false) END AS here
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
    WHERE stored.creator IS NULL AND sessions.site_id = stored.site_id AND sessions.id = stored.session_id
  )
  SELECT
    coalesce(r_idx, '{}') || array_agg(a.pos),
    r_outcome || array_agg(CASE WHEN a.refused THEN CASE WHEN a.admitted THEN 'session_limit' ELSE 'new' END WHEN a.dup THEN 'duplicate' ELSE 'stored' END),
    r_started || array_agg(CASE WHEN a.refused THEN a.first_ts ELSE a.s_started END),
    r_ended || array_agg(CASE WHEN a.refused THEN a.last_ts ELSE a.s_ended END),
    r_events || array_agg(CASE WHEN a.refused THEN 0 ELSE a.s_events END::bigint),
    r_pages || array_agg(CASE WHEN a.refused THEN 0 ELSE a.s_pages END),
    r_inflated || array_agg(CASE WHEN a.refused THEN 0 ELSE a.s_inflated END),
    r_new_page || array_agg(a.refused OR a.page_start IS NULL),
    ARRAY(SELECT settled.pos FROM settled WHERE NOT settled.here AND NOT settled.refused ORDER BY settled.session_id COLLATE "C", settled.pos)
  FROM settled a WHERE a.here OR a.refused
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
