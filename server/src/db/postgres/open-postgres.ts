// Opens the PostgreSQL connection pool the server's repositories share, with numbers read as numbers.
import pg from 'pg';

/** bigint (int8) and numeric: node-postgres returns them as strings, to keep values past 2^53 exact. */
const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * Our bigint columns hold ms timestamps, ids and byte counts, all far below 2^53, and sums of
 * counts come back as numeric: both are read as JavaScript numbers, as SQLite gives them.
 * Set per pool rather than on pg.types, so nothing else in the process is changed.
 */
const numberTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

/** Connections one server process keeps open at most; node-postgres's default. */
export const POSTGRES_POOL_SIZE = 10;

export function openPostgres(connectionString: string, options: { max?: number; log?: (message: string, error: unknown) => void } = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: options.max ?? POSTGRES_POOL_SIZE, types: numberTypes });
  // An idle connection the server closed (a restart, a failover) is dropped from the pool and the
  // next query opens another; without a listener node-postgres's 'error' event ends the process.
  const log = options.log ?? ((message, error) => console.warn(message, error));
  pool.on('error', (error) => log('frictionlens: an idle PostgreSQL connection failed and was dropped:', error));
  return pool;
}
