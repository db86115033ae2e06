// For a describe block on PostgreSQL: a throwaway cluster with one migrated database, started before its tests and stopped after.
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { migratePostgres } from '../../server/src/db/postgres/migrate-postgres';
import { startPostgres, type PostgresServer } from './start-postgres';

export interface MigratedPostgres {
  /** A pool on the migrated database. */
  pool(): pg.Pool;
  /** The cluster, for more databases. */
  server(): PostgresServer;
}

/** Call inside `describe.skipIf(skipWithoutPostgres())(…)`; the getters work inside its tests. */
export function useMigratedPostgres(): MigratedPostgres {
  let server: PostgresServer | undefined;
  let pool: pg.Pool | undefined;
  beforeAll(async () => {
    server = await startPostgres();
    pool = new pg.Pool({ connectionString: await server.createDatabase() });
    await migratePostgres(pool);
  });
  afterAll(async () => {
    await pool?.end();
    await server?.stop();
  });
  return { pool: () => pool!, server: () => server! };
}
