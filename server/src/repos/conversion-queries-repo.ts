// The reads behind impact and funnel reports: a site's sessions started in a range, with their conversions, visits, tracked events and friction.
import type { Database } from 'better-sqlite3';
import type { FrictionType } from '../api-types';

export interface RangeQuery {
  siteId: string;
  from: number;
  to: number;
}

export interface ReportSession {
  id: string;
  startedAt: number;
  endedAt: number;
  device: string;
  browser: string | null;
  entryUrl: string;
  /** '' when none was recorded (direct, or a session analysed before sources were kept: see hasSource). */
  referrerHost: string;
  utmSource: string | null;
  hasSource: boolean;
  converted: boolean;
}

export interface ReportVisit {
  sessionId: string;
  url: string;
  ts: number;
}

export interface ReportTracked {
  sessionId: string;
  name: string;
  ts: number;
}

export interface ReportFriction {
  sessionId: string;
  type: FrictionType;
  ts: number;
  /** The page's origin and path. */
  path: string;
  selector: string | null;
  /** JSON of the flag's details. */
  details: string;
}

export interface ConversionQueriesRepo {
  /** The site's sessions started in [from, to); converted when it completed the goal (none without a goal). */
  sessions(query: RangeQuery, goalId: string | null): ReportSession[];
  visits(query: RangeQuery): ReportVisit[];
  tracked(query: RangeQuery): ReportTracked[];
  friction(query: RangeQuery): ReportFriction[];
  /** The range's flags of one type on these page paths, in time order (an opportunity's, among others). */
  frictionOn(query: RangeQuery, type: FrictionType, paths: readonly string[]): ReportFriction[];
  /** These sessions, as sessions() gives them. */
  sessionsById(ids: readonly string[], goalId: string | null): ReportSession[];
}

interface SessionRow extends Omit<ReportSession, 'converted' | 'hasSource'> {
  converted: number;
  hasSource: number;
}

export function createConversionQueriesRepo(db: Database): ConversionQueriesRepo {
  const sessions = db.prepare<[{ site: string; from: number; to: number; goal: string | null }], SessionRow>(
    `SELECT s.id, s.started_at AS startedAt, s.ended_at AS endedAt, s.device, s.browser, s.entry_url AS entryUrl,
       coalesce(src.referrer_host, '') AS referrerHost, src.utm_source AS utmSource, src.session_id IS NOT NULL AS hasSource,
       EXISTS (SELECT 1 FROM goal_completions c WHERE c.goal_id = @goal AND c.session_id = s.id) AS converted
     FROM sessions s LEFT JOIN session_sources src ON src.session_id = s.id
     WHERE s.site_id = @site AND s.started_at >= @from AND s.started_at < @to`,
  );
  const visits = db.prepare<[{ site: string; from: number; to: number }], ReportVisit>(
    `SELECT v.session_id AS sessionId, v.url, v.ts FROM sessions s JOIN page_visits v ON v.session_id = s.id
     WHERE s.site_id = @site AND s.started_at >= @from AND s.started_at < @to`,
  );
  const tracked = db.prepare<[{ site: string; from: number; to: number }], ReportTracked>(
    `SELECT t.session_id AS sessionId, t.name, t.ts FROM sessions s JOIN tracked_events t ON t.session_id = s.id
     WHERE s.site_id = @site AND s.started_at >= @from AND s.started_at < @to`,
  );
  const friction = db.prepare<[{ site: string; from: number; to: number }], ReportFriction>(
    `SELECT f.session_id AS sessionId, f.type, f.ts, f.path, f.selector, f.details FROM sessions s JOIN friction f ON f.session_id = s.id
     WHERE s.site_id = @site AND s.started_at >= @from AND s.started_at < @to ORDER BY f.ts, f.id`,
  );
  const frictionOn = db.prepare<[{ site: string; from: number; to: number; type: FrictionType; paths: string }], ReportFriction>(
    `SELECT f.session_id AS sessionId, f.type, f.ts, f.path, f.selector, f.details FROM sessions s JOIN friction f ON f.session_id = s.id
     WHERE s.site_id = @site AND s.started_at >= @from AND s.started_at < @to AND f.type = @type AND f.path IN (SELECT value FROM json_each(@paths))
     ORDER BY f.ts, f.id`,
  );
  const sessionsById = db.prepare<[{ ids: string; goal: string | null }], SessionRow>(
    `SELECT s.id, s.started_at AS startedAt, s.ended_at AS endedAt, s.device, s.browser, s.entry_url AS entryUrl,
       coalesce(src.referrer_host, '') AS referrerHost, src.utm_source AS utmSource, src.session_id IS NOT NULL AS hasSource,
       EXISTS (SELECT 1 FROM goal_completions c WHERE c.goal_id = @goal AND c.session_id = s.id) AS converted
     FROM json_each(@ids) i CROSS JOIN sessions s ON s.id = i.value LEFT JOIN session_sources src ON src.session_id = s.id`,
  );
  const range = ({ siteId, from, to }: RangeQuery) => ({ site: siteId, from, to });
  const toSession = (row: SessionRow): ReportSession => ({ ...row, converted: row.converted === 1, hasSource: row.hasSource === 1 });

  return {
    sessions: (query, goalId) => sessions.all({ ...range(query), goal: goalId }).map(toSession),
    visits: (query) => visits.all(range(query)),
    tracked: (query) => tracked.all(range(query)),
    friction: (query) => friction.all(range(query)),
    frictionOn: (query, type, paths) => (paths.length ? frictionOn.all({ ...range(query), type, paths: JSON.stringify(paths) }) : []),
    sessionsById: (ids, goalId) => (ids.length ? sessionsById.all({ ids: JSON.stringify(ids), goal: goalId }).map(toSession) : []),
  };
}
