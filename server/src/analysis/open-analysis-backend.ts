// Opens what the analysis pass runs on: SQLite in the data directory, or the PostgreSQL database of DATABASE_URL, with the jobs that go beside it.
import type { Config } from '../config';
import { createGoalJobRunner } from '../conversions/goal-job-runner';
import { openDatabase } from '../db/open-database';
import { createRepos, type AppRepos } from '../repos/create-repos';
import { createRetentionJob } from '../retention/retention-job';
import type { BackgroundWork } from './analysis-loop';
import { sqliteTransactions, type AnalysisTransactions } from './analysis-transactions';

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

/** PostgreSQL's modules are loaded only when DATABASE_URL asks for them: SQLite's analysis process starts as fast as before (batches wait for it). */
export async function openAnalysisBackend(config: Pick<Config, 'dataDir' | 'databaseUrl'>): Promise<AnalysisBackend> {
  if (!config.databaseUrl) return openSqliteAnalysis(config.dataDir);
  const { openPgAnalysis } = await import('./open-pg-analysis');
  return openPgAnalysis(config.databaseUrl);
}
