// Named, parameterised statements for the PostgreSQL repositories: each is parsed and planned once per connection.
import type { Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';

/** A pool, or one client inside a transaction: repositories run on either. */
export type Queryable = Pool | PoolClient;

export interface Statement<P extends unknown[], R extends QueryResultRow> {
  run(db: Queryable, ...values: P): Promise<QueryResult<R>>;
  all(db: Queryable, ...values: P): Promise<R[]>;
  get(db: Queryable, ...values: P): Promise<R | undefined>;
}

/**
 * `name` must be unique in the process: node-postgres prepares a named statement on a connection
 * the first time it runs there and afterwards sends only the name and the values.
 */
export function statement<P extends unknown[], R extends QueryResultRow = QueryResultRow>(name: string, text: string): Statement<P, R> {
  const run = (db: Queryable, ...values: P) => db.query<R>({ name, text, values });
  return {
    run,
    all: async (db, ...values) => (await run(db, ...values)).rows,
    get: async (db, ...values) => (await run(db, ...values)).rows[0],
  };
}

/** Runs `work` in one transaction on one client of the pool, rolling back when it throws. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A connection whose ROLLBACK failed is in an unknown state: it is closed, not given back.
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw err;
  } finally {
    client.release(broken);
  }
}

/**
 * SQL written with SQLite's @name parameters (shared query builders) as PostgreSQL's $1, $2…, a
 * name used twice bound once. Names are word characters; nothing else in our SQL starts with @.
 */
export function toPositional(sql: string, params: Record<string, unknown>): { text: string; values: unknown[] } {
  const order: string[] = [];
  const text = sql.replace(/@(\w+)/g, (_match, name: string) => {
    let index = order.indexOf(name);
    if (index < 0) index = order.push(name) - 1;
    return `$${index + 1}`;
  });
  return { text, values: order.map((name) => params[name]) };
}
