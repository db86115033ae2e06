-- bench/store-batch-cost.ts --variant: store_batch as migration 008 defined it before the lowest seq was kept on the session row (commit 3a7b84c), for comparison.
DROP FUNCTION store_batch;
CREATE FUNCTION store_batch(
  p_site_id text, p_session_id text, p_seq integer, p_page_id text, p_url text,
  p_first_ts bigint, p_last_ts bigint, p_event_count integer, p_snapshot_ts bigint,
  p_body bytea, p_inflated_bytes bigint, p_received_at bigint,
  p_admitted boolean, p_user_agent text, p_browser text, p_browser_version text, p_os text, p_device text,
  p_max_events bigint, p_max_inflated_bytes bigint, p_max_pages integer, p_max_span_ms bigint,
  OUT outcome text, OUT started_at bigint, OUT ended_at bigint, OUT event_count bigint,
  OUT page_count integer, OUT inflated_bytes bigint, OUT new_page boolean
)
LANGUAGE plpgsql AS $$
DECLARE
  s sessions%ROWTYPE;
  page_start bigint;
  first_seq integer;
  earlier boolean;
BEGIN
  LOOP
    -- By id alone, and the owner checked on the row found: one statement decides. (A second lookup
    -- for another site's row could see this site's own row, committed by another node in between,
    -- and refuse its batch as a conflict.)
    SELECT * INTO s FROM sessions WHERE sessions.id = p_session_id FOR UPDATE;
    IF FOUND THEN
      IF s.site_id <> p_site_id THEN
        outcome := 'conflict';
        RETURN;
      END IF;
      EXIT;
    END IF;
    new_page := true;
    started_at := p_first_ts; ended_at := p_last_ts; event_count := 0; page_count := 0; inflated_bytes := 0;
    IF NOT p_admitted THEN
      outcome := 'new';
      RETURN;
    END IF;
    IF p_event_count > p_max_events OR p_inflated_bytes > p_max_inflated_bytes OR p_max_pages < 1
       OR p_last_ts - p_first_ts > p_max_span_ms THEN
      outcome := 'session_limit';
      RETURN;
    END IF;
    INSERT INTO sessions (site_id, id, started_at, ended_at, page_count, event_count, entry_url, user_agent,
                          browser, browser_version, os, device, received_at, updated_at, inflated_bytes)
    VALUES (p_site_id, p_session_id, p_first_ts, p_last_ts, 1, p_event_count, p_url, p_user_agent,
            p_browser, p_browser_version, p_os, p_device, p_received_at, p_received_at, p_inflated_bytes)
    ON CONFLICT DO NOTHING;
    -- Another node inserted the session first (its transaction has committed, or we waited for it
    -- above): go round and store the batch as a later one of that session, or refuse it when the
    -- other node's batch was another site's.
    CONTINUE WHEN NOT FOUND;
    INSERT INTO pages (site_id, session_id, page_id, url, started_at) VALUES (p_site_id, p_session_id, p_page_id, p_url, p_first_ts);
    INSERT INTO chunks (site_id, session_id, seq, session_received_at, page_id, first_ts, last_ts, event_count, body, received_at, snapshot_ts)
    VALUES (p_site_id, p_session_id, p_seq, p_received_at, p_page_id, p_first_ts, p_last_ts, p_event_count, p_body, p_received_at, p_snapshot_ts);
    INSERT INTO analysis_queue (site_id, session_id, seq, enqueued_at) VALUES (p_site_id, p_session_id, p_seq, p_received_at);
    event_count := p_event_count; page_count := 1; inflated_bytes := p_inflated_bytes;
    outcome := 'stored';
    RETURN;
  END LOOP;

  started_at := s.started_at; ended_at := s.ended_at; event_count := s.event_count;
  page_count := s.page_count; inflated_bytes := s.inflated_bytes;
  -- The session's own partition only (its first batch's time is the partition key).
  PERFORM 1 FROM chunks c
    WHERE c.site_id = p_site_id AND c.session_id = p_session_id AND c.seq = p_seq AND c.session_received_at = s.received_at;
  IF FOUND THEN
    outcome := 'duplicate';
    RETURN;
  END IF;
  SELECT pg.started_at INTO page_start FROM pages pg
    WHERE pg.site_id = p_site_id AND pg.session_id = p_session_id AND pg.page_id = p_page_id;
  new_page := NOT FOUND;
  IF s.event_count + p_event_count > p_max_events
     OR s.inflated_bytes + p_inflated_bytes > p_max_inflated_bytes
     OR (new_page AND s.page_count + 1 > p_max_pages)
     OR greatest(s.ended_at, p_last_ts) - least(s.started_at, p_first_ts) > p_max_span_ms THEN
    outcome := 'session_limit';
    RETURN;
  END IF;

  IF new_page THEN
    INSERT INTO pages (site_id, session_id, page_id, url, started_at) VALUES (p_site_id, p_session_id, p_page_id, p_url, p_first_ts);
  ELSIF p_first_ts < page_start THEN
    UPDATE pages SET started_at = p_first_ts
      WHERE pages.site_id = p_site_id AND pages.session_id = p_session_id AND pages.page_id = p_page_id;
  END IF;
  -- A batch before every stored one (seq order) gives the session its entry URL, and its start if earlier.
  SELECT min(c.seq) INTO first_seq FROM chunks c
    WHERE c.site_id = p_site_id AND c.session_id = p_session_id AND c.session_received_at = s.received_at;
  earlier := first_seq IS NULL OR p_seq < first_seq;
  UPDATE sessions SET
    started_at = CASE WHEN earlier THEN least(sessions.started_at, p_first_ts) ELSE sessions.started_at END,
    entry_url = CASE WHEN earlier THEN p_url ELSE sessions.entry_url END,
    ended_at = greatest(sessions.ended_at, p_last_ts),
    event_count = sessions.event_count + p_event_count,
    page_count = sessions.page_count + CASE WHEN new_page THEN 1 ELSE 0 END,
    inflated_bytes = sessions.inflated_bytes + p_inflated_bytes,
    updated_at = p_received_at
  WHERE sessions.site_id = p_site_id AND sessions.id = p_session_id;
  INSERT INTO chunks (site_id, session_id, seq, session_received_at, page_id, first_ts, last_ts, event_count, body, received_at, snapshot_ts)
  VALUES (p_site_id, p_session_id, p_seq, s.received_at, p_page_id, p_first_ts, p_last_ts, p_event_count, p_body, p_received_at, p_snapshot_ts);
  INSERT INTO analysis_queue (site_id, session_id, seq, enqueued_at) VALUES (p_site_id, p_session_id, p_seq, p_received_at);
  outcome := 'stored';
END;
$$;
