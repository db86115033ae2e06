// The analysis pass's transactions on PostgreSQL: one pooled client per transaction, which every repository call inside it goes through.
import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout } from 'node:timers/promises';
import type { Pool, PoolClient } from 'pg';
import { postgresUnavailable } from '../ingest/pg-batch-writer';
import { inTransaction } from '../repos/postgres/pg-statement';
import type { AnalysisTransactions } from './analysis-transactions';

/**
 * The pages' locks: transaction-scoped advisory locks keyed by a hash of the page in a key space of
 * their own (a collision only makes two pages wait for each other). Taken in key order, so two
 * nodes locking overlapping pages never deadlock on them.
 */
const LOCK_PAGE_SQL = `SELECT pg_advisory_xact_lock(hashtext('frictionlens-analysis-page'), hashtext($1))`;

/**
 * Tries of a transaction that lost to another node's: a deadlock (two passes adding clicks to one
 * page's heatmap totals in different orders) or a serialization failure. The loser is rolled back,
 * so its work runs again from the start; after the last try the error goes to the caller, which
 * gives the batches back.
 */
export const CONFLICT_TRIES = 4;
/** Wait before the next try: up to this many ms times the tries so far, at random, so the two do not meet again. */
const CONFLICT_BACKOFF_MS = 25;
/** SQLSTATE deadlock_detected and serialization_failure. */
const CONFLICT_CODES = new Set(['40P01', '40001']);

const isConflict = (error: unknown) => CONFLICT_CODES.has(String((error as { code?: unknown } | undefined)?.code));

export interface PgAnalysisDatabase {
  /**
   * The pool to build the repositories on: its queries go to the client of the transaction they
   * are made in, and to the pool outside one. The consumers, page hooks and jobs keep the
   * repositories they were built with, on either backend, and their writes still land in the pass's transaction.
   */
  pool: Pool;
  transactions: AnalysisTransactions;
}

/**
 * Scoped by AsyncLocalStorage rather than repositories built on each transaction's client: the
 * consumers and hooks are built once with their repositories (the same objects on SQLite), so
 * neither their interfaces nor SQLite's pass change, and a repository call made inside a
 * transaction cannot reach another connection by mistake. Work must not leave a query running
 * past its transaction (every call is awaited).
 */
export function pgAnalysisDatabase(pool: Pool): PgAnalysisDatabase {
  const current = new AsyncLocalStorage<PoolClient>();
  const query = ((...args: unknown[]) => {
    const client = current.getStore();
    const on: { query(...a: unknown[]): unknown } = client ?? pool;
    return on.query(...args);
  }) as Pool['query'];
  const scoped = new Proxy(pool, {
    get(target, property) {
      if (property === 'query') return query;
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    pool: scoped,
    transactions: {
      async transaction(work) {
        for (let tries = 1; ; tries++) {
          try {
            return await inTransaction(pool, (client) => current.run(client, work));
          } catch (error) {
            if (tries >= CONFLICT_TRIES || !isConflict(error)) throw error;
            await setTimeout(Math.random() * CONFLICT_BACKOFF_MS * tries);
          }
        }
      },
      // Deadlocks and serialization failures between nodes among them (SQLSTATE class 40).
      unavailable: (error) => postgresUnavailable(error) !== undefined,
      async lockPages(keys) {
        const client = current.getStore();
        if (!client) throw new Error('page locks outside a transaction');
        for (const key of [...new Set(keys)].sort()) await client.query({ name: 'analysis_lock_page', text: LOCK_PAGE_SQL, values: [key] });
        return true;
      },
      async savepoint(work) {
        const client = current.getStore();
        if (!client) throw new Error('savepoint outside a transaction');
        await client.query('SAVEPOINT analysis_work');
        try {
          const result = await work();
          await client.query('RELEASE SAVEPOINT analysis_work');
          return result;
        } catch (error) {
          await client.query('ROLLBACK TO SAVEPOINT analysis_work');
          await client.query('RELEASE SAVEPOINT analysis_work');
          throw error;
        }
      },
    },
  };
}
