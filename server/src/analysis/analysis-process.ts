// Entry of the analysis child process: its own database connection (SQLite, or a PostgreSQL pool), a lower CPU priority, the pass in a loop.
import { setPriority } from 'node:os';
import { loadConfig } from '../config';
import { createAnalysisPass } from './analysis-pass';
import { startAnalysisLoop } from './analysis-loop';
import { openAnalysisBackend } from './open-analysis-backend';

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
const backend = await openAnalysisBackend(config);
const { repos, transactions } = backend;
const loop = startAnalysisLoop(createAnalysisPass({ transactions, repos, idleTimeoutMs: config.sessionIdleTimeoutMs }), { background: backend.background });
backend.startScheduled();

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  // The pass in hand finishes first: nothing is left half-written.
  await loop.stop();
  await backend.close().catch((error: unknown) => console.error('frictionlens: closing the analysis database failed:', error));
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
// The server went away (even by SIGKILL): its IPC channel closes, and this process must not outlive it.
process.on('disconnect', () => void stop());
