-- 009: scheduled jobs run once per schedule, whichever node gets there first (PostgreSQL only: one
-- SQLite node runs its jobs itself).

-- One row per job. A node claims a run by moving next_run_at on past now in the same statement
-- that checks it was due (server/src/jobs/run-on-schedule.ts), so of several nodes due at once
-- exactly one claims it. claimed_until is the claim's lease: a node that dies mid-run leaves the
-- job to the next run of its schedule, and none starts beside a run in progress.
-- Not per site: like admin_sessions, a Citus deployment would keep it on the coordinator.
CREATE TABLE job_schedule (
  name text PRIMARY KEY,
  next_run_at bigint NOT NULL,
  claimed_by text,
  claimed_until bigint NOT NULL DEFAULT 0,
  last_finished_at bigint
);
