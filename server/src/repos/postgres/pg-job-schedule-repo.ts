// PostgreSQL rows that let one node of many claim each run of a scheduled job.
import type { Pool } from 'pg';
import type { JobScheduleStore } from '../../jobs/run-on-schedule';
import { statement } from './pg-statement';

/**
 * Claims the run when it is due and no claim's lease is running, moving the next run on in the same
 * statement. ON CONFLICT DO UPDATE locks the row and re-checks the WHERE on its latest version, so
 * of nodes asking at once only the first gets a row back; the INSERT branch makes a job's first run.
 */
const claimRun = statement<[string, string, number, number, number]>(
  'job_schedule_claim',
  `
  INSERT INTO job_schedule AS j (name, next_run_at, claimed_by, claimed_until) VALUES ($1, $3::bigint + $4::bigint, $2, $3::bigint + $5::bigint)
  ON CONFLICT (name) DO UPDATE SET next_run_at = EXCLUDED.next_run_at, claimed_by = EXCLUDED.claimed_by, claimed_until = EXCLUDED.claimed_until
  WHERE j.next_run_at <= $3::bigint AND j.claimed_until <= $3::bigint
  RETURNING name`,
);

const finishRun = statement<[string, string, number]>(
  'job_schedule_finish',
  'UPDATE job_schedule SET claimed_until = 0, last_finished_at = $3 WHERE name = $1 AND claimed_by = $2',
);

export function createPgJobScheduleRepo(pool: Pool): JobScheduleStore {
  return {
    claim: async (name, nodeId, now, intervalMs, leaseMs) => (await claimRun.run(pool, name, nodeId, now, intervalMs, leaseMs)).rowCount === 1,
    async finish(name, nodeId, now) {
      await finishRun.run(pool, name, nodeId, now);
    },
  };
}
