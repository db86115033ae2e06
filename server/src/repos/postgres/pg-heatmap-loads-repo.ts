// Recorded page loads a heatmap can be drawn over, on PostgreSQL: one row per page load, and the choice of one per page and device.
import type { HeatmapDevice } from '../../api-types';
import type { HeatmapLoad, HeatmapLoadsRepo } from '../heatmap-loads-repo';
import type { Async } from '../maybe-async';
import { statement, type Queryable } from './pg-statement';

const COLUMNS = `session_id AS "sessionId", page_id AS "pageId", page_ref AS "pageRef", device, width, height,
  snapshot_ts AS "snapshotTs", moment_ts AS "momentTs", complete`;

const put = statement<[string, string, number, HeatmapDevice, number, number, number, number | null, boolean]>(
  'heatmap_loads_put',
  `INSERT INTO heatmap_loads (site_id, session_id, page_id, page_ref, device, width, height, snapshot_ts, moment_ts, complete)
   SELECT site_id, id, $2, $3, $4, $5, $6, $7, $8, $9 FROM sessions WHERE id = $1
   ON CONFLICT (site_id, session_id, page_id) DO UPDATE SET page_ref = excluded.page_ref, device = excluded.device, width = excluded.width,
     height = excluded.height, snapshot_ts = excluded.snapshot_ts, moment_ts = excluded.moment_ts, complete = excluded.complete`,
);
// The same choice as the SQLite repository's, over the index (site_id, page_ref, device, width, snapshot_ts).
const choose = statement<[string, number[], HeatmapDevice, number], HeatmapLoad>(
  'heatmap_loads_choose',
  `WITH candidates AS (
     SELECT * FROM heatmap_loads WHERE site_id = $1 AND page_ref = ANY ($2::bigint[]) AND device = $3
   ), common AS (
     SELECT width FROM candidates GROUP BY width ORDER BY count(*) DESC, width DESC LIMIT 1
   )
   SELECT ${COLUMNS} FROM candidates WHERE width = (SELECT width FROM common)
   ORDER BY (moment_ts IS NOT NULL OR complete) AND (moment_ts IS NULL OR moment_ts - snapshot_ts >= $4) DESC,
     (moment_ts IS NOT NULL OR complete) DESC, snapshot_ts DESC
   LIMIT 1`,
);
/** The session's weekly partition of chunks named, as the chunks repository reads them. */
const bodies = statement<[string, string, number], { body: Buffer }>(
  'heatmap_loads_bodies',
  `SELECT body FROM chunks
   WHERE site_id = (SELECT site_id FROM sessions WHERE id = $1) AND session_received_at = (SELECT received_at FROM sessions WHERE id = $1)
     AND session_id = $1 AND page_id = $2 AND first_ts <= $3
   ORDER BY seq`,
);

export function createPgHeatmapLoadsRepo(db: Queryable): Async<HeatmapLoadsRepo> {
  return {
    async put(load) {
      // Integer columns: a crafted meta event's fractional size would fail the page hook's writes.
      await put.run(db, load.sessionId, load.pageId, load.pageRef, load.device, Math.round(load.width), Math.round(load.height), load.snapshotTs, load.momentTs, load.complete);
    },
    choose: (siteId, pageRefs, device, settleMs) => choose.get(db, siteId, [...pageRefs], device, settleMs),
    bodiesUntil: async (sessionId, pageId, untilTs) => (await bodies.all(db, sessionId, pageId, untilTs)).map((row) => row.body),
  };
}
