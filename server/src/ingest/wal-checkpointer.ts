// Checkpoints the WAL from a worker thread, so copying it into the database file never stalls ingest's event loop.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';

/** How often the worker checkpoints: at full ingest load the WAL then holds a few MB between runs. */
export const CHECKPOINT_INTERVAL_MS = 200;
/**
 * The writing connection's own automatic checkpoint, kept as a backstop should the worker fall
 * behind or stop: 10,000 pages (40 MB of 4 KB pages) instead of SQLite's 1,000.
 */
export const BACKSTOP_AUTOCHECKPOINT_PAGES = 10_000;

export interface WalCheckpointer {
  /** Stops the worker and closes its connection, so the server's own close is the last and removes the WAL. */
  stop(): Promise<void>;
}

/**
 * Plain JavaScript, so the worker needs no TypeScript loader. PASSIVE never waits on a lock and
 * never blocks the writer: it copies what no reader still needs, and the writer starts the WAL
 * over once all of it is copied. A failed run is left to the next one (or to the backstop).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * SQLite checkpoints in the connection whose commit takes the WAL past wal_autocheckpoint pages:
 * under ingest load that was the server's own, every few hundred batches, and each time the copy
 * of those pages into the database file and its two fsyncs held the event loop for milliseconds
 * (the wall time of the ingest bench's commits was three quarters checkpoints). Here a worker
 * thread with a connection of its own checkpoints instead, and the server's connection only
 * appends to the WAL. What is stored, and when it is durable, do not change: commits still go to
 * the WAL as before, and the worker's checkpoints are SQLite's own.
 */
export function startWalCheckpointer(db: Database, intervalMs = CHECKPOINT_INTERVAL_MS): WalCheckpointer {
  if (db.memory) return { stop: async () => {} };
  db.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path: db.name, intervalMs } });
  // It must not keep a process alive that is otherwise done, nor take it down: the backstop remains.
  worker.unref();
  worker.on('error', (error) => console.error(`frictionlens: the WAL checkpoint worker stopped (the server checkpoints every ${BACKSTOP_AUTOCHECKPOINT_PAGES} pages itself):`, error));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      worker.postMessage('stop');
      await exited;
    },
  };
}
