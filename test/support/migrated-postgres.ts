// For a describe block on PostgreSQL: one migrated database on the run's shared cluster, made before its tests and dropped after.
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { sharedPostgres, type SharedPostgres } from './shared-postgres';
import type { PostgresServer } from './start-postgres';

export interface MigratedPostgres {
  /** A pool on the migrated database. */
  pool(): pg.Pool;
  /** The cluster, for more databases (dropped with the file's). */
  server(): PostgresServer;
}

/** Call inside `describe.skipIf(skipWithoutPostgres())(…)`; the getters work inside its tests. */
export function useMigratedPostgres(): MigratedPostgres {
  let server: SharedPostgres | undefined;
  let pool: pg.Pool | undefined;
  beforeAll(async () => {
    // The run's shared cluster, and a copy of its migrated template: no cluster start or migration per file.
    server = await sharedPostgres();
    pool = new pg.Pool({ connectionString: await server.migratedDatabase(false) });
  });
  afterAll(async () => {
    await pool?.end();
    await server?.stop();
  });
  return { pool: () => pool!, server: () => server! };
}
