// The page loads of each session on PostgreSQL; the site id of a new page comes from its session.
import type { PageSummary } from '../../api-types';
import type { Async } from '../maybe-async';
import type { PagesRepo } from '../pages-repo';
import { statement, type Queryable } from './pg-statement';

/** The session's site id, so every lookup below is a seek on a key that starts with it. */
const SITE = '(SELECT site_id FROM sessions WHERE id = $1)';

const startedAt = statement<[string, string], { started_at: number }>(
  'pages_started_at',
  `SELECT started_at FROM pages WHERE site_id = ${SITE} AND session_id = $1 AND page_id = $2`,
);
const insert = statement<[string, string, string, number]>(
  'pages_insert',
  'INSERT INTO pages (site_id, session_id, page_id, url, started_at) SELECT site_id, id, $2, $3, $4 FROM sessions WHERE id = $1',
);
const moveStart = statement<[string, string, number]>(
  'pages_move_start',
  `UPDATE pages SET started_at = $3 WHERE site_id = ${SITE} AND session_id = $1 AND page_id = $2 AND started_at > $3`,
);
const bySession = statement<[string], PageSummary>(
  'pages_by_session',
  `SELECT page_id AS id, url, started_at AS "startedAt" FROM pages WHERE site_id = ${SITE} AND session_id = $1 ORDER BY started_at, page_id`,
);
const setFacts = statement<[string, string, number, string | null]>(
  'pages_set_facts',
  `UPDATE pages SET error_count = $3, user_id = $4 WHERE site_id = ${SITE} AND session_id = $1 AND page_id = $2`,
);
const facts = statement<[string], { errorCount: number | null; userId: string | null }>(
  'pages_session_facts',
  `SELECT (SELECT sum(error_count) FROM pages WHERE site_id = ${SITE} AND session_id = $1) AS "errorCount",
     (SELECT user_id FROM pages WHERE site_id = ${SITE} AND session_id = $1 AND user_id IS NOT NULL ORDER BY started_at DESC LIMIT 1) AS "userId"`,
);

export function createPgPagesRepo(db: Queryable): Async<PagesRepo> {
  return {
    findStartedAt: async (sessionId, pageId) => (await startedAt.get(db, sessionId, pageId))?.started_at,
    async insert(page) {
      await insert.run(db, page.sessionId, page.pageId, page.url, page.startedAt);
    },
    async moveStartEarlier(sessionId, pageId, start) {
      await moveStart.run(db, sessionId, pageId, start);
    },
    listBySession: (sessionId) => bySession.all(db, sessionId),
    async setAnalysisFacts(sessionId, pageId, errorCount, userId) {
      await setFacts.run(db, sessionId, pageId, errorCount, userId);
    },
    async sessionFacts(sessionId) {
      const row = await facts.get(db, sessionId);
      return { errorCount: row?.errorCount ?? 0, userId: row?.userId ?? null };
    },
  };
}
