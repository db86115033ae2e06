-- 006: what the per-session caps count that the sessions table did not keep yet.

-- Bytes of event JSON the session's batches inflate to, summed as they are stored. Sessions stored
-- before this migration count from here on: the cap only ever lets them store less than it says more.
ALTER TABLE sessions ADD COLUMN inflated_bytes INTEGER NOT NULL DEFAULT 0;
