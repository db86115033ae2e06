-- 008: ingest's write of one batch as one function call, so a batch costs the node one round trip.
--
-- The same steps as the SQLite path (server/src/ingest/store-batch.ts), with no state kept in the
-- node: any node may take any batch of any session. The session row is locked (FOR UPDATE) first,
-- so two nodes storing batches of one session at once take turns, and each sees the other's totals
-- for the caps.
--
-- A session id belongs to the site that sent its first batch, as on SQLite: the API finds sessions
-- by id alone, so another site must not be able to store a session under an id already taken
-- (its batch is refused with 409). That takes an index on the id alone, the one index besides
-- sites.key not led by the site id; a Citus deployment, which cannot keep a unique index without
-- the distribution column, would drop it and this check, and address sessions by site and id.
CREATE UNIQUE INDEX sessions_id_unique ON sessions (id);
--
-- The session's lowest stored seq, kept by store_batch: only a batch below it may move the session's
-- start and entry URL, and reading it here spares a min(seq) over the session's batches each batch.
-- NULL when not known (a session written outside store_batch, by a test or a tool; the copy from
-- SQLite fills it): store_batch then looks it up once and keeps it.
ALTER TABLE sessions ADD COLUMN first_seq integer;
--
-- Outcomes:
--   stored        the batch, its page and session totals and its analysis queue row are written;
--   duplicate     a batch with this seq is already stored (whatever the session's caps); nothing written;
--   conflict      the session id belongs to another site; nothing written;
--   new           the session is not stored and p_admitted is false; nothing written: the node asks
--                 its limits whether the site may start a session, then calls again with true;
--   session_limit the batch would take the session past a cap; nothing written. The session's
--                 totals are returned, and the node words the refusal (server/src/ingest/session-caps.ts).
-- new_page tells whether the batch starts a page load the session has not stored.
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
  owner text;
  session_received bigint;
  lowest_seq integer;
  page_start bigint;
  earlier boolean;
BEGIN
  LOOP
    -- By id alone, and the owner checked on the row found: one statement decides. (A second lookup
    -- for another site's row could see this site's own row, committed by another node in between,
    -- and refuse its batch as a conflict.)
    SELECT s.site_id, s.started_at, s.ended_at, s.event_count, s.page_count, s.inflated_bytes, s.received_at, s.first_seq
      INTO owner, started_at, ended_at, event_count, page_count, inflated_bytes, session_received, lowest_seq
      FROM sessions s WHERE s.id = p_session_id FOR UPDATE;
    IF FOUND THEN
      IF owner <> p_site_id THEN
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
                          browser, browser_version, os, device, received_at, updated_at, inflated_bytes, first_seq)
    VALUES (p_site_id, p_session_id, p_first_ts, p_last_ts, 1, p_event_count, p_url, p_user_agent,
            p_browser, p_browser_version, p_os, p_device, p_received_at, p_received_at, p_inflated_bytes, p_seq)
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

  SELECT pg.started_at INTO page_start FROM pages pg
    WHERE pg.site_id = p_site_id AND pg.session_id = p_session_id AND pg.page_id = p_page_id;
  new_page := NOT FOUND;
  IF event_count + p_event_count > p_max_events
     OR inflated_bytes + p_inflated_bytes > p_max_inflated_bytes
     OR (new_page AND page_count + 1 > p_max_pages)
     OR greatest(ended_at, p_last_ts) - least(started_at, p_first_ts) > p_max_span_ms THEN
    -- A batch already stored is a duplicate, whatever its session's totals came to since.
    PERFORM 1 FROM chunks c
      WHERE c.site_id = p_site_id AND c.session_id = p_session_id AND c.seq = p_seq AND c.session_received_at = session_received;
    outcome := CASE WHEN FOUND THEN 'duplicate' ELSE 'session_limit' END;
    RETURN;
  END IF;
  -- Sessions written before the column (none yet) or by other paths (copies, tests) have no lowest seq.
  IF lowest_seq IS NULL THEN
    SELECT min(c.seq) INTO lowest_seq FROM chunks c
      WHERE c.site_id = p_site_id AND c.session_id = p_session_id AND c.session_received_at = session_received;
  END IF;

  -- The batch's page first, which its row references; then the batch, whose insert is the duplicate
  -- check (the session's own partition, by the primary key): a seq already stored inserts nothing.
  IF new_page THEN
    INSERT INTO pages (site_id, session_id, page_id, url, started_at) VALUES (p_site_id, p_session_id, p_page_id, p_url, p_first_ts);
  END IF;
  INSERT INTO chunks (site_id, session_id, seq, session_received_at, page_id, first_ts, last_ts, event_count, body, received_at, snapshot_ts)
  VALUES (p_site_id, p_session_id, p_seq, session_received, p_page_id, p_first_ts, p_last_ts, p_event_count, p_body, p_received_at, p_snapshot_ts)
  ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN
    -- A duplicate writes nothing: the page inserted for it goes again (a retry names the stored
    -- batch's page, so this is only a client that reused a seq for another page).
    IF new_page THEN
      DELETE FROM pages WHERE pages.site_id = p_site_id AND pages.session_id = p_session_id AND pages.page_id = p_page_id;
    END IF;
    outcome := 'duplicate';
    RETURN;
  END IF;
  IF NOT new_page AND p_first_ts < page_start THEN
    UPDATE pages SET started_at = p_first_ts
      WHERE pages.site_id = p_site_id AND pages.session_id = p_session_id AND pages.page_id = p_page_id;
  END IF;
  -- A batch before every stored one (seq order) gives the session its entry URL, and its start if earlier.
  earlier := lowest_seq IS NULL OR p_seq < lowest_seq;
  UPDATE sessions SET
    started_at = CASE WHEN earlier THEN least(sessions.started_at, p_first_ts) ELSE sessions.started_at END,
    entry_url = CASE WHEN earlier THEN p_url ELSE sessions.entry_url END,
    first_seq = CASE WHEN earlier THEN p_seq ELSE lowest_seq END,
    ended_at = greatest(sessions.ended_at, p_last_ts),
    event_count = sessions.event_count + p_event_count,
    page_count = sessions.page_count + CASE WHEN new_page THEN 1 ELSE 0 END,
    inflated_bytes = sessions.inflated_bytes + p_inflated_bytes,
    updated_at = p_received_at
  WHERE sessions.site_id = p_site_id AND sessions.id = p_session_id;
  INSERT INTO analysis_queue (site_id, session_id, seq, enqueued_at) VALUES (p_site_id, p_session_id, p_seq, p_received_at);
  outcome := 'stored';
END;
$$;
