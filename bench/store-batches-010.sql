-- bench/store-batch-cost.ts --variant: store_batches as migration 010 defined it (store_batch once a batch), to compare with 011's set-based version in one run.
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
DECLARE
  n integer := cardinality(p_session_ids);
  body_starts integer[] := array_fill(0, ARRAY[n]);
  next_start integer := 1;
  i integer;
  stored record;
BEGIN
  FOR i IN 1 .. n LOOP
    body_starts[i] := next_start;
    next_start := next_start + p_body_lengths[i];
  END LOOP;
  FOR i IN SELECT o.pos FROM unnest(p_session_ids) WITH ORDINALITY AS o(id, pos) ORDER BY o.id COLLATE "C", o.pos LOOP
    SELECT b.outcome, b.started_at, b.ended_at, b.event_count, b.page_count, b.inflated_bytes, b.new_page INTO stored
      FROM store_batch(
        p_site_ids[i], p_session_ids[i], p_seqs[i], p_page_ids[i], p_urls[i],
        p_first_ts[i], p_last_ts[i], p_event_counts[i], p_snapshot_ts[i],
        substring(p_bodies FROM body_starts[i] FOR p_body_lengths[i]), p_inflated_bytes[i], p_received_at[i],
        p_admitted[i], p_user_agents[i], p_browsers[i], p_browser_versions[i], p_oses[i], p_devices[i],
        p_max_events, p_max_inflated_bytes, p_max_pages, p_max_span_ms
      ) b;
    idx := i;
    outcome := stored.outcome; started_at := stored.started_at; ended_at := stored.ended_at;
    event_count := stored.event_count; page_count := stored.page_count;
    inflated_bytes := stored.inflated_bytes; new_page := stored.new_page;
    RETURN NEXT;
  END LOOP;
END;
$$;
