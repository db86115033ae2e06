// Retention across nodes (PostgreSQL): one node runs each check, the whole run through, instead of every node's analysis loop running its own.
import { createRetentionJob, RETENTION_CHECK_INTERVAL_MS, type RetentionJobDeps } from '../retention/retention-job';
import type { ScheduledJob } from './run-on-schedule';

/** A run deletes in slices of a few sessions; an hour is far beyond one, so only a node lost mid-run holds the next back this long. */
const RETENTION_LEASE_MS = 60 * 60 * 1000;

/**
 * The same retention job as the SQLite analysis loop runs a slice at a time; here a run goes to the
 * end at once, since it runs beside the analysis loop (PostgreSQL answers both), not inside it.
 */
export function createRetentionScheduledJob(deps: Omit<RetentionJobDeps, 'db' | 'checkIntervalMs'>): ScheduledJob {
  return {
    name: 'retention',
    intervalMs: RETENTION_CHECK_INTERVAL_MS,
    leaseMs: RETENTION_LEASE_MS,
    async run() {
      // A job that starts its run at once and never again: the schedule decides when the next comes.
      const job = createRetentionJob({ ...deps, checkIntervalMs: Number.POSITIVE_INFINITY });
      while (await job.runSlice());
    },
  };
}
