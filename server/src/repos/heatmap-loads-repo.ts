// Recorded page loads a heatmap can be drawn over, one row per page load, and the choice of one per page and device.
import type { Database } from 'better-sqlite3';
import type { HeatmapDevice } from '../api-types';

export interface HeatmapLoad {
  sessionId: string;
  pageId: string;
  pageRef: number;
  device: HeatmapDevice;
  width: number;
  height: number;
  snapshotTs: number;
  momentTs: number | null;
  complete: boolean;
}

export interface HeatmapLoadsRepo {
  /** Records (or updates) the page load's snapshot facts; run by the page hook each time the page is judged. */
  put(load: HeatmapLoad): void;
  /**
   * The load to draw a heatmap page over, at a device class: among the loads at the class's most
   * common width, one whose moment is settled (the first interaction came `settleMs` or more after
   * the snapshot, or the page ended without any), else one whose moment is at least known; the
   * latest of those.
   */
  choose(siteId: string, pageRefs: readonly number[], device: HeatmapDevice, settleMs: number): HeatmapLoad | undefined;
  /** Gzipped batches of the page load that start before `untilTs`, in seq order. */
  bodiesUntil(sessionId: string, pageId: string, untilTs: number): Buffer[];
}

interface LoadRow extends Omit<HeatmapLoad, 'complete'> {
  complete: number;
}

export function createHeatmapLoadsRepo(db: Database): HeatmapLoadsRepo {
  const put = db.prepare<[Record<string, unknown>]>(
    `INSERT INTO heatmap_loads (session_id, page_id, page_ref, device, width, height, snapshot_ts, moment_ts, complete)
     VALUES (@sessionId, @pageId, @pageRef, @device, @width, @height, @snapshotTs, @momentTs, @complete)
     ON CONFLICT (session_id, page_id) DO UPDATE SET page_ref = excluded.page_ref, device = excluded.device, width = excluded.width,
       height = excluded.height, snapshot_ts = excluded.snapshot_ts, moment_ts = excluded.moment_ts, complete = excluded.complete`,
  );
  const choose = db.prepare<[{ refs: string; device: HeatmapDevice; settleMs: number }], LoadRow>(
    `WITH candidates AS (
       SELECT * FROM heatmap_loads WHERE page_ref IN (SELECT value FROM json_each(@refs)) AND device = @device
     ), common AS (
       SELECT width FROM candidates GROUP BY width ORDER BY count(*) DESC, width DESC LIMIT 1
     )
     SELECT session_id AS sessionId, page_id AS pageId, page_ref AS pageRef, device, width, height,
       snapshot_ts AS snapshotTs, moment_ts AS momentTs, complete
     FROM candidates WHERE width = (SELECT width FROM common)
     ORDER BY (moment_ts IS NOT NULL OR complete = 1) AND (moment_ts IS NULL OR moment_ts - snapshot_ts >= @settleMs) DESC,
       (moment_ts IS NOT NULL OR complete = 1) DESC, snapshot_ts DESC
     LIMIT 1`,
  );
  const bodies = db.prepare<[string, string, number], Buffer>(
    'SELECT body FROM chunks WHERE session_id = ? AND page_id = ? AND first_ts <= ? ORDER BY seq',
  ).pluck();

  return {
    put(load) {
      put.run({ ...load, complete: load.complete ? 1 : 0 });
    },
    choose(_siteId, pageRefs, device, settleMs) {
      const row = choose.get({ refs: JSON.stringify(pageRefs), device, settleMs });
      return row && { ...row, complete: row.complete === 1 };
    },
    bodiesUntil: (sessionId, pageId, untilTs) => bodies.all(sessionId, pageId, untilTs),
  };
}
