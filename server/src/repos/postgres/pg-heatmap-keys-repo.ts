// The heatmaps' interned keys on PostgreSQL: a site's pages and click selectors, each stored once per site and referred to by id.
import type { HeatmapKeysRepo, HeatmapPageRow } from '../heatmap-keys-repo';
import type { Async } from '../maybe-async';
import { statement, type Queryable } from './pg-statement';

/**
 * The ids of a site's keys, created where missing, in one round trip. A key that exists is read with
 * FOR KEY SHARE, the lock a foreign key check takes: it keeps a deletion of unused pages from
 * removing the row before this transaction's clicks refer to it, and never waits on another node
 * doing the same. Only a missing key goes through the upsert, whose DO UPDATE returns the id of a
 * row another transaction inserted concurrently (DO NOTHING would return nothing for it, and a
 * SELECT after it could not see that row in the statement's snapshot). The upsert locks the row to
 * the end of the transaction, which is why a key that exists is not written.
 */
const keysSql = (table: string, column: string) =>
  `WITH found AS (
     SELECT id, ${column} AS key FROM ${table} WHERE site_id = $1 AND ${column} = ANY ($2::text[]) FOR KEY SHARE
   ), created AS (
     INSERT INTO ${table} (site_id, ${column})
     SELECT $1, key FROM unnest($2::text[]) AS wanted (key) WHERE key NOT IN (SELECT key FROM found) ORDER BY key
     ON CONFLICT (site_id, ${column}) DO UPDATE SET ${column} = excluded.${column}
     RETURNING id, ${column} AS key
   )
   SELECT id, key FROM found UNION ALL SELECT id, key FROM created`;

const pageKeys = statement<[string, string[]], { id: number; key: string }>('heatmap_page_keys', keysSql('heatmap_pages', 'path'));
const selectorKeys = statement<[string, string[]], { id: number; key: string }>('heatmap_selector_keys', keysSql('heatmap_selectors', 'selector'));
// Byte order, as SQLite sorts them.
const pagesOfSite = statement<[string], HeatmapPageRow>('heatmap_pages_of_site', 'SELECT id, path FROM heatmap_pages WHERE site_id = $1 ORDER BY path COLLATE "C"');

export interface PgHeatmapKeysRepo extends Async<HeatmapKeysRepo> {
  /** Each distinct page path's id, created where missing. */
  pageRefs(siteId: string, paths: readonly string[]): Promise<Map<string, number>>;
  /** Each distinct selector's id, created where missing. */
  selectorIds(siteId: string, selectors: readonly string[]): Promise<Map<string, number>>;
}

async function ids(db: Queryable, keys: typeof pageKeys, siteId: string, wanted: readonly string[]): Promise<Map<string, number>> {
  const distinct = [...new Set(wanted)];
  if (distinct.length === 0) return new Map();
  return new Map((await keys.all(db, siteId, distinct)).map((row) => [row.key, row.id]));
}

/**
 * Nothing is cached: an id read in one transaction may name a row that a rolled-back transaction
 * created or that another node's deletion removed since. Callers look up each key once per write
 * (the click repository in bulk per batch, the page hook once per URL of a judgement).
 */
export function createPgHeatmapKeysRepo(db: Queryable): PgHeatmapKeysRepo {
  const pageRefs = (siteId: string, paths: readonly string[]) => ids(db, pageKeys, siteId, paths);
  const selectorIds = (siteId: string, selectors: readonly string[]) => ids(db, selectorKeys, siteId, selectors);
  return {
    pageRefs,
    selectorIds,
    pageRef: async (siteId, path) => (await pageRefs(siteId, [path])).get(path)!,
    selectorId: async (siteId, selector) => (await selectorIds(siteId, [selector])).get(selector)!,
    async forget() {},
    pagesOfSite: (siteId) => pagesOfSite.all(db, siteId),
  };
}
