-- 008: where a replay may start. snapshot_ts is the time of the first Meta event a stored batch holds
-- with a full snapshot after it in the same batch (a page load, or rrweb's checkoutEveryNms), so the
-- viewer can play a moment from the last such batch before it instead of from the session's first.
-- NULL: the batch holds none.
ALTER TABLE chunks ADD COLUMN snapshot_ts INTEGER;

-- Batches stored before this migration: their analysed signals say where they took a full snapshot
-- after a Meta event (a snapshot signal carries the Meta's viewport). Its time is the snapshot's, a
-- few ms after the Meta's: a replay started there is still complete. Rows without the text are
-- skipped before any JSON is parsed.
UPDATE chunks SET snapshot_ts = (
  SELECT min(json_extract(j.value, '$.t'))
  FROM page_signals p, json_each(p.signals) j
  WHERE p.session_id = chunks.session_id AND p.seq = chunks.seq
    AND json_extract(j.value, '$.k') = 'snapshot' AND json_type(j.value, '$.width') IS NOT NULL
)
WHERE EXISTS (
  SELECT 1 FROM page_signals p
  WHERE p.session_id = chunks.session_id AND p.seq = chunks.seq AND instr(p.signals, '"k":"snapshot"') > 0
);
