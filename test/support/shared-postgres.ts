// The test run's one PostgreSQL cluster (started by postgres-global-setup.ts), lent to each test file as databases of its own.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { migratePostgres } from '../../server/src/db/postgres/migrate-postgres';
import { openPostgres } from '../../server/src/db/postgres/open-postgres';
import { startPostgres, type PostgresServer } from './start-postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared cluster's maintenance database; '' when the run started none (no PostgreSQL installed, or turned off). */
    sharedPostgresUrl: string;
  }
}

/** The migrated database every test's database is copied from: made once per run in the shared cluster. */
export const MIGRATED_TEMPLATE = 'fl_migrated_template';

export interface SharedPostgres extends PostgresServer {
  /** A new database copied from the migrated template (migrating one takes 1.5 s); the next copy is made in the background unless `prefetchNext` is false (the file wants no more). */
  migratedDatabase(prefetchNext?: boolean): Promise<string>;
}

/** Names only this process makes: two workers, or a worker reusing an earlier one's pid, never collide. */
const namePrefix = `t${process.pid}_${randomBytes(3).toString('hex')}`;

/** Creates the migrated template in a cluster; it must have no connections while copied, so the pool ends here. */
export async function createMigratedTemplate(server: PostgresServer): Promise<void> {
  const pool = openPostgres(await server.createDatabase(MIGRATED_TEMPLATE), { max: 1 });
  try {
    await migratePostgres(pool);
  } finally {
    await pool.end();
  }
}

async function withAdmin<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    return await run(admin);
  } finally {
    await admin.end();
  }
}

/**
 * Databases on the run's shared cluster; stop() drops the ones made here and leaves the cluster
 * running for the other files. Where the run has no shared cluster (vitest started with another
 * config, or FL_SHARED_POSTGRES=off), a cluster of this file's own, stopped by stop().
 */
export async function sharedPostgres(): Promise<SharedPostgres> {
  const sharedUrl = inject('sharedPostgresUrl');
  const own = sharedUrl ? undefined : await startPostgres();
  if (own) await createMigratedTemplate(own);
  const clusterUrl = sharedUrl || own!.url;
  const made: string[] = [];
  let count = 0;
  const databaseUrl = (name: string): string => {
    const url = new URL(clusterUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };
  const create = async (name: string, template: string, strategy: string): Promise<string> => {
    await withAdmin(clusterUrl, (admin) => admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}${strategy}`));
    made.push(name);
    return databaseUrl(name);
  };
  // FILE_COPY: the default WAL_LOG copy took 290 ms against 40 ms in a cluster of its own.
  const copyTemplate = () => create(`${namePrefix}_${++count}`, MIGRATED_TEMPLATE, ' STRATEGY FILE_COPY');
  let prefetched: Promise<string> | undefined;
  return {
    url: clusterUrl,
    createDatabase: (name = `${namePrefix}_${++count}`) => {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Not a database name we create: ${name}`);
      // template0: nothing a test put in template1 leaks into the next database.
      return create(name, 'template0', '');
    },
    migratedDatabase(prefetchNext = true) {
      const next = prefetched ?? copyTemplate();
      prefetched = undefined;
      if (!prefetchNext) return next;
      // The next test's copy is made while this test runs: a copy waits on a checkpoint of the
      // whole shared cluster (0.5 to 1.7 s under a loaded suite), mostly I/O, which overlaps.
      prefetched = copyTemplate();
      prefetched.catch(() => {});
      return next;
    },
    async stop() {
      await prefetched?.catch(() => {});
      prefetched = undefined;
      if (own) return own.stop();
      // FORCE: a pool a test forgot to end must not keep its database, or the next run's disk, alive.
      await withAdmin(clusterUrl, async (admin) => {
        for (const name of made.splice(0)) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      });
    },
  };
}
