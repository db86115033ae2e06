// Goal completions per page load on PostgreSQL; the site id of each row comes from its session.
import type { GoalCompletion, GoalCompletionsRepo } from '../goal-completions-repo';
import { MAX_NEEDLES } from '../goal-completions-repo';
import type { Async } from '../maybe-async';
import { statement, type Queryable } from './pg-statement';

const removePage = statement<[string, string]>(
  'goal_completions_remove_page',
  'DELETE FROM goal_completions WHERE site_id = (SELECT site_id FROM sessions WHERE id = $1) AND session_id = $1 AND page_id = $2',
);
// Rows go in as arrays, one statement per call; a page's first completion wins (least ts).
const insertMany = statement<[string[], string[], string[], number[]]>(
  'goal_completions_insert',
  `INSERT INTO goal_completions (site_id, goal_id, session_id, page_id, ts)
   SELECT g.site_id, r.goal_id, r.session_id, r.page_id, r.ts
   FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS r (goal_id, session_id, page_id, ts)
     JOIN goals g ON g.id = r.goal_id
   ON CONFLICT (site_id, goal_id, session_id, page_id) DO UPDATE SET ts = least(goal_completions.ts, excluded.ts)`,
);
const removeRange = statement<[string, string, string]>(
  'goal_completions_remove_range',
  'DELETE FROM goal_completions WHERE site_id = (SELECT site_id FROM goals WHERE id = $1) AND goal_id = $1 AND session_id > $2 AND session_id <= $3',
);
const clear = statement<[string]>('goal_completions_clear', 'DELETE FROM goal_completions WHERE site_id = (SELECT site_id FROM goals WHERE id = $1) AND goal_id = $1');
const idsAfter = statement<[string, string, number], { id: string }>(
  'goal_completions_ids_after',
  'SELECT id FROM sessions WHERE site_id = $1 AND id > $2 ORDER BY id LIMIT $3',
);
// jsonb prints a space after each key's colon ("k": "view"); the needles are written for compact
// JSON ("action":"submit"). Both sides lose that space before matching, which can only let more
// pages through; the goal job checks each page again on the compact JSON returned here.
const batches = statement<[string, string, string, string, string], { sessionId: string; pageId: string; url: string; signals: unknown }>(
  'goal_completions_batches',
  `WITH slice AS MATERIALIZED (
     SELECT h.session_id, h.page_id, h.seq, p.url, h.signals FROM page_signals h
       JOIN pages p ON p.site_id = h.site_id AND p.session_id = h.session_id AND p.page_id = h.page_id
     WHERE h.site_id = $1 AND h.session_id > $2 AND h.session_id <= $3
   ), candidates AS (
     SELECT session_id, page_id FROM slice GROUP BY session_id, page_id
     HAVING bool_or(strpos(url, $4) > 0 OR strpos(replace(signals::text, '": ', '":'), replace($4, '": ', '":')) > 0)
        AND bool_or(strpos(url, $5) > 0 OR strpos(replace(signals::text, '": ', '":'), replace($5, '": ', '":')) > 0)
   )
   SELECT s.session_id AS "sessionId", s.page_id AS "pageId", s.url, s.signals
   FROM slice s JOIN candidates c USING (session_id, page_id)
   ORDER BY s.session_id, s.seq`,
);
const sessions = statement<[string], { count: number }>('goal_completions_session_count', 'SELECT count(*) AS count FROM sessions WHERE site_id = $1');
const forGoal = statement<[string], { count: number }>(
  'goal_completions_for_goal',
  'SELECT count(DISTINCT session_id) AS count FROM goal_completions WHERE site_id = (SELECT site_id FROM goals WHERE id = $1) AND goal_id = $1',
);

async function insertAll(db: Queryable, rows: readonly GoalCompletion[]): Promise<void> {
  if (rows.length === 0) return;
  await insertMany.run(db, rows.map((row) => row.goalId), rows.map((row) => row.sessionId), rows.map((row) => row.pageId), rows.map((row) => Math.floor(row.ts)));
}

export function createPgGoalCompletionsRepo(db: Queryable): Async<GoalCompletionsRepo> {
  return {
    async replaceForPage(sessionId, pageId, completions) {
      await removePage.run(db, sessionId, pageId);
      await insertAll(db, completions.map(({ goalId, ts }) => ({ goalId, sessionId, pageId, ts })));
    },
    async replaceForSessions(goalId, afterSession, lastSession, completions) {
      await removeRange.run(db, goalId, afterSession, lastSession);
      await insertAll(db, completions);
    },
    async clearGoal(goalId) {
      await clear.run(db, goalId);
    },
    sessionIdsAfter: async (siteId, afterSession, limit) => (await idsAfter.all(db, siteId, afterSession, limit)).map((row) => row.id),
    async batchesWithNeedles(site, after, last, needles) {
      if (needles.length < 1 || needles.length > MAX_NEEDLES) throw new Error(`between 1 and ${MAX_NEEDLES} needles`);
      const rows = await batches.all(db, site, after, last, needles[0]!, needles[1] ?? needles[0]!);
      return rows.map((row) => ({ sessionId: row.sessionId, pageId: row.pageId, url: row.url, signals: JSON.stringify(row.signals) }));
    },
    sessionCount: async (siteId) => (await sessions.get(db, siteId))?.count ?? 0,
    countForGoal: async (goalId) => (await forGoal.get(db, goalId))?.count ?? 0,
  };
}
