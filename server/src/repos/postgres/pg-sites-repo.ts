// The sites table on PostgreSQL, behind the same interface as the SQLite repository.
import type { Site } from '../../api-types';
import type { Async } from '../maybe-async';
import { generateSiteId, generateSiteKey, SITE_KEY_CACHE_TTL_MS, type IngestSite, type SitesRepo } from '../sites-repo';
import { statement, type Queryable } from './pg-statement';

interface SiteRow {
  id: string;
  name: string;
  key: string;
  origins: string[];
  created_at: number;
  url_patterns: string[];
  retention_days: number | null;
}

const SITE_KEY_CACHE_SIZE = 1000;
const COLUMNS = 'id, name, key, origins, created_at, url_patterns, retention_days';

const listAll = statement<[], SiteRow>('sites_list', `SELECT ${COLUMNS} FROM sites ORDER BY created_at, id`);
const byId = statement<[string], SiteRow>('sites_by_id', `SELECT ${COLUMNS} FROM sites WHERE id = $1`);
const byName = statement<[string], SiteRow>('sites_by_name', `SELECT ${COLUMNS} FROM sites WHERE name = $1 ORDER BY created_at, id LIMIT 1`);
const byKey = statement<[string], { id: string; origins: string[] }>('sites_by_key', 'SELECT id, origins FROM sites WHERE key = $1');
const insert = statement<[string, string, string, string, number], SiteRow>(
  'sites_insert',
  `INSERT INTO sites (id, name, key, origins, created_at) VALUES ($1, $2, $3, $4::jsonb, $5) RETURNING ${COLUMNS}`,
);
const setPatterns = statement<[string, string]>('sites_set_patterns', 'UPDATE sites SET url_patterns = $2::jsonb WHERE id = $1');
const setRetention = statement<[string, number | null]>('sites_set_retention', 'UPDATE sites SET retention_days = $2 WHERE id = $1');
const withRetention = statement<[], { id: string; retentionDays: number }>(
  'sites_with_retention',
  'SELECT id, retention_days AS "retentionDays" FROM sites WHERE retention_days IS NOT NULL ORDER BY id',
);

const toSite = (row: SiteRow): Site => ({
  id: row.id,
  name: row.name,
  key: row.key,
  origins: row.origins,
  createdAt: row.created_at,
  urlPatterns: row.url_patterns,
  retentionDays: row.retention_days,
});

export function createPgSitesRepo(db: Queryable): Async<SitesRepo> {
  // As on SQLite: a site key is trusted for a few seconds, so another node's edit shows within that.
  const keyCache = new Map<string, { site: IngestSite; expiresAt: number }>();
  return {
    list: async () => (await listAll.all(db)).map(toSite),
    async findById(id) {
      const row = await byId.get(db, id);
      return row && toSite(row);
    },
    async findByName(name) {
      const row = await byName.get(db, name);
      return row && toSite(row);
    },
    async findByKey(key) {
      const now = Date.now();
      const cached = keyCache.get(key);
      if (cached && cached.expiresAt > now) return cached.site;
      const site = await byKey.get(db, key);
      if (site) {
        if (keyCache.size >= SITE_KEY_CACHE_SIZE) keyCache.clear();
        keyCache.set(key, { site, expiresAt: now + SITE_KEY_CACHE_TTL_MS });
      }
      return site;
    },
    async create(site, now = Date.now()) {
      const row = await insert.get(db, generateSiteId(), site.name, generateSiteKey(), JSON.stringify(site.origins), now);
      keyCache.clear();
      return toSite(row!);
    },
    setUrlPatterns: async (id, patterns) => (await setPatterns.run(db, id, JSON.stringify(patterns))).rowCount === 1,
    setRetentionDays: async (id, days) => (await setRetention.run(db, id, days)).rowCount === 1,
    listWithRetention: () => withRetention.all(db),
  };
}
