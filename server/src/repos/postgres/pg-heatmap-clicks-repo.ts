// Each recorded click as the heatmaps keep it, on PostgreSQL: a batch's clicks written in one statement, placed one by one by the page hook.
import { normalizePageUrl } from '../../analysis/normalize-page-url';
import type { ClickRow } from '../../heatmaps/click-row';
import type { HeatmapClicksRepo, PlacedClick } from '../heatmap-clicks-repo';
import type { Async } from '../maybe-async';
import type { PgHeatmapKeysRepo } from './pg-heatmap-keys-repo';
import { statement, type Queryable } from './pg-statement';

const SITE = '(SELECT site_id FROM sessions WHERE id = $1)';

const stored = statement<[string, string, number], { ts: number; selector: string; x: number; y: number }>(
  'heatmap_clicks_stored',
  `SELECT c.ts, s.selector, c.x, c.y FROM heatmap_clicks c JOIN heatmap_selectors s ON s.site_id = c.site_id AND s.id = c.selector_id
   WHERE c.site_id = $1 AND c.session_id = $2 AND c.seq = $3 ORDER BY c.id`,
);
const removeBatch = statement<[string, string, number]>('heatmap_clicks_remove_batch', 'DELETE FROM heatmap_clicks WHERE site_id = $1 AND session_id = $2 AND seq = $3');
/** One column array per parameter; ids are given in the clicks' order (ORDER BY the ordinality). */
const insertBatch = statement(
  'heatmap_clicks_insert_batch',
  `INSERT INTO heatmap_clicks (site_id, session_id, seq, page_id, ts, day, viewport_width, device, selector_id, offset_x, offset_y,
     bin_x, bin_y, x, y, fallback_x, fallback_y, document_width, document_height, fixed, label, page_ref)
   SELECT $1, $2, $3, $4, c.ts, c.day, c.viewport_width, c.device, c.selector_id, c.offset_x, c.offset_y,
     c.bin_x, c.bin_y, c.x, c.y, c.fallback_x, c.fallback_y, c.document_width, c.document_height, c.fixed, c.label, c.page_ref
   FROM unnest($5::bigint[], $6::integer[], $7::integer[], $8::text[], $9::bigint[], $10::float8[], $11::float8[], $12::integer[],
     $13::integer[], $14::integer[], $15::integer[], $16::integer[], $17::integer[], $18::integer[], $19::integer[], $20::boolean[],
     $21::text[], $22::bigint[]) WITH ORDINALITY AS c (ts, day, viewport_width, device, selector_id, offset_x, offset_y, bin_x, bin_y,
     x, y, fallback_x, fallback_y, document_width, document_height, fixed, label, page_ref, n)
   ORDER BY c.n`,
);
const byPage = statement<[string, string], PlacedClick>(
  'heatmap_clicks_by_page',
  `SELECT id, ts, page_ref AS "pageRef", rage, dead, error FROM heatmap_clicks
   WHERE site_id = ${SITE} AND session_id = $1 AND page_id = $2 ORDER BY ts, id`,
);
/**
 * The row taken out and put back in one statement: the delete and insert triggers move its count
 * from the old placement to the new one (an UPDATE of those columns is refused).
 */
const place = statement<[string, number, number | null, boolean, boolean, boolean]>(
  'heatmap_clicks_place',
  `WITH taken AS (DELETE FROM heatmap_clicks WHERE site_id = $1 AND id = $2 RETURNING *)
   INSERT INTO heatmap_clicks (site_id, id, session_id, seq, page_id, ts, day, viewport_width, device, selector_id, offset_x, offset_y,
     bin_x, bin_y, x, y, fallback_x, fallback_y, document_width, document_height, fixed, label, page_ref, rage, dead, error)
   SELECT site_id, id, session_id, seq, page_id, ts, day, viewport_width, device, selector_id, offset_x, offset_y,
     bin_x, bin_y, x, y, fallback_x, fallback_y, document_width, document_height, fixed, label, $3, $4, $5, $6 FROM taken`,
);

export function createPgHeatmapClicksRepo(db: Queryable, keys: PgHeatmapKeysRepo): Async<HeatmapClicksRepo> {
  /** A redetect analyses the same batch again: its stored clicks are kept, placement and all. */
  async function sameAsStored(siteId: string, sessionId: string, seq: number, clicks: readonly ClickRow[]): Promise<boolean> {
    const rows = await stored.all(db, siteId, sessionId, seq);
    return rows.length === clicks.length && rows.every((row, i) => row.ts === clicks[i]!.ts && row.x === clicks[i]!.x && row.y === clicks[i]!.y && row.selector === clicks[i]!.selector);
  }

  return {
    async replaceBatch({ siteId, sessionId, seq, pageId }, clicks) {
      if (await sameAsStored(siteId, sessionId, seq, clicks)) return;
      await removeBatch.run(db, siteId, sessionId, seq);
      if (clicks.length === 0) return;
      const paths = clicks.map((click) => normalizePageUrl(click.pageUrl));
      const selectorIds = await keys.selectorIds(siteId, clicks.map((click) => click.selector));
      const pageRefs = await keys.pageRefs(siteId, paths);
      const column = <T>(of: (click: ClickRow, index: number) => T) => clicks.map(of);
      await insertBatch.run(
        db,
        siteId,
        sessionId,
        seq,
        pageId,
        column((c) => c.ts),
        column((c) => c.day),
        column((c) => c.viewportWidth),
        column((c) => c.device),
        column((c) => selectorIds.get(c.selector)!),
        column((c) => c.offsetX),
        column((c) => c.offsetY),
        column((c) => c.binX),
        column((c) => c.binY),
        column((c) => c.x),
        column((c) => c.y),
        column((c) => c.fallbackX),
        column((c) => c.fallbackY),
        column((c) => c.documentWidth),
        column((c) => c.documentHeight),
        column((c) => c.fixed),
        column((c) => c.label),
        column((_c, i) => pageRefs.get(paths[i]!)!),
      );
    },
    listByPage: (sessionId, pageId) => byPage.all(db, sessionId, pageId),
    async place(siteId, id, { pageRef, rage, dead, error }) {
      await place.run(db, siteId, id, pageRef, rage, dead, error);
    },
  };
}
