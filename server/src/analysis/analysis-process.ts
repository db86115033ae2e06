// Entry of the analysis child process: its own SQLite connection, a lower CPU priority, the pass in a loop.
import { setPriority } from 'node:os';
import { loadConfig } from '../config';
import { openDatabase } from '../db/open-database';
import { createRepos } from '../repos/create-repos';
import { createGoalJobRunner } from '../conversions/goal-job-runner';
import { createSessionDeletionRepo } from '../repos/session-deletion-repo';
import { createRetentionJob } from '../retention/retention-job';
import { createAnalysisPass } from './analysis-pass';
import { startAnalysisLoop } from './analysis-loop';

/**
 * Ingest answers recorders and must not wait for analysis: on a busy machine the kernel gives this
 * process's CPU to the server first, and the queue catches up when the burst is over.
 */
export const ANALYSIS_NICENESS = 10;

const config = loadConfig();
try {
  setPriority(0, ANALYSIS_NICENESS);
} catch {
  // Not allowed on this system: run at normal priority.
}
const db = openDatabase(config.dataDir);
const repos = createRepos(db);
const loop = startAnalysisLoop(createAnalysisPass({ db, repos, idleTimeoutMs: config.sessionIdleTimeoutMs }), {
  background: [createGoalJobRunner(db, repos.conversions), createRetentionJob({ db, sites: repos.sites, deletion: createSessionDeletionRepo(db) })],
});

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  // The pass in hand has finished (passes are synchronous); nothing is half-written.
  loop.stop();
  db.close();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The server went away (even by SIGKILL): its IPC channel closes, and this process must not outlive it.
process.on('disconnect', stop);
