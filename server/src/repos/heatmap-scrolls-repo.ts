// Each recorded scroll depth: replaced per batch by the scroll consumer, the deepest of each page view counted by the page hook.
import type { Database } from 'better-sqlite3';
import type { HeatmapDevice } from '../api-types';
import type { ExtractedScrollDepth } from '../heatmaps/extract-scroll-depths';
import { dayOf } from '../heatmaps/click-row';
import { HEATMAP_SCROLL_STEPS } from '../heatmaps/heatmap-constants';
import type { BatchKey } from './heatmap-clicks-repo';

/** Where a depth counts: its heatmap page and device class, or nowhere (null). */
export type ScrollPlacement = { pageRef: number; device: HeatmapDevice } | null;

export interface PlacedScrollDepth {
  id: number;
  ts: number;
  maxY: number;
  pageRef: number | null;
  device: HeatmapDevice | null;
}

export interface HeatmapScrollsRepo {
  replaceBatch(batch: BatchKey, depths: readonly ExtractedScrollDepth[]): void;
  listByPage(sessionId: string, pageId: string): PlacedScrollDepth[];
  /** Counts the depth under a placement (or no longer); a delete and an insert, as for clicks. */
  place(siteId: string, id: number, placement: ScrollPlacement): void;
}

type StoredDepth = Record<string, number | string | null>;

/** Depth reached in steps of 1/HEATMAP_SCROLL_STEPS of the document, as both backends store it. */
export const scrollStep = ({ maxY, documentHeight }: ExtractedScrollDepth): number => Math.min(HEATMAP_SCROLL_STEPS, Math.floor((maxY / documentHeight) * HEATMAP_SCROLL_STEPS + 1e-9));
/** The fold (the viewport's height) in 1/1000 of the document. */
export const scrollFold = ({ viewportHeight, documentHeight }: ExtractedScrollDepth): number => Math.round(Math.min(1, viewportHeight / documentHeight) * 1000);

export function createHeatmapScrollsRepo(db: Database): HeatmapScrollsRepo {
  const removeBatch = db.prepare<[string, number]>('DELETE FROM heatmap_scrolls WHERE session_id = ? AND seq = ?');
  const insert = db.prepare<[StoredDepth]>(
    `INSERT INTO heatmap_scrolls (id, site_id, session_id, seq, page_id, ts, day, max_y, document_height, viewport_height, step, fold, page_ref, device)
     VALUES (@id, @site_id, @session_id, @seq, @page_id, @ts, @day, @max_y, @document_height, @viewport_height, @step, @fold, @page_ref, @device)`,
  );
  const byPage = db.prepare<[string, string], PlacedScrollDepth>(
    'SELECT id, ts, max_y AS maxY, page_ref AS pageRef, device FROM heatmap_scrolls WHERE session_id = ? AND page_id = ? ORDER BY ts, id',
  );
  const take = db.prepare<[number], StoredDepth>('DELETE FROM heatmap_scrolls WHERE id = ? RETURNING *');

  return {
    replaceBatch({ siteId, sessionId, seq, pageId }, depths) {
      removeBatch.run(sessionId, seq);
      for (const depth of depths) {
        const { ts, maxY, documentHeight, viewportHeight } = depth;
        insert.run({
          id: null,
          site_id: siteId,
          session_id: sessionId,
          seq,
          page_id: pageId,
          ts,
          day: dayOf(ts),
          max_y: maxY,
          document_height: documentHeight,
          viewport_height: viewportHeight,
          step: scrollStep(depth),
          fold: scrollFold(depth),
          page_ref: null,
          device: null,
        });
      }
    },
    listByPage: (sessionId, pageId) => byPage.all(sessionId, pageId),
    place(_siteId, id, placement) {
      const row = take.get(id);
      if (row) insert.run({ ...row, page_ref: placement?.pageRef ?? null, device: placement?.device ?? null });
    },
  };
}
