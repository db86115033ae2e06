// The transactions the analysis pass and its jobs write in, on either backend: work that awaits its repositories, kept whole or not at all.
import type { Database } from 'better-sqlite3';
import { databaseUnavailable } from '../errors/database-unavailable';

export interface AnalysisTransactions {
  /**
   * Runs `work` in one write transaction: committed when it resolves, rolled back when it throws (and
   * rethrown). `work` may run more than once (PostgreSQL runs it again after a deadlock with another
   * node), so what it changes outside the database must be safe to change again.
   */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  /** Inside `transaction`: when `work` throws, only its own writes are undone (and it is rethrown); the transaction goes on. */
  savepoint<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Inside `transaction`: holds these pages (`sessionId\npageId` keys) against every other writer's
   * judgement of them until the transaction ends, and says whether it did. Where writers take turns
   * anyway (SQLite's one write lock) it does nothing and answers false.
   */
  lockPages(keys: readonly string[]): Promise<boolean>;
  /** Whether an error means the database cannot take the work now (busy, full, unreachable), rather than that the work is wrong. */
  unavailable(error: unknown): boolean;
}

/**
 * SQLite: BEGIN IMMEDIATE … COMMIT on the one connection, awaits inside. That is safe only because
 * the connection is used by nothing else while `work` runs: the analysis process, redetect and the
 * tests run one thing at a time on theirs (the server's own connection never runs the pass).
 * IMMEDIATE: the pass reads before it writes (is the session still there?); a deferred transaction
 * would take the write lock at its first write and fail at once with SQLITE_BUSY when ingest
 * committed in between, instead of waiting its turn (busy_timeout). Statements prepared once.
 */
export function sqliteTransactions(db: Database): AnalysisTransactions {
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  const savepoint = db.prepare('SAVEPOINT analysis_work');
  const release = db.prepare('RELEASE analysis_work');
  const rollbackTo = db.prepare('ROLLBACK TO analysis_work');
  return {
    async transaction(work) {
      begin.run();
      try {
        const result = await work();
        commit.run();
        return result;
      } catch (error) {
        // SQLite may have rolled back already (a full disk, an I/O error).
        if (db.inTransaction) rollback.run();
        throw error;
      }
    },
    lockPages: async () => false,
    unavailable: (error) => databaseUnavailable(error) !== undefined,
    async savepoint(work) {
      savepoint.run();
      try {
        const result = await work();
        release.run();
        return result;
      } catch (error) {
        if (db.inTransaction) {
          rollbackTo.run();
          release.run();
        }
        throw error;
      }
    },
  };
}
