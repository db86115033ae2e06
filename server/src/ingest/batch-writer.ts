// Queues validated batches so that all batches ready in one event-loop turn share one SQLite commit.
import type { Database } from 'better-sqlite3';
import type { IngestResponse } from '../api-types';
import { databaseUnavailable } from '../errors/database-unavailable';
import type { BatchToStore, StoreBatch } from './store-batch';

/** Bounds a group so a burst cannot hold the write lock, and readers' view of it, for long. */
export const MAX_BATCHES_PER_COMMIT = 64;

export type WriteBatch = (input: BatchToStore) => Promise<IngestResponse>;

interface Pending {
  input: BatchToStore;
  resolve: (response: IngestResponse) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; response: IngestResponse } | { ok: false; error: unknown };

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
 * cannot write (locked past busy_timeout, disk full, I/O error), the group is not tried again
 * batch by batch: each batch would wait out the busy timeout in turn. It is refused whole, with
 * nothing of it kept, and the error handler answers each request 503 with Retry-After.
 *
 * Transactions begin IMMEDIATE: the write lock is taken before any statement, so a lock held
 * elsewhere fails the BEGIN, and never a write halfway through the group.
 */
export function createBatchWriter(db: Database, storeBatch: StoreBatch): WriteBatch {
  let queue: Pending[] = [];

  const storeTogether = db.transaction((group: Pending[]): Outcome[] =>
    group.map((pending) => ({ ok: true, response: storeBatch.unguarded(pending.input) })),
  );
  const storeApart = db.transaction((group: Pending[]): Outcome[] =>
    group.map((pending) => {
      try {
        return { ok: true, response: storeBatch(pending.input) };
      } catch (error) {
        return { ok: false, error };
      }
    }),
  );

  function storeGroup(group: Pending[]): Outcome[] {
    try {
      return storeTogether.immediate(group);
    } catch (error) {
      // Rolled back whole, so nothing of it was kept; what the store remembered may be wrong.
      storeBatch.forgetKnown();
      if (databaseUnavailable(error)) throw error;
      return storeApart.immediate(group);
    }
  }

  function flush(): void {
    const group = queue.slice(0, MAX_BATCHES_PER_COMMIT);
    queue = queue.slice(group.length);
    if (queue.length > 0) setImmediate(flush);
    let outcomes: Outcome[];
    try {
      outcomes = storeGroup(group);
    } catch (error) {
      // The database could not write (busy, disk full, I/O error): the group's transaction rolled
      // back, so nothing of it was stored.
      storeBatch.forgetKnown();
      for (const pending of group) pending.reject(error);
      return;
    }
    outcomes.forEach((outcome, i) => {
      if (outcome.ok) group[i]!.resolve(outcome.response);
      else group[i]!.reject(outcome.error);
    });
  }

  return function writeBatch(input) {
    return new Promise((resolve, reject) => {
      if (queue.length === 0) setImmediate(flush);
      queue.push({ input, resolve, reject });
    });
  };
}
