// The counting behind impact and funnel reports, done by SQLite over a range's sessions: only counts per group come back, never a row per session, visit or flag.
import type { Database, Statement } from 'better-sqlite3';
import type { FrictionType } from '../api-types';
import type { RangeQuery } from './conversion-queries-repo';
import { OPPORTUNITY_RANKING, opportunityColumns } from './opportunity-sql';

/** Sessions of one combination of the segment dimensions, and how many of them converted. */
export interface SegmentCount {
  device: string;
  browser: string | null;
  referrerHost: string;
  utmSource: string | null;
  hasSource: boolean;
  /** The entry URL where utm_source has to be read from it (no source row, a query string); '' otherwise. */
  entryUrl: string;
  sessions: number;
  conversions: number;
}

/** Affected sessions of one opportunity; page is an index into the page keys passed in. */
export interface OpportunityCount {
  type: FrictionType;
  page: number;
  target: string | null;
  field: string | null;
  /** The first label given by the opportunity's flags in time order. */
  label: string | null;
  sessions: number;
  conversions: number;
}

export interface PageReach {
  page: number;
  sessions: number;
  conversions: number;
}

/** One step's figures over the sessions that reached the funnel's first step. */
export interface FunnelStepCount {
  reached: number;
  continued: number;
  medianMsToNext: number | null;
  /** Per friction type: sessions that hit it on this step and dropped off here, and those that went on. */
  friction: Array<{ type: FrictionType; dropped: number; continued: number }>;
}

/** A step's hits: page views of these URLs, or track calls of this name. */
export type FunnelStepHits = { urls: readonly string[] } | { event: string };

export interface ConversionAggregatesRepo {
  /** The site's sessions started in the range. */
  sessionCount(query: RangeQuery): number;
  /** The distinct URLs the site's sessions viewed or were flagged on (those of the range among them). */
  urls(query: RangeQuery): string[];
  segments(query: RangeQuery, goalId: string): SegmentCount[];
  /** `pageOf`: each flag path's page index; flags whose path is not in it are not counted. */
  opportunities(query: RangeQuery, goalId: string, pageOf: ReadonlyMap<string, number>): OpportunityCount[];
  /** Sessions that viewed a URL or were flagged on a path of each page index in `pageOf`. */
  reach(query: RangeQuery, goalId: string, pageOf: ReadonlyMap<string, number>): PageReach[];
  funnel(query: RangeQuery, steps: readonly FunnelStepHits[]): FunnelStepCount[];
}

/** details.KEY when it is a non-empty string, else NULL (as the ranking reads a flag's details). */
const text = (key: string) => `CASE WHEN json_type(f.details, '$.${key}') = 'text' AND json_extract(f.details, '$.${key}') <> '' THEN json_extract(f.details, '$.${key}') END`;
const converted = (sessionColumn: string) => `EXISTS (SELECT 1 FROM goal_completions c WHERE c.goal_id = @goal AND c.session_id = ${sessionColumn})`;
const inRange = 's.site_id = @site AND s.started_at >= @from AND s.started_at < @to';

