// Deletes sessions on PostgreSQL with everything derived from them (foreign keys cascade, triggers keep the totals).
import type { Pool } from 'pg';
import type { Async } from '../maybe-async';
import type { SessionDeletionRepo } from '../session-deletion-repo';
import { statement } from './pg-statement';

// One statement deletes them all, atomically, as the SQLite repository's transaction does.
const remove = statement<[string[]]>('deletion_sessions', 'DELETE FROM sessions WHERE id = ANY ($1)');
const expired = statement<[string, number, number], { id: string }>(
  'deletion_expired',
  'SELECT id FROM sessions WHERE site_id = $1 AND updated_at < $2 ORDER BY updated_at LIMIT $3',
);
// The session's user id is the last one its pages identified; an earlier page may name another user.
const ofUser = statement<[string, string, number], { id: string }>(
  'deletion_of_user',
  `SELECT id FROM sessions WHERE site_id = $1 AND user_id = $2
   UNION
   SELECT session_id FROM pages WHERE site_id = $1 AND user_id = $2
   LIMIT $3`,
);
const prune = statement<[]>(
  'deletion_prune_heatmap_pages',
  `DELETE FROM heatmap_pages h WHERE NOT EXISTS (SELECT 1 FROM heatmap_loads WHERE site_id = h.site_id AND page_ref = h.id)
     AND NOT EXISTS (SELECT 1 FROM heatmap_clicks WHERE site_id = h.site_id AND page_ref = h.id)
     AND NOT EXISTS (SELECT 1 FROM heatmap_scrolls WHERE site_id = h.site_id AND page_ref = h.id)`,
);

export function createPgSessionDeletionRepo(pool: Pool): Async<SessionDeletionRepo> {
  return {
    deleteSessions: async (ids) => (ids.length === 0 ? 0 : ((await remove.run(pool, [...ids])).rowCount ?? 0)),
    expiredSessionIds: async (siteId, cutoff, limit) => (await expired.all(pool, siteId, cutoff, limit)).map((row) => row.id),
    userSessionIds: async (siteId, userId, limit) => (await ofUser.all(pool, siteId, userId, limit)).map((row) => row.id),
    pruneHeatmapPages: async () => (await prune.run(pool)).rowCount ?? 0,
  };
}
