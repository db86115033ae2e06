// Opens the SQLite file in DATA_DIR with the pragmas the server relies on, then brings its schema up to date.
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrate';

export const DATABASE_FILE_NAME = 'frictionlens.db';
/** How long a writer waits for another connection's lock (a backup tool, the sqlite3 shell) before failing. */
export const BUSY_TIMEOUT_MS = 5000;
/** Recordings are personal data: only the server's own user may read the database and its WAL. */
export const DATA_FILE_MODE = 0o600;
/** SQLite's companions of the database file, created beside it with the database file's mode. */
const COMPANION_SUFFIXES = ['-wal', '-shm', '-journal'];

export interface OpenDatabaseOptions {
  /** busy_timeout in ms; BUSY_TIMEOUT_MS by default. */
  busyTimeoutMs?: number;
}

export function databasePath(dataDir: string): string {
  return join(dataDir, DATABASE_FILE_NAME);
}

/**
 * SQLite creates the -wal and -shm files with the database file's permissions, so creating that
 * file 0600 first covers them all, whatever the umask. Files left 0644 by an older version are
 * tightened on the way.
 */
function restrictDatabaseFiles(path: string): void {
  if (!existsSync(path)) closeSync(openSync(path, 'a', DATA_FILE_MODE));
  for (const file of [path, ...COMPANION_SUFFIXES.map((suffix) => path + suffix)]) {
    if (existsSync(file)) chmodSync(file, DATA_FILE_MODE);
  }
}

/** `target` is a data directory, or ':memory:' for a throwaway database. */
export function openDatabase(target: string, options: OpenDatabaseOptions = {}): Database.Database {
  if (target !== ':memory:') restrictDatabaseFiles(databasePath(target));
  const db = new Database(target === ':memory:' ? target : databasePath(target));
  try {
    // Deleted sessions' pages can then be handed back to the file system (the retention job runs
    // incremental_vacuum). It takes effect only on a new database, before journal_mode writes its
    // first page; an older database keeps NONE until a VACUUM (npm run vacuum) applies it.
    db.pragma('auto_vacuum = INCREMENTAL');
    // WAL lets the viewer's reads run while ingest writes; NORMAL skips the fsync per commit,
    // which in WAL mode risks only the last commits on power loss, never corruption.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${Math.floor(options.busyTimeoutMs ?? BUSY_TIMEOUT_MS)}`);
    migrate(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