export function createConversionAggregatesRepo(db: Database): ConversionAggregatesRepo {
  const sessionCount = db.prepare<[{ site: string; from: number; to: number }], number>(`SELECT count(*) FROM sessions s WHERE ${inRange}`).pluck();
  // Each URL once, one index seek per URL (not one row per session): the site's URLs are far
  // fewer than its visits. URLs of sessions outside the range only add unused entries to the maps.
  const urls = db
    .prepare<[{ site: string }], string>(
      `WITH RECURSIVE next (url) AS (
         SELECT min(url) FROM conversion_reach WHERE site_id = @site
         UNION ALL
         SELECT (SELECT min(r.url) FROM conversion_reach r WHERE r.site_id = @site AND r.url > next.url) FROM next WHERE next.url IS NOT NULL
       )
       SELECT url FROM next WHERE url IS NOT NULL`,
    )
    .pluck();
  // utm_source is read from the entry URL only for sessions without a source row, and only a URL
  // with a query string can have one: the others are grouped under ''.
  const segments = db.prepare<[{ site: string; from: number; to: number; goal: string }], Omit<SegmentCount, 'hasSource'> & { hasSource: number }>(
    `SELECT s.device, s.browser, coalesce(src.referrer_host, '') AS referrerHost, src.utm_source AS utmSource, src.session_id IS NOT NULL AS hasSource,
       CASE WHEN src.session_id IS NULL AND instr(s.entry_url, '?') > 0 THEN s.entry_url ELSE '' END AS entryUrl,
       count(*) AS sessions, sum(${converted('s.id')}) AS conversions
     FROM sessions s LEFT JOIN session_sources src ON src.session_id = s.id
     WHERE ${inRange}
     GROUP BY s.device, s.browser, referrerHost, utmSource, hasSource, entryUrl`,
  );
  // An opportunity is (type, page, target, field) as opportunityOf reads a flag; its label is the
  // first non-empty one in flag order (ts, id), as the ranking keeps it.
  const opportunities = db.prepare<[{ site: string; from: number; to: number; goal: string; pages: string }], OpportunityCount>(
    `WITH pages AS MATERIALIZED (SELECT key AS path, value AS page FROM json_each(@pages)),
     flags AS MATERIALIZED (
       SELECT f.session_id, f.id, f.ts, f.type, p.page, ${converted('s.id')} AS converted,
         ${opportunityColumns(text)}
       FROM sessions s JOIN friction f ON f.session_id = s.id JOIN pages p ON p.path = f.path
       WHERE ${inRange}
     ),
     ${OPPORTUNITY_RANKING}`,
  );
  // A flag is raised on a page the session was on, even where its visit was not kept: conversion_reach
  // holds both, once per session and URL. A page of one URL is counted from the index alone; one of
  // several URLs (a URL pattern) counts each session once.
  const reachCounts = db.prepare<[{ site: string; from: number; to: number; pages: string }], { page: number; sessions: number }>(
    `WITH pages AS MATERIALIZED (SELECT value ->> 0 AS page, value -> 1 AS urls FROM json_each(@pages))
     SELECT page, CASE WHEN json_array_length(urls) = 1
       THEN (SELECT count(*) FROM conversion_reach r WHERE r.site_id = @site AND r.url = urls ->> 0 AND r.started_at >= @from AND r.started_at < @to)
       ELSE (SELECT count(DISTINCT r.session_id) FROM json_each(urls) u CROSS JOIN conversion_reach r
             WHERE r.site_id = @site AND r.url = u.value AND r.started_at >= @from AND r.started_at < @to)
       END AS sessions
     FROM pages`,
  );
  // The converting sessions are the fewer: their URLs are looked up from them.
  const reachConversions = db.prepare<[{ site: string; from: number; to: number; goal: string; pages: string }], { page: number; conversions: number }>(
    `WITH pages AS MATERIALIZED (SELECT u.value AS url, p.value ->> 0 AS page FROM json_each(@pages) p, json_each(p.value -> 1) u),
     converted AS MATERIALIZED (SELECT DISTINCT session_id FROM goal_completions WHERE goal_id = @goal)
     SELECT p.page, count(DISTINCT r.session_id) AS conversions
     FROM converted c JOIN conversion_reach r ON r.session_id = c.session_id JOIN pages p ON p.url = r.url
     WHERE r.site_id = @site AND r.started_at >= @from AND r.started_at < @to
     GROUP BY p.page`,
  );
  const funnels = new Map<string, Statement<[{ site: string; from: number; to: number; hits: string }], FunnelRow>>();
  const funnelStatement = (kinds: string) => {
    let statement = funnels.get(kinds);
    if (!statement) funnels.set(kinds, (statement = db.prepare(funnelSql(kinds))));
    return statement;
  };
  const range = ({ siteId, from, to }: RangeQuery) => ({ site: siteId, from, to });
  const pagesJson = (pageOf: ReadonlyMap<string, number>) => JSON.stringify(Object.fromEntries(pageOf));

  return {
    sessionCount: (query) => sessionCount.get(range(query)) ?? 0,
    urls: (query) => urls.all({ site: query.siteId }),
    segments: (query, goalId) => segments.all({ ...range(query), goal: goalId }).map((row) => ({ ...row, hasSource: row.hasSource === 1 })),
    opportunities: (query, goalId, pageOf) => (pageOf.size ? opportunities.all({ ...range(query), goal: goalId, pages: pagesJson(pageOf) }) : []),
    reach(query, goalId, pageOf) {
      const urlsOf = new Map<number, string[]>();
      for (const [url, page] of pageOf) {
        const list = urlsOf.get(page);
        if (list) list.push(url);
        else urlsOf.set(page, [url]);
      }
      if (urlsOf.size === 0) return [];
      const pages = JSON.stringify([...urlsOf]);
      const conversions = new Map(reachConversions.all({ ...range(query), goal: goalId, pages }).map((row) => [row.page, row.conversions]));
      return reachCounts.all({ ...range(query), pages }).map(({ page, sessions }) => ({ page, sessions, conversions: conversions.get(page) ?? 0 }));
    },
    funnel(query, steps) {
      const hits = steps.flatMap((step, index) => ('event' in step ? [[step.event, index]] : step.urls.map((url) => [url, index])));
      const kinds = steps.map((step) => ('event' in step ? 'e' : 'p')).join('');
      const rows = funnelStatement(kinds).all({ ...range(query), hits: JSON.stringify(hits) });
      return steps.map((_, k) => {
        const row = rows.find((candidate) => candidate.k === k && candidate.type === null);
        return {
          reached: row?.reached ?? 0,
          continued: row?.continued ?? 0,
          medianMsToNext: row?.median ?? null,
          friction: rows.filter((candidate) => candidate.k === k && candidate.type !== null).map(({ type, dropped, continued }) => ({ type: type!, dropped, continued })),
        };
      });
    },
  };
}

