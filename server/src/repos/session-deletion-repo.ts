// Deletes recorded sessions with everything derived from them (the schema's ON DELETE CASCADE and the heatmap triggers do the rest), and finds which to delete.
import type { Database } from 'better-sqlite3';

export interface SessionDeletionRepo {
  /** Deletes the sessions in one transaction; returns how many existed. */
  deleteSessions(ids: readonly string[]): number;
  /** Up to `limit` of the site's sessions whose last batch arrived before `cutoff` (server clock, ms), oldest first. */
  expiredSessionIds(siteId: string, cutoff: number, limit: number): string[];
  /** Up to `limit` of the site's sessions the user id was identified in, on any of its pages. */
  userSessionIds(siteId: string, userId: string, limit: number): string[];
  /** Removes heatmap pages no load, click or scroll refers to any more; returns how many. */
  pruneHeatmapPages(): number;
}

export function createSessionDeletionRepo(db: Database): SessionDeletionRepo {
  const remove = db.prepare<[string]>('DELETE FROM sessions WHERE id = ?');
  const expired = db.prepare<[string, number, number], string>(
    'SELECT id FROM sessions WHERE site_id = ? AND updated_at < ? ORDER BY updated_at LIMIT ?',
  ).pluck();
  // The session's user id is the last one its pages identified; an earlier page may name another user.
  const ofUser = db.prepare<[{ site: string; user: string; limit: number }], string>(
    `SELECT id FROM sessions WHERE site_id = @site AND user_id = @user
     UNION
     SELECT p.session_id FROM pages p JOIN sessions s ON s.id = p.session_id WHERE s.site_id = @site AND p.user_id = @user
     LIMIT @limit`,
  ).pluck();
  const prune = db.prepare(
    `DELETE FROM heatmap_pages WHERE NOT EXISTS (SELECT 1 FROM heatmap_loads WHERE page_ref = heatmap_pages.id)
       AND NOT EXISTS (SELECT 1 FROM heatmap_clicks WHERE page_ref = heatmap_pages.id)
       AND NOT EXISTS (SELECT 1 FROM heatmap_scrolls WHERE page_ref = heatmap_pages.id)`,
  );
  const deleteAll = db.transaction((ids: readonly string[]) => ids.reduce((deleted, id) => deleted + remove.run(id).changes, 0));

  return {
    deleteSessions: (ids) => (ids.length === 0 ? 0 : deleteAll(ids)),
    expiredSessionIds: (siteId, cutoff, limit) => expired.all(siteId, cutoff, limit),
    userSessionIds: (siteId, userId, limit) => ofUser.all({ site: siteId, user: userId, limit }),
    pruneHeatmapPages: () => prune.run().changes,
  };
}
