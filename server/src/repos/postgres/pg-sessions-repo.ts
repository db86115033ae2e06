// The sessions table on PostgreSQL: the session list, one session's summary, the watched mark and the totals.
import { FRICTION_TYPES } from '../../api-types';
import type { Async } from '../maybe-async';
import { sessionListSql, type SessionListDialect } from '../session-list-sql';
import { toSummary, type SessionForBatch, type SessionRow, type SessionsRepo } from '../sessions-repo';
import { statement, toPositional, type Queryable } from './pg-statement';

/** Each friction type's first flag time as JSON text, read by the same toSummary as SQLite's. */
const FIRST_FRICTION =
  `(SELECT json_build_object(${FRICTION_TYPES.map((type) => `'${type}', min(ts) FILTER (WHERE type = '${type}')`).join(', ')})::text ` +
  'FROM friction WHERE friction.site_id = sessions.site_id AND friction.session_id = sessions.id) AS first_friction';

const SUMMARY_COLUMNS =
  'id, site_id, started_at, ended_at, page_count, event_count, entry_url, browser, browser_version, os, device, ' +
  'rage_clicks, dead_clicks, form_abandonments, error_loops, frustration_score, error_count, user_id, watched_at, ' +
  FIRST_FRICTION;

// ILIKE folds case beyond ASCII, where SQLite's LIKE folds ASCII only: a looser match, never a stricter one.
const POSTGRES_DIALECT: SessionListDialect = {
  urlMatches: "EXISTS (SELECT 1 FROM pages WHERE pages.site_id = sessions.site_id AND pages.session_id = sessions.id AND pages.url ILIKE @url ESCAPE '\\')",
  browserEquals: 'lower(browser) = lower(@browser)',
};

const forBatch = statement<[string], SessionForBatch>(
  'sessions_for_batch',
  `SELECT site_id AS "siteId", started_at AS "startedAt", ended_at AS "endedAt", event_count AS "eventCount",
     page_count AS "pageCount", inflated_bytes AS "inflatedBytes"
   FROM sessions WHERE id = $1`,
);
const insert = statement<[string, string, number, number, number, string, string | null, string | null, string | null, string | null, string, number, number]>(
  'sessions_insert',
  `INSERT INTO sessions (id, site_id, started_at, ended_at, page_count, event_count, entry_url,
     user_agent, browser, browser_version, os, device, received_at, updated_at, inflated_bytes)
   VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13)`,
);
const extend = statement<[string, boolean, number, string, number, number, number, number, number]>(
  'sessions_record_batch',
  `UPDATE sessions SET
     started_at = CASE WHEN $2 THEN least(started_at, $3) ELSE started_at END,
     entry_url = CASE WHEN $2 THEN $4 ELSE entry_url END,
     ended_at = greatest(ended_at, $5),
     event_count = event_count + $6,
     page_count = page_count + $7,
     inflated_bytes = inflated_bytes + $8,
     updated_at = $9
   WHERE id = $1`,
);
const byId = statement<[string], SessionRow>('sessions_by_id', `SELECT ${SUMMARY_COLUMNS} FROM sessions WHERE id = $1`);
const setWatched = statement<[string, number | null]>('sessions_set_watched', 'UPDATE sessions SET watched_at = $2 WHERE id = $1');
const setAnalysis = statement<[string, number, number, number, number, number, number, string | null]>(
  'sessions_set_analysis',
  `UPDATE sessions SET rage_clicks = $2, dead_clicks = $3, form_abandonments = $4, error_loops = $5,
     frustration_score = $6, error_count = $7, user_id = $8
   WHERE id = $1`,
);

/**
 * One named statement per query shape, as the SQLite repository keeps one prepared statement per
 * shape. Module-wide: a connection knows a name by the text it was first prepared with, whichever
 * repository instance ran it.
 */
const listNames = new Map<string, string>();

export function createPgSessionsRepo(db: Queryable): Async<SessionsRepo> {
  return {
    findForBatch: (id) => forBatch.get(db, id),
    async insert(n) {
      await insert.run(db, n.id, n.siteId, n.startedAt, n.endedAt, n.eventCount, n.entryUrl, n.userAgent, n.browser, n.browserVersion, n.os, n.device, n.receivedAt, n.inflatedBytes ?? 0);
    },
    async recordBatch(b) {
      await extend.run(db, b.id, b.earlier, b.startedAt, b.url, b.endedAt, b.eventCount, b.newPages, b.inflatedBytes ?? 0, b.updatedAt);
    },
    async setAnalysis(id, { friction, frustrationScore, errorCount, userId }) {
      await setAnalysis.run(db, id, friction.rage_click, friction.dead_click, friction.form_abandonment, friction.error_loop, frustrationScore, errorCount, userId);
    },
    async get(id) {
      const row = await byId.get(db, id);
      return row && toSummary(row);
    },
    async listBySite(siteId, query) {
      const { sql, params } = sessionListSql(SUMMARY_COLUMNS, siteId, query, POSTGRES_DIALECT);
      const { text, values } = toPositional(sql, params);
      let name = listNames.get(text);
      if (!name) listNames.set(text, (name = `sessions_list_${listNames.size}`));
      const { rows } = await db.query<SessionRow>({ name, text, values });
      return rows.map(toSummary);
    },
    setWatched: async (id, at) => ((await setWatched.run(db, id, at)).rowCount ?? 0) > 0,
  };
}
