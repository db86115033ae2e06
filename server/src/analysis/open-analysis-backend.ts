// Opens what the analysis pass runs on: SQLite in the data directory, or the PostgreSQL database of DATABASE_URL, with the jobs that go beside it.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Config } from '../config';
import { createGoalJobRunner } from '../conversions/goal-job-runner';
import { openDatabase } from '../db/open-database';
import { openPostgres } from '../db/postgres/open-postgres';
import { createRetentionScheduledJob } from '../jobs/retention-scheduled-job';
import { createJobRunner, startJobTimer } from '../jobs/run-on-schedule';
import { createRepos, type AppRepos } from '../repos/create-repos';
import { createPgRepos } from '../repos/postgres/create-pg-repos';
import { createPgJobScheduleRepo } from '../repos/postgres/pg-job-schedule-repo';
import { createRetentionJob } from '../retention/retention-job';
import type { BackgroundWork } from './analysis-loop';
import { sqliteTransactions, type AnalysisTransactions } from './analysis-transactions';
import { pgAnalysisDatabase } from './pg-analysis-transactions';

/** Connections of an analysis process's pool: one transaction at a time, plus the scheduled jobs and their reads beside it. */
export const ANALYSIS_POOL_SIZE = 3;

export interface AnalysisBackend {
  repos: AppRepos;
  transactions: AnalysisTransactions;
  /** Slices run between passes by the analysis loop. */
  background: BackgroundWork[];
  /** Starts what runs beside the loop (PostgreSQL: the jobs run once per schedule across nodes). */
  startScheduled(): void;
  /** Stops the scheduled jobs (after the run in hand) and closes the database. */
  close(): Promise<void>;
}

export function openSqliteAnalysis(dataDir: string): AnalysisBackend {
  const db = openDatabase(dataDir);
  const repos = createRepos(db);
  const transactions = sqliteTransactions(db);
  return {
    repos,
    transactions,
    // One analysis process per SQLite database: retention runs here a slice at a time.
    background: [createGoalJobRunner(transactions, repos.conversions), createRetentionJob({ db, sites: repos.sites, deletion: repos.deletion })],
    startScheduled() {},
    async close() {
      db.close();
    },
  };
}

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

export function openAnalysisBackend(config: Pick<Config, 'dataDir' | 'databaseUrl'>): AnalysisBackend {
  return config.databaseUrl ? openPgAnalysis(config.databaseUrl) : openSqliteAnalysis(config.dataDir);
}
