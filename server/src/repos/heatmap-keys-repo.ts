// The heatmaps' interned keys: a site's pages (origin + path) and click selectors, each stored once and referred to by id.
import type { Database } from 'better-sqlite3';

export interface HeatmapPageRow {
  id: number;
  path: string;
}

export interface HeatmapKeysRepo {
  /** The page's id, created on first use. */
  pageRef(siteId: string, path: string): number;
  /** The selector's id, created on first use: one id space per site on PostgreSQL, one for all sites on SQLite. */
  selectorId(siteId: string, selector: string): number;
  /**
   * Drops the cached ids. Call it at the start of each write: another connection may delete a page
   * no session refers to any more (retention, a deletion), and a rolled-back transaction takes the
   * rows it created with it, so an id cached across transactions may name nothing.
   */
  forget(): void;
  pagesOfSite(siteId: string): HeatmapPageRow[];
}

/** Ids are cached within one write (see forget); the cache is dropped whole when it grows past this. */
const KEY_CACHE_SIZE = 10_000;

export function createHeatmapKeysRepo(db: Database): HeatmapKeysRepo {
  const insertPage = db.prepare<[string, string]>('INSERT INTO heatmap_pages (site_id, path) VALUES (?, ?) ON CONFLICT DO NOTHING');
  const pageId = db.prepare<[string, string], number>('SELECT id FROM heatmap_pages WHERE site_id = ? AND path = ?').pluck();
  const insertSelector = db.prepare<[string]>('INSERT INTO heatmap_selectors (selector) VALUES (?) ON CONFLICT DO NOTHING');
  const selectorId = db.prepare<[string], number>('SELECT id FROM heatmap_selectors WHERE selector = ?').pluck();
  const pagesOfSite = db.prepare<[string], HeatmapPageRow>('SELECT id, path FROM heatmap_pages WHERE site_id = ? ORDER BY path');
  const pages = new Map<string, number>();
  const selectors = new Map<string, number>();

  function cached(cache: Map<string, number>, key: string, create: () => number): number {
    let id = cache.get(key);
    if (id === undefined) {
      id = create();
      if (cache.size >= KEY_CACHE_SIZE) cache.clear();
      cache.set(key, id);
    }
    return id;
  }

  return {
    pageRef: (siteId, path) =>
      cached(pages, `${siteId}\n${path}`, () => {
        insertPage.run(siteId, path);
        return pageId.get(siteId, path)!;
      }),
    selectorId: (_siteId, selector) =>
      cached(selectors, selector, () => {
        insertSelector.run(selector);
        return selectorId.get(selector)!;
      }),
    forget() {
      pages.clear();
      selectors.clear();
    },
    pagesOfSite: (siteId) => pagesOfSite.all(siteId),
  };
}
