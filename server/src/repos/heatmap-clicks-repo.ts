// Each recorded click as the heatmaps keep it: replaced per batch by the click consumer, placed per page by the page hook.
import type { Database } from 'better-sqlite3';
import { normalizePageUrl } from '../analysis/normalize-page-url';
import type { ClickRow } from '../heatmaps/click-row';
import type { HeatmapKeysRepo } from './heatmap-keys-repo';

export interface BatchKey {
  siteId: string;
  sessionId: string;
  seq: number;
  pageId: string;
}

/** Where a click counts: its heatmap page (null: nowhere yet) and its kinds. */
export interface ClickPlacement {
  pageRef: number | null;
  rage: boolean;
  dead: boolean;
  error: boolean;
}

export interface PlacedClick extends ClickPlacement {
  id: number;
  ts: number;
}

export interface HeatmapClicksRepo {
  /**
   * Replaces the batch's clicks with these, counted under the page the batch says and with no kind
   * yet (the page hook corrects both). Run inside the pass's transaction. When the batch's stored
   * clicks are already these (a redetect), they are kept as they are, placement and all.
   */
  replaceBatch(batch: BatchKey, clicks: readonly ClickRow[]): void;
  /** The page load's clicks in time order, with where each counts now. */
  listByPage(sessionId: string, pageId: string): PlacedClick[];
  /**
   * Counts the click under a new placement. A delete and an insert of the same row, which the
   * table's triggers turn into the aggregates' decrement and increment (an UPDATE is refused).
   * The site id is the lead of the row's key on PostgreSQL.
   */
  place(siteId: string, id: number, placement: ClickPlacement): void;
}

type StoredClick = Record<string, number | string | null>;

export function createHeatmapClicksRepo(db: Database, keys: HeatmapKeysRepo): HeatmapClicksRepo {
  const removeBatch = db.prepare<[string, number]>('DELETE FROM heatmap_clicks WHERE session_id = ? AND seq = ?');
  const insert = db.prepare<[StoredClick]>(
    `INSERT INTO heatmap_clicks (id, site_id, session_id, seq, page_id, ts, day, viewport_width, device, selector_id, offset_x, offset_y,
       bin_x, bin_y, x, y, fallback_x, fallback_y, document_width, document_height, fixed, label, page_ref, rage, dead, error)
     VALUES (@id, @site_id, @session_id, @seq, @page_id, @ts, @day, @viewport_width, @device, @selector_id, @offset_x, @offset_y,
       @bin_x, @bin_y, @x, @y, @fallback_x, @fallback_y, @document_width, @document_height, @fixed, @label, @page_ref, @rage, @dead, @error)`,
  );
  const byPage = db.prepare<[string, string], { id: number; ts: number; pageRef: number | null; rage: number; dead: number; error: number }>(
    'SELECT id, ts, page_ref AS pageRef, rage, dead, error FROM heatmap_clicks WHERE session_id = ? AND page_id = ? ORDER BY ts, id',
  );
  const take = db.prepare<[number], StoredClick>('DELETE FROM heatmap_clicks WHERE id = ? RETURNING *');
  const stored = db.prepare<[string, number], { ts: number; selectorId: number; x: number; y: number }>(
    'SELECT ts, selector_id AS selectorId, x, y FROM heatmap_clicks WHERE session_id = ? AND seq = ? ORDER BY id',
  );
  const sameAsStored = (siteId: string, sessionId: string, seq: number, clicks: readonly ClickRow[]): boolean => {
    const rows = stored.all(sessionId, seq);
    return rows.length === clicks.length && rows.every((row, i) => row.ts === clicks[i]!.ts && row.x === clicks[i]!.x && row.y === clicks[i]!.y && row.selectorId === keys.selectorId(siteId, clicks[i]!.selector));
  };

  return {
    replaceBatch({ siteId, sessionId, seq, pageId }, clicks) {
      // Runs inside the pass's transaction: ids cached from here on are this transaction's to use.
      keys.forget();
      if (sameAsStored(siteId, sessionId, seq, clicks)) return;
      removeBatch.run(sessionId, seq);
      for (const click of clicks) {
        insert.run({
          id: null,
          site_id: siteId,
          session_id: sessionId,
          seq,
          page_id: pageId,
          ts: click.ts,
          day: click.day,
          viewport_width: click.viewportWidth,
          device: click.device,
          selector_id: keys.selectorId(siteId, click.selector),
          offset_x: click.offsetX,
          offset_y: click.offsetY,
          bin_x: click.binX,
          bin_y: click.binY,
          x: click.x,
          y: click.y,
          fallback_x: click.fallbackX,
          fallback_y: click.fallbackY,
          document_width: click.documentWidth,
          document_height: click.documentHeight,
          fixed: click.fixed ? 1 : 0,
          label: click.label,
          page_ref: keys.pageRef(siteId, normalizePageUrl(click.pageUrl)),
          rage: 0,
          dead: 0,
          error: 0,
        });
      }
    },
    listByPage: (sessionId, pageId) =>
      byPage.all(sessionId, pageId).map((row) => ({ ...row, rage: row.rage === 1, dead: row.dead === 1, error: row.error === 1 })),
    place(_siteId, id, { pageRef, rage, dead, error }) {
      const row = take.get(id);
      if (row) insert.run({ ...row, page_ref: pageRef, rage: rage ? 1 : 0, dead: dead ? 1 : 0, error: error ? 1 : 0 });
    },
  };
}
