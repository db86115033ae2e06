// Opens the server's PostgreSQL backend: the pool, the schema brought up to date, the repositories and the ingest writer.
import type { Pool } from 'pg';
import type { AppBackend } from '../../app';
import { DEMO_SITE_NAME } from '../../demo-site';
import { SELF_ORIGIN } from '../../ingest/origin-check';
import { createPgBatchWriter } from '../../ingest/pg-batch-writer';
import type { IngestLimits } from '../../limits/ingest-limits';
import { createPgRepos } from '../../repos/postgres/create-pg-repos';
import { createPgSiteKeys } from '../../repos/postgres/pg-site-keys';
import { createPgSitesRepo } from '../../repos/postgres/pg-sites-repo';
import { inTransaction } from '../../repos/postgres/pg-statement';
import type { Site } from '../../api-types';
import { migratePostgres } from './migrate-postgres';
import { openPostgres } from './open-postgres';

export interface PostgresBackend {
  backend: AppBackend;
  pool: Pool;
  close(): Promise<void>;
}

/** Held while a node looks for the demo site and makes it: nodes starting together make one ("frdm" in ASCII). */
const DEMO_SITE_LOCK_KEY = 0x6672646d;

export async function findOrCreateDemo(pool: Pool, create: boolean): Promise<Site | undefined> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [DEMO_SITE_LOCK_KEY]);
    const sites = createPgSitesRepo(client);
    const found = await sites.findByName(DEMO_SITE_NAME);
    if (found || !create) return found ?? undefined;
    return sites.create({ name: DEMO_SITE_NAME, origins: [SELF_ORIGIN] });
  });
}

export async function openPostgresBackend(url: string, { limits, demoSite }: { limits: IngestLimits; demoSite: boolean }): Promise<PostgresBackend> {
  const pool = openPostgres(url);
  try {
    // Several nodes starting at once migrate once (an advisory lock); the others wait and find it done.
    await migratePostgres(pool);
    const repos = createPgRepos(pool);
    const siteKeys = await createPgSiteKeys(pool);
    // A site made through this node's API can ingest at once, not only after the next refresh.
    const sites: typeof repos.sites = {
      ...repos.sites,
      async create(site, now) {
        const created = await repos.sites.create(site, now);
        await siteKeys.refresh();
        return created;
      },
    };
    const demo = await findOrCreateDemo(pool, demoSite);
    if (demo) await siteKeys.refresh();
    const demoKeys = demo && { id: demo.id, key: demo.key };
    return {
      pool,
      backend: {
        repos: { ...repos, sites },
        writeBatch: createPgBatchWriter(pool, { admitSession: limits.admitSession }),
        siteKeys,
        demoSite: () => demoKeys,
      },
      async close() {
        siteKeys.stop();
        await pool.end();
      },
    };
  } catch (error) {
    await pool.end();
    throw error;
  }
}
