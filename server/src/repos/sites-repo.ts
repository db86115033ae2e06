// Reads and writes the sites table; statements are prepared once per database handle.
import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Site } from '../api-types';

/** What the ingest route needs from a site key, and nothing more. */
export interface IngestSite {
  id: string;
  origins: string[];
}

export interface NewSite {
  name: string;
  origins: string[];
}

export interface SitesRepo {
  list(): Site[];
  findById(id: string): Site | undefined;
  /** The oldest site with this name; names are labels, not unique. */
  findByName(name: string): Site | undefined;
  findByKey(key: string): IngestSite | undefined;
  create(site: NewSite, now?: number): Site;
  /** Replaces the site's heatmap URL patterns; false when there is no such site. */
  setUrlPatterns(id: string, patterns: readonly string[]): boolean;
  /** Sets the days sessions are kept (null: until deleted); false when there is no such site. */
  setRetentionDays(id: string, days: number | null): boolean;
  /** Sites with a retention period, for the retention job. */
  listWithRetention(): Array<{ id: string; retentionDays: number }>;
}

interface SiteRow {
  id: string;
  name: string;
  key: string;
  origins: string;
  created_at: number;
  /** JSON array; absent on a row built for insert, where the column's default ('[]') applies. */
  url_patterns?: string;
  /** Absent on a row built for insert, where the column's default (NULL) applies. */
  retention_days?: number | null;
}

const SITE_ID_BYTES = 9; // 12 base64url characters: short enough for URLs, far from colliding.
const SITE_KEY_BYTES = 18; // The key is public (it sits in a script tag) but must not be guessable.

export function generateSiteId(): string {
  return randomBytes(SITE_ID_BYTES).toString('base64url');
}

export function generateSiteKey(): string {
  return `pk_${randomBytes(SITE_KEY_BYTES).toString('base64url')}`;
}

/** How long a looked-up site key is trusted before the database is asked again. */
export const SITE_KEY_CACHE_TTL_MS = 5000;
const SITE_KEY_CACHE_SIZE = 1000;

function toSite(row: SiteRow): Site {
  return { id: row.id, name: row.name, key: row.key, origins: JSON.parse(row.origins) as string[], createdAt: row.created_at, urlPatterns: JSON.parse(row.url_patterns ?? '[]') as string[], retentionDays: row.retention_days ?? null };
}

export function createSitesRepo(db: Database): SitesRepo {
  const listAll = db.prepare<[], SiteRow>('SELECT * FROM sites ORDER BY created_at, id');
  const byId = db.prepare<[string], SiteRow>('SELECT * FROM sites WHERE id = ?');
  const byName = db.prepare<[string], SiteRow>('SELECT * FROM sites WHERE name = ? ORDER BY created_at, id LIMIT 1');
  const byKey = db.prepare<[string], Pick<SiteRow, 'id' | 'origins'>>('SELECT id, origins FROM sites WHERE key = ?');
  // Every ingest request looks its key up; caching the parsed answer saves a query and a
  // JSON.parse each time (~10 µs of a ~300 µs request). A short TTL still picks up edits made
  // outside this process, e.g. with the sqlite3 shell; create() clears it for our own changes.
  const keyCache = new Map<string, { site: IngestSite | undefined; expiresAt: number }>();
  const insert = db.prepare<[SiteRow]>(
    'INSERT INTO sites (id, name, key, origins, created_at) VALUES (@id, @name, @key, @origins, @created_at)',
  );

  const setPatterns = db.prepare<[string, string]>('UPDATE sites SET url_patterns = ? WHERE id = ?');
  const setRetention = db.prepare<[number | null, string]>('UPDATE sites SET retention_days = ? WHERE id = ?');
  const withRetention = db.prepare<[], { id: string; retentionDays: number }>(
    'SELECT id, retention_days AS retentionDays FROM sites WHERE retention_days IS NOT NULL ORDER BY id',
  );

  return {
    list: () => listAll.all().map(toSite),
    setUrlPatterns: (id, patterns) => setPatterns.run(JSON.stringify(patterns), id).changes === 1,
    setRetentionDays: (id, days) => setRetention.run(days, id).changes === 1,
    listWithRetention: () => withRetention.all(),
    findById(id) {
      const row = byId.get(id);
      return row && toSite(row);
    },
    findByName(name) {
      const row = byName.get(name);
      return row && toSite(row);
    },
    findByKey(key) {
      const now = Date.now();
      const cached = keyCache.get(key);
      if (cached && cached.expiresAt > now) return cached.site;
      const row = byKey.get(key);
      const site = row && { id: row.id, origins: JSON.parse(row.origins) as string[] };
      // Unknown keys are not cached: anyone can send them, and they must not fill memory.
      if (site) {
        if (keyCache.size >= SITE_KEY_CACHE_SIZE) keyCache.clear();
        keyCache.set(key, { site, expiresAt: now + SITE_KEY_CACHE_TTL_MS });
      }
      return site;
    },
    create(site, now = Date.now()) {
      const row: SiteRow = {
        id: generateSiteId(),
        name: site.name,
        key: generateSiteKey(),
        origins: JSON.stringify(site.origins),
        created_at: now,
      };
      insert.run(row);
      keyCache.clear();
      return toSite(row);
    },
  };
}
