// Deletes each site's sessions past its retention period, a slice at a time in the analysis loop, then gives the freed disk space back.
import type { Database } from 'better-sqlite3';
import type { MaybeAsync } from '../repos/maybe-async';
import type { SessionDeletionRepo } from '../repos/session-deletion-repo';
import type { SitesRepo } from '../repos/sites-repo';
import { retentionCutoff } from './retention-period';

/** Periods are whole days: looking every 10 minutes deletes a session at most that late. */
export const RETENTION_CHECK_INTERVAL_MS = 10 * 60 * 1000;
/** Sessions deleted per slice, in one transaction: the loop goes back to the analysis queue after each, and ingest waits at most one slice for the write lock. */
export const RETENTION_SLICE_SESSIONS = 50;
/** Free pages handed back to the file system per slice: 8 MB of 4 KB pages. */
export const VACUUM_SLICE_PAGES = 2048;
/** PRAGMA auto_vacuum's value for INCREMENTAL. */
const AUTO_VACUUM_INCREMENTAL = 2;

export interface RetentionJob {
  readonly name: string;
  /** Does one slice of the run in hand, or starts one when it is time; false when there was nothing to do. */
  runSlice(): Promise<boolean>;
}

export interface RetentionJobDeps {
  /** SQLite's handle, to hand free pages back after a run; none on PostgreSQL (its own VACUUM does that, and dropped partitions free the batches). */
  db?: Database;
  sites: MaybeAsync<SitesRepo>;
  deletion: MaybeAsync<SessionDeletionRepo>;
  now?: () => number;
  checkIntervalMs?: number;
  sliceSessions?: number;
  log?: (message: string) => void;
}

type Phase = 'idle' | 'delete' | 'vacuum';

/**
 * A run deletes expired sessions site by site until none is left, removes the heatmap pages left
 * without data, then hands free pages back to the file system. The free pages include those of
 * sessions deleted through the API since the last run. A database created before auto_vacuum was
 * turned on keeps its free pages for new data instead (README: `npm run vacuum` once).
 */
export function createRetentionJob(deps: RetentionJobDeps): RetentionJob {
  const { db, sites, deletion, now = Date.now, checkIntervalMs = RETENTION_CHECK_INTERVAL_MS, sliceSessions = RETENTION_SLICE_SESSIONS, log = (message) => console.log(`frictionlens: ${message}`) } = deps;
  let phase: Phase = 'idle';
  let nextRunAt = 0;
  let queue: Array<{ id: string; retentionDays: number }> = [];
  let deleted = 0;
  const incremental = () => db?.pragma('auto_vacuum', { simple: true }) === AUTO_VACUUM_INCREMENTAL;
  const freePages = () => db?.pragma('freelist_count', { simple: true }) as number;

  async function deleteSlice(): Promise<void> {
    const site = queue[0];
    if (!site) {
      const pruned = await deletion.pruneHeatmapPages();
      if (deleted > 0) log(`retention: deleted ${deleted} session${deleted === 1 ? '' : 's'} past their site's period${pruned > 0 ? ` and ${pruned} heatmap page${pruned === 1 ? '' : 's'} left without data` : ''}`);
      phase = 'vacuum';
      return;
    }
    const ids = await deletion.expiredSessionIds(site.id, retentionCutoff(now(), site.retentionDays), sliceSessions);
    deleted += await deletion.deleteSessions(ids);
    if (ids.length < sliceSessions) queue.shift();
  }

  return {
    name: 'retention',
    async runSlice() {
      if (phase === 'idle') {
        if (now() < nextRunAt) return false;
        nextRunAt = now() + checkIntervalMs;
        queue = await sites.listWithRetention();
        deleted = 0;
        phase = 'delete';
      }
      if (phase === 'delete') {
        await deleteSlice();
        return true;
      }
      if (db && incremental() && freePages() > 0) {
        db.pragma(`incremental_vacuum(${VACUUM_SLICE_PAGES})`);
        return true;
      }
      phase = 'idle';
      return false;
    },
  };
}
