// Goal completions per page load: replaced per page by the analysis pass and per slice of sessions by goal jobs.
import type { Database } from 'better-sqlite3';

export interface GoalCompletion {
  goalId: string;
  sessionId: string;
  pageId: string;
  ts: number;
}

/** A stored page's signals as a goal job reads them (one row per batch, in session and seq order). */
export interface StoredPageBatch {
  sessionId: string;
  pageId: string;
  url: string;
  /** JSON array of PageSignal. */
  signals: string;
}

/** Needles a batch query takes (a form goal's selector and its submit). */
export const MAX_NEEDLES = 2;

export interface GoalCompletionsRepo {
  /** Replaces every goal's completions on the page (the pass computes all of the site's goals at once). */
  replaceForPage(sessionId: string, pageId: string, completions: ReadonlyArray<{ goalId: string; ts: number }>): void;
  /** Replaces one goal's completions in sessions with afterSession < id <= lastSession. */
  replaceForSessions(goalId: string, afterSession: string, lastSession: string, completions: readonly GoalCompletion[]): void;
  clearGoal(goalId: string): void;
  /** Up to `limit` of the site's session ids after `afterSession`, in id order. */
  sessionIdsAfter(siteId: string, afterSession: string, limit: number): string[];
  /**
   * The batches of the pages (of the site's sessions with afterSession < id <= lastSession) whose
   * stored signals or URL contain every needle (at most MAX_NEEDLES): SQLite scans the JSON text, so
   * the pages that cannot complete a goal are never copied out of the database.
   */
  batchesWithNeedles(siteId: string, afterSession: string, lastSession: string, needles: readonly string[]): StoredPageBatch[];
  sessionCount(siteId: string): number;
  countForGoal(goalId: string): number;
}

export function createGoalCompletionsRepo(db: Database): GoalCompletionsRepo {
  const removePage = db.prepare<[string, string]>('DELETE FROM goal_completions WHERE session_id = ? AND page_id = ?');
  const insert = db.prepare<[GoalCompletion]>(
    'INSERT INTO goal_completions (goal_id, session_id, page_id, ts) VALUES (@goalId, @sessionId, @pageId, @ts) ON CONFLICT DO UPDATE SET ts = min(ts, excluded.ts)',
  );
  const removeRange = db.prepare<[string, string, string]>('DELETE FROM goal_completions WHERE goal_id = ? AND session_id > ? AND session_id <= ?');
  const clear = db.prepare<[string]>('DELETE FROM goal_completions WHERE goal_id = ?');
  const idsAfter = db.prepare<[string, string, number], string>('SELECT id FROM sessions WHERE site_id = ? AND id > ? ORDER BY id LIMIT ?').pluck();
  const batches = db.prepare<[{ site: string; after: string; last: string; needle1: string; needle2: string }], StoredPageBatch>(
    `WITH candidates AS MATERIALIZED (
       SELECT h.session_id, h.page_id FROM page_signals h
         JOIN pages p ON p.session_id = h.session_id AND p.page_id = h.page_id
       WHERE h.session_id > @after AND h.session_id <= @last
         AND h.session_id IN (SELECT id FROM sessions WHERE site_id = @site AND id > @after AND id <= @last)
       GROUP BY h.session_id, h.page_id
       HAVING max(instr(h.signals, @needle1) > 0 OR instr(p.url, @needle1) > 0) AND max(instr(h.signals, @needle2) > 0 OR instr(p.url, @needle2) > 0)
     )
     -- CROSS JOIN keeps the candidates as the outer loop: every lookup stays inside the slice's sessions.
     SELECT g.session_id AS sessionId, g.page_id AS pageId, p.url, g.signals
     FROM candidates c
       CROSS JOIN page_signals g ON g.session_id = c.session_id AND g.page_id = c.page_id
       JOIN pages p ON p.session_id = g.session_id AND p.page_id = g.page_id
     ORDER BY g.session_id, g.seq`,
  );
  const sessions = db.prepare<[string], number>('SELECT count(*) FROM sessions WHERE site_id = ?').pluck();
  const forGoal = db.prepare<[string], number>('SELECT count(DISTINCT session_id) FROM goal_completions WHERE goal_id = ?').pluck();

  return {
    replaceForPage(sessionId, pageId, completions) {
      removePage.run(sessionId, pageId);
      for (const { goalId, ts } of completions) insert.run({ goalId, sessionId, pageId, ts: Math.floor(ts) });
    },
    replaceForSessions(goalId, afterSession, lastSession, completions) {
      removeRange.run(goalId, afterSession, lastSession);
      for (const completion of completions) insert.run({ ...completion, ts: Math.floor(completion.ts) });
    },
    clearGoal(goalId) {
      clear.run(goalId);
    },
    sessionIdsAfter: (siteId, afterSession, limit) => idsAfter.all(siteId, afterSession, limit),
    batchesWithNeedles(site, after, last, needles) {
      if (needles.length < 1 || needles.length > MAX_NEEDLES) throw new Error(`between 1 and ${MAX_NEEDLES} needles`);
      return batches.all({ site, after, last, needle1: needles[0]!, needle2: needles[1] ?? needles[0]! });
    },
    sessionCount: (siteId) => sessions.get(siteId) ?? 0,
    countForGoal: (goalId) => forGoal.get(goalId) ?? 0,
  };
}
