// Opens the SQLite file in DATA_DIR with the pragmas the server relies on, then brings its schema up to date.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrate';

export const DATABASE_FILE_NAME = 'frictionlens.db';
/** How long a writer waits for another connection's lock (a backup tool, the sqlite3 shell) before failing. */
export const BUSY_TIMEOUT_MS = 5000;

export function databasePath(dataDir: string): string {
  return join(dataDir, DATABASE_FILE_NAME);
}

/** `target` is a data directory, or ':memory:' for a throwaway database. */
export function openDatabase(target: string): Database.Database {
  const db = new Database(target === ':memory:' ? target : databasePath(target));
  try {
    // WAL lets the viewer's reads run while ingest writes; NORMAL skips the fsync per commit,
    // which in WAL mode risks only the last commits on power loss, never corruption.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    migrate(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
