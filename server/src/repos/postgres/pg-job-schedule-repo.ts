// PostgreSQL rows that let one node of many claim each run of a scheduled job.
import type { Pool } from 'pg';
import type { JobScheduleStore } from '../../jobs/run-on-schedule';

/**
 * Claims the run when it is due and no claim's lease is running, moving the next run on in the same
 * statement. ON CONFLICT DO UPDATE locks the row and re-checks the WHERE on its latest version, so
 * of nodes asking at once only the first gets a row back; the INSERT branch makes a job's first run.
 */
const CLAIM_SQL = `
  INSERT INTO job_schedule AS j (name, next_run_at, claimed_by, claimed_until) VALUES ($1, $3::bigint + $4::bigint, $2, $3::bigint + $5::bigint)
  ON CONFLICT (name) DO UPDATE SET next_run_at = EXCLUDED.next_run_at, claimed_by = EXCLUDED.claimed_by, claimed_until = EXCLUDED.claimed_until
  WHERE j.next_run_at <= $3::bigint AND j.claimed_until <= $3::bigint
  RETURNING name`;

const FINISH_SQL = `UPDATE job_schedule SET claimed_until = 0, last_finished_at = $3 WHERE name = $1 AND claimed_by = $2`;

export function createPgJobScheduleRepo(pool: Pool): JobScheduleStore {
  return {
    async claim(name, nodeId, now, intervalMs, leaseMs) {
      const { rowCount } = await pool.query({ name: 'job-schedule-claim', text: CLAIM_SQL, values: [name, nodeId, now, intervalMs, leaseMs] });
      return rowCount === 1;
    },
    async finish(name, nodeId, now) {
      await pool.query({ name: 'job-schedule-finish', text: FINISH_SQL, values: [name, nodeId, now] });
    },
  };
}
