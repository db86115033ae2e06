// Every site's key held in memory for ingest on PostgreSQL: the ingest route looks keys up synchronously.
import type { Pool } from 'pg';
import type { IngestSite } from '../sites-repo';
import { SITE_KEY_CACHE_TTL_MS } from '../sites-repo';
import { statement } from './pg-statement';

export interface PgSiteKeys {
  findByKey(key: string): IngestSite | undefined;
  /** Reads every key again; the directory keeps the keys it had when the read fails. */
  refresh(): Promise<void>;
  stop(): void;
}

const allKeys = statement<[], { key: string; id: string; origins: string[] }>('site_keys_all', 'SELECT key, id, origins FROM sites');

/**
 * Read whole at start and again every SITE_KEY_CACHE_TTL_MS, the time SQLite's repository trusts a
 * cached key: a site created or edited on another node is known here within that, and refresh()
 * after a change on this node makes it known at once. Sites are few (a row each), so all of them fit.
 */
export async function createPgSiteKeys(pool: Pool, { refreshMs = SITE_KEY_CACHE_TTL_MS, log = console.warn } = {}): Promise<PgSiteKeys> {
  let keys = new Map<string, IngestSite>();
  async function refresh(): Promise<void> {
    const rows = await allKeys.all(pool);
    keys = new Map(rows.map((row) => [row.key, { id: row.id, origins: row.origins }]));
  }
  await refresh();
  const timer = setInterval(() => {
    refresh().catch((error: unknown) => log('frictionlens: reading the site keys from PostgreSQL failed; keeping the last ones:', error));
  }, refreshMs);
  timer.unref();
  return {
    findByKey: (key) => keys.get(key),
    refresh,
    stop: () => clearInterval(timer),
  };
}
