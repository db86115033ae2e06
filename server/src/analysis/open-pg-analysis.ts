// The analysis process's PostgreSQL side: a pool of its own, repositories bound to the pass's transactions, and retention on the shared schedule.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { createGoalJobRunner } from '../conversions/goal-job-runner';
import { openPostgres } from '../db/postgres/open-postgres';
import { createRetentionScheduledJob } from '../jobs/retention-scheduled-job';
import { createJobRunner, startJobTimer } from '../jobs/run-on-schedule';
import { createPgRepos } from '../repos/postgres/create-pg-repos';
import { createPgJobScheduleRepo } from '../repos/postgres/pg-job-schedule-repo';
import type { AnalysisBackend } from './open-analysis-backend';
import { pgAnalysisDatabase } from './pg-analysis-transactions';

/** Connections of an analysis process's pool: one transaction at a time, plus the scheduled jobs and their reads beside it. */
export const ANALYSIS_POOL_SIZE = 3;

/**
 * Every node runs one: the passes share the queue (claims with SKIP LOCKED and a lease), goal jobs
 * are claimed per job row, and retention runs once per schedule whichever node claims the run
 * (job_schedule). The batch partitions job is the server's (main.ts), on the same schedule table.
 */
export function openPgAnalysis(databaseUrl: string, { nodeId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}` } = {}): AnalysisBackend {
  const raw = openPostgres(databaseUrl, { max: ANALYSIS_POOL_SIZE });
  const { pool, transactions } = pgAnalysisDatabase(raw);
  const repos = createPgRepos(pool);
  const jobs = startJobTimer(createJobRunner(createPgJobScheduleRepo(raw), nodeId, [createRetentionScheduledJob({ sites: repos.sites, deletion: repos.deletion })]));
  return {
    repos,
    transactions,
    background: [createGoalJobRunner(transactions, repos.conversions)],
    startScheduled: () => jobs.start(),
    async close() {
      await jobs.stop();
      await raw.end();
    },
  };
}