interface FunnelRow {
  k: number;
  /** NULL on the step's own row (reached, continued, median); a friction type on its friction rows. */
  type: FrictionType | null;
  reached: number;
  continued: number;
  median: number | null;
  dropped: number;
}

/**
 * A funnel as one statement, built from its step kinds alone ('p' page, 'e' event: "ppe") and
 * prepared once per kinds. Step k is reached at the first hit of step k at or after step k-1 was
 * reached: t0 is the first hit of step 0, and each t(k) the least hit of step k not before t(k-1),
 * looked up in the session's own visits or track calls. A flag belongs to the last step the
 * session had reached when it was raised (from reaching it until reaching the next); its session
 * dropped off there when that is the last step it reached, and went on otherwise.
 */
function funnelSql(kinds: string): string {
  const n = kinds.length;
  const steps = Array.from({ length: n }, (_, k) => k);
  // The first hit of step k at or after `after`: one seek into the session's visits or track calls.
  const firstHit = (k: number, after: string | null) =>
    kinds[k] === 'e'
      ? `(SELECT min(t.ts) FROM tracked_events t WHERE t.session_id = p.session_id AND t.name IN (SELECT key FROM hit_keys WHERE step = ${k})${after ? ` AND t.ts >= ${after}` : ''})`
      : `(SELECT min(v.ts) FROM page_visits v WHERE v.session_id = p.session_id AND v.url IN (SELECT key FROM hit_keys WHERE step = ${k})${after ? ` AND v.ts >= ${after}` : ''})`;
  const paths = steps
    .slice(1)
    .map((k) => `p${k} AS MATERIALIZED (SELECT p.*, CASE WHEN p.t${k - 1} IS NOT NULL THEN ${firstHit(k, `p.t${k - 1}`)} END AS t${k} FROM p${k - 1} p)`);
  const last = `p${n - 1}`;
  // The last step a session reached, and the step a flag at f.ts fell on.
  const reachedStep = `CASE ${steps.slice().reverse().map((k) => `WHEN t${k} IS NOT NULL THEN ${k}`).join(' ')} END`;
  const flagStep = `CASE ${steps.slice().reverse().map((k) => `WHEN t${k} IS NOT NULL AND f.ts >= t${k} THEN ${k}`).join(' ')} END`;
  const stepRows = steps
    .map(
      (k) =>
        `SELECT ${k} AS k, NULL AS type, count(t${k}) AS reached, ${k < n - 1 ? `count(t${k + 1})` : '0'} AS continued,
           ${k < n - 1 ? `(SELECT avg(d) FROM (SELECT d, row_number() OVER (ORDER BY d) AS nth, count(*) OVER () AS total FROM (SELECT t${k + 1} - t${k} AS d FROM paths WHERE t${k + 1} IS NOT NULL)) WHERE nth IN ((total + 1) / 2, (total + 2) / 2))` : 'NULL'} AS median,
           0 AS dropped
         FROM paths`,
    )
    .join('\nUNION ALL\n');
  return `WITH hit_keys AS MATERIALIZED (SELECT value ->> 0 AS key, value ->> 1 AS step FROM json_each(@hits)),
  p0 AS MATERIALIZED (SELECT * FROM (SELECT p.session_id, ${firstHit(0, null)} AS t0 FROM (SELECT s.id AS session_id FROM sessions s WHERE ${inRange}) p) WHERE t0 IS NOT NULL),
  ${paths.length ? `${paths.join(',\n  ')},` : ''}
  paths AS MATERIALIZED (SELECT *, ${reachedStep} AS reached_step FROM ${last}),
  flag_steps AS (
    SELECT DISTINCT p.session_id, f.type, ${flagStep} AS k, p.reached_step
    FROM paths p JOIN friction f ON f.session_id = p.session_id
  )
  ${stepRows}
  UNION ALL
  SELECT k, type, 0 AS reached, count(*) FILTER (WHERE reached_step > k) AS continued, NULL AS median, count(*) FILTER (WHERE reached_step = k) AS dropped
  FROM flag_steps WHERE k IS NOT NULL AND k < ${n - 1} GROUP BY k, type`;
}
