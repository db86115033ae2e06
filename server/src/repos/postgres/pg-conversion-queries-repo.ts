// The rows an in-memory conversion report reads on PostgreSQL: a range's sessions, visits, tracked events and flags.
import type { FrictionType } from '../../api-types';
import type { ConversionQueriesRepo, ReportFriction, ReportSession, ReportTracked, ReportVisit } from '../conversion-queries-repo';
import type { Async } from '../maybe-async';
import { statement, type Queryable } from './pg-statement';

const SESSION_COLUMNS = `s.id, s.started_at AS "startedAt", s.ended_at AS "endedAt", s.device, s.browser, s.entry_url AS "entryUrl",
  coalesce(src.referrer_host, '') AS "referrerHost", src.utm_source AS "utmSource", src.session_id IS NOT NULL AS "hasSource",
  EXISTS (SELECT 1 FROM goal_completions c WHERE c.site_id = s.site_id AND c.goal_id = $GOAL AND c.session_id = s.id) AS converted`;
const IN_RANGE = 's.site_id = $1 AND s.started_at >= $2 AND s.started_at < $3';
const FLAG_COLUMNS = 'f.session_id AS "sessionId", f.type, f.ts, f.path, f.selector, f.details::text AS details';

const sessions = statement<[string, number, number, string | null], ReportSession>(
  'report_sessions',
  `SELECT ${SESSION_COLUMNS.replace('$GOAL', '$4')}
   FROM sessions s LEFT JOIN session_sources src ON src.site_id = s.site_id AND src.session_id = s.id WHERE ${IN_RANGE}`,
);
const visits = statement<[string, number, number], ReportVisit>(
  'report_visits',
  `SELECT v.session_id AS "sessionId", v.url, v.ts FROM sessions s JOIN page_visits v ON v.site_id = s.site_id AND v.session_id = s.id WHERE ${IN_RANGE}`,
);
const tracked = statement<[string, number, number], ReportTracked>(
  'report_tracked',
  `SELECT t.session_id AS "sessionId", t.name, t.ts FROM sessions s JOIN tracked_events t ON t.site_id = s.site_id AND t.session_id = s.id WHERE ${IN_RANGE}`,
);
const friction = statement<[string, number, number], ReportFriction>(
  'report_friction',
  `SELECT ${FLAG_COLUMNS} FROM sessions s JOIN friction f ON f.site_id = s.site_id AND f.session_id = s.id WHERE ${IN_RANGE} ORDER BY f.ts, f.id`,
);
const frictionOn = statement<[string, number, number, FrictionType, string[]], ReportFriction>(
  'report_friction_on',
  `SELECT ${FLAG_COLUMNS} FROM sessions s JOIN friction f ON f.site_id = s.site_id AND f.session_id = s.id
   WHERE ${IN_RANGE} AND f.type = $4 AND f.path = ANY ($5) ORDER BY f.ts, f.id`,
);
const sessionsById = statement<[string[], string | null], ReportSession>(
  'report_sessions_by_id',
  `SELECT ${SESSION_COLUMNS.replace('$GOAL', '$2')}
   FROM sessions s LEFT JOIN session_sources src ON src.site_id = s.site_id AND src.session_id = s.id WHERE s.id = ANY ($1)`,
);

export function createPgConversionQueriesRepo(db: Queryable): Async<ConversionQueriesRepo> {
  return {
    sessions: (query, goalId) => sessions.all(db, query.siteId, query.from, query.to, goalId),
    visits: (query) => visits.all(db, query.siteId, query.from, query.to),
    tracked: (query) => tracked.all(db, query.siteId, query.from, query.to),
    friction: (query) => friction.all(db, query.siteId, query.from, query.to),
    frictionOn: async (query, type, paths) => (paths.length ? frictionOn.all(db, query.siteId, query.from, query.to, type, [...paths]) : []),
    sessionsById: async (ids, goalId) => (ids.length ? sessionsById.all(db, [...ids], goalId) : []),
  };
}
