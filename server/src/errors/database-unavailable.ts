// Recognizes SQLite failures that mean "the database cannot take writes right now" and turns them into a 503.
import BetterSqlite3 from 'better-sqlite3';
import { ApiError } from './api-error';

/**
 * Another connection held the lock past busy_timeout (a backup, the sqlite3 shell, a long analysis
 * commit): it is usually free again within seconds.
 */
export const BUSY_RETRY_AFTER_S = 5;
/**
 * The disk is full, failing or read-only: someone has to act, so clients come back less often.
 * The recorder keeps its batches meanwhile (localStorage, about 1 MB per browser).
 */
export const STORAGE_RETRY_AFTER_S = 60;

const BUSY = /^SQLITE_(BUSY|LOCKED)/;
const STORAGE = /^SQLITE_(FULL|IOERR|READONLY)/;

/** The 503 for an error the database raised because it cannot write now, or undefined for any other error. */
export function databaseUnavailable(error: unknown): ApiError | undefined {
  if (!(error instanceof BetterSqlite3.SqliteError)) return undefined;
  if (BUSY.test(error.code)) {
    return new ApiError(503, 'unavailable', 'The database is busy; try again shortly', { cause: error, retryAfterS: BUSY_RETRY_AFTER_S });
  }
  if (STORAGE.test(error.code)) {
    return new ApiError(503, 'unavailable', 'The server cannot store data right now', { cause: error, retryAfterS: STORAGE_RETRY_AFTER_S });
  }
  return undefined;
}
