// Queues validated batches so that all batches ready in one event-loop turn share one SQLite commit.
import BetterSqlite3, { type Database } from 'better-sqlite3';
import type { IngestResponse } from '../api-types';
import { databaseUnavailable } from '../errors/database-unavailable';
import type { BatchToStore, StoreBatch } from './store-batch';

/** Bounds a group so a burst cannot hold the write lock, and readers' view of it, for long. */
export const MAX_BATCHES_PER_COMMIT = 64;

/**
 * While another connection holds the write lock, the waiting group is tried again after 1 ms, then
 * twice as long each time up to this: sooner leaves the lock unused, more often costs a failed
 * BEGIN each time.
 */
export const MAX_LOCK_RETRY_MS = 8;

export type WriteBatch = (input: BatchToStore) => Promise<IngestResponse>;

interface Pending {
  input: BatchToStore;
  resolve: (response: IngestResponse) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; response: IngestResponse } | { ok: false; error: unknown };

const isBusy = (error: unknown) => error instanceof BetterSqlite3.SqliteError && /^SQLITE_(BUSY|LOCKED)/.test(error.code);

/**
 * Under load the commit, not the statements, is the largest cost of a batch (WAL frames for every
 * page touched, and the checkpoints they bring). Batches whose requests finish reading in the same
 * turn are stored together and the group commits once before any of them is answered. A lone
 * request waits one setImmediate.
 *
 * A group is first stored with no savepoint per batch (those cost about 4 µs a batch). If any
 * batch throws (a refusal such as a 409), the whole transaction rolls back and the group is
 * stored again with each batch in its own savepoint (`storeBatch` is a better-sqlite3
 * transaction, which nests as one), so a refused batch rolls back alone. When the database itself
 * cannot write (disk full, I/O error, or locked elsewhere for longer than busy_timeout, waited for
 * without blocking: see storeWithoutWaiting), the group is not tried again batch by batch: each
 * batch would wait out the busy timeout in turn. It is refused whole, with nothing of it kept, and
 * the error handler answers each request 503 with Retry-After.
 *
 * Transactions begin IMMEDIATE: the write lock is taken before any statement, so a lock held
 * elsewhere fails the BEGIN, and never a write halfway through the group.
 */
export function createBatchWriter(db: Database, storeBatch: StoreBatch): WriteBatch {
  let queue: Pending[] = [];
  let scheduled = false;
  /** Set while another connection holds the write lock: when the batches waiting for it give up. */
  let lockDeadline: number | undefined;
  let lockRetryMs = 1;

  /** Whether the group's transaction got past its BEGIN: one that did not (the lock was held) changed nothing. */
  let began = false;
  const storeTogether = db.transaction((group: Pending[]): Outcome[] => {
    began = true;
    return group.map((pending) => ({ ok: true, response: storeBatch.unguarded(pending.input) }));
  });
  const storeApart = db.transaction((group: Pending[]): Outcome[] =>
    group.map((pending) => {
      try {
        return { ok: true, response: storeBatch(pending.input) };
      } catch (error) {
        return { ok: false, error };
      }
    }),
  );
  /**
   * The connection's busy_timeout, read at the first batch (the server sets it when it opens the
   * database, never after), and the statement that puts it back. A prepared PRAGMA acts only when
   * it is prepared, so it cannot be kept and run again; db.exec runs one without the Statement
   * object db.pragma builds for it: measured, the two per group cost 1 to 1.5 µs this way against
   * 9 µs through db.pragma.
   */
  let waitMs: number | undefined;
  let restoreWait = '';

  function storeGroup(group: Pending[]): Outcome[] {
    try {
      return storeTogether.immediate(group);
    } catch (error) {
      // Rolled back whole, so nothing of it was kept; what the store remembered may be wrong.
      if (began) storeBatch.forgetKnown();
      if (databaseUnavailable(error)) throw error;
      return storeApart.immediate(group);
    }
  }

  /**
   * SQLite's busy handler would wait for a lock held elsewhere (the analysis process's commits, a
   * backup) by sleeping, and the whole server with it: under the ingest bench that was a third of
   * its wall time. So the group's BEGIN does not wait: busy_timeout is 0 for the length of this
   * synchronous call (no other statement can run meanwhile), and a busy database is tried again
   * shortly (MAX_LOCK_RETRY_MS) while requests keep arriving and join the queue. Past the connection's
   * busy_timeout of trying, every batch waiting is refused, as SQLite's own wait would have.
   */
  function storeWithoutWaiting(group: Pending[]): Outcome[] {
    if (waitMs === undefined) {
      waitMs = Math.floor(db.pragma('busy_timeout', { simple: true }) as number);
      restoreWait = `PRAGMA busy_timeout = ${waitMs}`;
    }
    db.exec('PRAGMA busy_timeout = 0');
    began = false;
    try {
      return storeGroup(group);
    } finally {
      db.exec(restoreWait);
    }
  }

  function schedule(delayMs: number): void {
    if (scheduled) return;
    scheduled = true;
    if (delayMs > 0) setTimeout(flush, delayMs);
    else setImmediate(flush);
  }

  function flush(): void {
    scheduled = false;
    const group = queue.slice(0, MAX_BATCHES_PER_COMMIT);
    if (group.length === 0) return;
    let outcomes: Outcome[];
    try {
      outcomes = storeWithoutWaiting(group);
    } catch (error) {
      // The database could not write (busy, disk full, I/O error): the group's transaction rolled
      // back, so nothing of it was stored. Refused at its BEGIN, it changed nothing to forget, and
      // the sessions in flight keep their short path.
      if (began) storeBatch.forgetKnown();
      if (isBusy(error)) {
        const now = Date.now();
        if (lockDeadline === undefined) {
          lockDeadline = now + (waitMs ?? 0);
          lockRetryMs = 1;
        }
        if (now < lockDeadline) {
          schedule(lockRetryMs);
          lockRetryMs = Math.min(lockRetryMs * 2, MAX_LOCK_RETRY_MS);
          return;
        }
        // Waited as long as busy_timeout allows: every batch waiting gives up, as with SQLite's wait.
        lockDeadline = undefined;
        const waiting = queue;
        queue = [];
        for (const pending of waiting) pending.reject(error);
        return;
      }
      lockDeadline = undefined;
      queue = queue.slice(group.length);
      if (queue.length > 0) schedule(0);
      for (const pending of group) pending.reject(error);
      return;
    }
    lockDeadline = undefined;
    queue = queue.slice(group.length);
    if (queue.length > 0) schedule(0);
    outcomes.forEach((outcome, i) => {
      if (outcome.ok) group[i]!.resolve(outcome.response);
      else group[i]!.reject(outcome.error);
    });
  }

  return function writeBatch(input) {
    return new Promise((resolve, reject) => {
      queue.push({ input, resolve, reject });
      schedule(0);
    });
  };
}
