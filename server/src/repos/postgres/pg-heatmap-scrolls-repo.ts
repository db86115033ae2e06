// Each recorded scroll depth on PostgreSQL: a batch's depths written in one statement, the deepest of each page view counted by the page hook.
import { dayOf } from '../../heatmaps/click-row';
import { scrollFold, scrollStep, type HeatmapScrollsRepo, type PlacedScrollDepth } from '../heatmap-scrolls-repo';
import type { Async } from '../maybe-async';
import { statement, type Queryable } from './pg-statement';

const SITE = '(SELECT site_id FROM sessions WHERE id = $1)';

const removeBatch = statement<[string, string, number]>('heatmap_scrolls_remove_batch', 'DELETE FROM heatmap_scrolls WHERE site_id = $1 AND session_id = $2 AND seq = $3');
const insertBatch = statement(
  'heatmap_scrolls_insert_batch',
  `INSERT INTO heatmap_scrolls (site_id, session_id, seq, page_id, ts, day, max_y, document_height, viewport_height, step, fold)
   SELECT $1, $2, $3, $4, d.ts, d.day, d.max_y, d.document_height, d.viewport_height, d.step, d.fold
   FROM unnest($5::bigint[], $6::integer[], $7::integer[], $8::integer[], $9::integer[], $10::integer[], $11::integer[])
     WITH ORDINALITY AS d (ts, day, max_y, document_height, viewport_height, step, fold, n)
   ORDER BY d.n`,
);
const byPage = statement<[string, string], PlacedScrollDepth>(
  'heatmap_scrolls_by_page',
  `SELECT id, ts, max_y AS "maxY", page_ref AS "pageRef", device FROM heatmap_scrolls
   WHERE site_id = ${SITE} AND session_id = $1 AND page_id = $2 ORDER BY ts, id`,
);
/** Taken out and put back in one statement, as a click is placed (the triggers move its count). */
const place = statement<[string, number, number | null, string | null]>(
  'heatmap_scrolls_place',
  `WITH taken AS (DELETE FROM heatmap_scrolls WHERE site_id = $1 AND id = $2 RETURNING *)
   INSERT INTO heatmap_scrolls (site_id, id, session_id, seq, page_id, ts, day, max_y, document_height, viewport_height, step, fold, page_ref, device)
   SELECT site_id, id, session_id, seq, page_id, ts, day, max_y, document_height, viewport_height, step, fold, $3, $4 FROM taken`,
);

export function createPgHeatmapScrollsRepo(db: Queryable): Async<HeatmapScrollsRepo> {
  return {
    async replaceBatch({ siteId, sessionId, seq, pageId }, depths) {
      await removeBatch.run(db, siteId, sessionId, seq);
      if (depths.length === 0) return;
      const column = <T>(of: (depth: (typeof depths)[number]) => T) => depths.map(of);
      await insertBatch.run(
        db,
        siteId,
        sessionId,
        seq,
        pageId,
        column((d) => d.ts),
        column((d) => dayOf(d.ts)),
        column((d) => d.maxY),
        column((d) => d.documentHeight),
        column((d) => d.viewportHeight),
        column(scrollStep),
        column(scrollFold),
      );
    },
    listByPage: (sessionId, pageId) => byPage.all(db, sessionId, pageId),
    async place(siteId, id, placement) {
      await place.run(db, siteId, id, placement?.pageRef ?? null, placement?.device ?? null);
    },
  };
}
