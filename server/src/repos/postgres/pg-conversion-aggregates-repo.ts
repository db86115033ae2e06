// The counting behind impact and funnel reports on PostgreSQL, over a range's sessions: only counts per group come back, never a row per session, visit or flag.
import type { FrictionType } from '../../api-types';
import type { ConversionAggregatesRepo, FunnelStepCount, OpportunityCount, PageReach, SegmentCount } from '../conversion-aggregates-repo';
import type { RangeQuery } from '../conversion-queries-repo';
import type { Async } from '../maybe-async';
import { statement, type Queryable, type Statement } from './pg-statement';
import { OPPORTUNITY_RANKING, opportunityColumns } from '../opportunity-sql';

/** $1 the site, $2 and $3 the range's bounds: every statement below starts with them. */
const IN_RANGE = 's.site_id = $1 AND s.started_at >= $2 AND s.started_at < $3';
/** details.KEY when it is a non-empty string, else NULL (as the ranking reads a flag's details). */
const text = (key: string) => `CASE WHEN jsonb_typeof(f.details -> '${key}') = 'string' AND f.details ->> '${key}' <> '' THEN f.details ->> '${key}' END`;
const converted = (goal: string) => `EXISTS (SELECT 1 FROM goal_completions c WHERE c.site_id = s.site_id AND c.goal_id = ${goal} AND c.session_id = s.id)`;

const sessionCount = statement<[string, number, number], { n: number }>('aggregates_session_count', `SELECT count(*) AS n FROM sessions s WHERE ${IN_RANGE}`);
// Each URL once, one index seek per URL (a loose index scan over (site_id, url, started_at)): the
// site's URLs are far fewer than its visits.
const urls = statement<[string], { url: string }>(
  'aggregates_urls',
  `WITH RECURSIVE next (url) AS (
     SELECT min(url) FROM conversion_reach WHERE site_id = $1
     UNION ALL
     SELECT (SELECT min(r.url) FROM conversion_reach r WHERE r.site_id = $1 AND r.url > next.url) FROM next WHERE next.url IS NOT NULL
   )
   SELECT url FROM next WHERE url IS NOT NULL`,
);
// utm_source is read from the entry URL only for sessions without a source row, and only a URL
// with a query string can have one: the others are grouped under ''.
const segments = statement<[string, number, number, string], SegmentCount>(
  'aggregates_segments',
  `SELECT s.device, s.browser, coalesce(src.referrer_host, '') AS "referrerHost", src.utm_source AS "utmSource",
     src.session_id IS NOT NULL AS "hasSource",
     CASE WHEN src.session_id IS NULL AND strpos(s.entry_url, '?') > 0 THEN s.entry_url ELSE '' END AS "entryUrl",
     count(*) AS sessions, sum(CASE WHEN ${converted('$4')} THEN 1 ELSE 0 END) AS conversions
   FROM sessions s LEFT JOIN session_sources src ON src.site_id = s.site_id AND src.session_id = s.id
   WHERE ${IN_RANGE}
   GROUP BY 1, 2, 3, 4, 5, 6`,
);
// An opportunity is (type, page, target, field) as opportunityOf reads a flag; its label is the
// first non-empty one in flag order (ts, id), as the ranking keeps it. $5/$6: each path's page index.
const opportunities = statement<[string, number, number, string, string[], number[]], OpportunityCount>(
  'aggregates_opportunities',
  `WITH page_of AS MATERIALIZED (SELECT * FROM unnest($5::text[], $6::integer[]) AS p (path, page)),
   flags AS MATERIALIZED (
     SELECT f.session_id, f.id, f.ts, f.type, p.page, ${converted('$4')} AS converted,
       ${opportunityColumns(text)}
     FROM sessions s JOIN friction f ON f.site_id = s.site_id AND f.session_id = s.id JOIN page_of p ON p.path = f.path
     WHERE ${IN_RANGE}
   ),
   ${OPPORTUNITY_RANKING}`,
);
// A flag is raised on a page the session was on, even where its visit was not kept: conversion_reach
// holds both, once per session and URL. A page of one URL is counted from the index alone; one of
// several URLs (a URL pattern) counts each session once. $4/$5: (page, url) pairs, pages in order.
const reachCounts = statement<[string, number, number, number[], string[]], { page: number; sessions: number }>(
  'aggregates_reach_counts',
  `WITH page_urls AS (SELECT page, array_agg(url) AS urls, min(n) AS n FROM unnest($4::integer[], $5::text[]) WITH ORDINALITY AS u (page, url, n) GROUP BY page)
   SELECT page, CASE WHEN cardinality(urls) = 1
     THEN (SELECT count(*) FROM conversion_reach r WHERE r.site_id = $1 AND r.url = urls[1] AND r.started_at >= $2 AND r.started_at < $3)
     ELSE (SELECT count(DISTINCT r.session_id) FROM conversion_reach r WHERE r.site_id = $1 AND r.url = ANY (urls) AND r.started_at >= $2 AND r.started_at < $3)
     END AS sessions
   FROM page_urls ORDER BY n`,
);
// The converting sessions are the fewer: their URLs are looked up from them.
const reachConversions = statement<[string, number, number, string, number[], string[]], { page: number; conversions: number }>(
  'aggregates_reach_conversions',
  `WITH page_urls AS MATERIALIZED (SELECT * FROM unnest($5::integer[], $6::text[]) AS u (page, url)),
   converted AS MATERIALIZED (SELECT DISTINCT session_id FROM goal_completions WHERE site_id = $1 AND goal_id = $4)
   SELECT p.page, count(DISTINCT r.session_id) AS conversions
   FROM converted c JOIN conversion_reach r ON r.site_id = $1 AND r.session_id = c.session_id JOIN page_urls p ON p.url = r.url
   WHERE r.started_at >= $2 AND r.started_at < $3
   GROUP BY p.page`,
);

interface FunnelRow {
  k: number;
  /** NULL on the step's own row (reached, continued, median); a friction type on its friction rows. */
  type: FrictionType | null;
  reached: number;
  continued: number;
  median: number | null;
  dropped: number;
}

/** One statement per funnel shape (its step kinds, at most MAX_FUNNEL_STEPS: the name stays far below PostgreSQL's 63 bytes), prepared on first use. */
const funnels = new Map<string, Statement<[string, number, number, string[], number[]], FunnelRow>>();
function funnelStatement(kinds: string) {
  let prepared = funnels.get(kinds);
  if (!prepared) funnels.set(kinds, (prepared = statement(`aggregates_funnel_${kinds}`, funnelSql(kinds))));
  return prepared;
}

export function createPgConversionAggregatesRepo(db: Queryable): Async<ConversionAggregatesRepo> {
  const range = ({ siteId, from, to }: RangeQuery) => [siteId, from, to] as const;
  return {
    sessionCount: async (query) => (await sessionCount.get(db, ...range(query)))?.n ?? 0,
    urls: async (query) => (await urls.all(db, query.siteId)).map((row) => row.url),
    segments: (query, goalId) => segments.all(db, ...range(query), goalId),
    async opportunities(query, goalId, pageOf) {
      if (pageOf.size === 0) return [];
      return opportunities.all(db, ...range(query), goalId, [...pageOf.keys()], [...pageOf.values()]);
    },
    async reach(query, goalId, pageOf): Promise<PageReach[]> {
      if (pageOf.size === 0) return [];
      const pages = [...pageOf.values()];
      const urlList = [...pageOf.keys()];
      const conversions = new Map((await reachConversions.all(db, ...range(query), goalId, pages, urlList)).map((row) => [row.page, row.conversions]));
      return (await reachCounts.all(db, ...range(query), pages, urlList)).map(({ page, sessions }) => ({ page, sessions, conversions: conversions.get(page) ?? 0 }));
    },
    async funnel(query, steps): Promise<FunnelStepCount[]> {
      const hits = steps.flatMap((step, index) => ('event' in step ? [[step.event, index] as const] : step.urls.map((url) => [url, index] as const)));
      const kinds = steps.map((step) => ('event' in step ? 'e' : 'p')).join('');
      const rows = await funnelStatement(kinds).all(db, ...range(query), hits.map(([key]) => key), hits.map(([, step]) => step));
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

/**
 * A funnel as one statement, as the SQLite repository builds it (see funnelSql there): step k is
 * reached at the first hit of step k at or after step k-1 was reached, looked up in the session's
 * own visits or track calls; a flag belongs to the last step reached when it was raised. $4/$5:
 * each hit key (URL or event name) with its step.
 */
function funnelSql(kinds: string): string {
  const n = kinds.length;
  const steps = Array.from({ length: n }, (_, k) => k);
  const firstHit = (k: number, after: string | null) =>
    kinds[k] === 'e'
      ? `(SELECT min(t.ts) FROM tracked_events t WHERE t.site_id = $1 AND t.session_id = p.session_id AND t.name IN (SELECT key FROM hit_keys WHERE step = ${k})${after ? ` AND t.ts >= ${after}` : ''})`
      : `(SELECT min(v.ts) FROM page_visits v WHERE v.site_id = $1 AND v.session_id = p.session_id AND v.url IN (SELECT key FROM hit_keys WHERE step = ${k})${after ? ` AND v.ts >= ${after}` : ''})`;
  const paths = steps
    .slice(1)
    .map((k) => `p${k} AS MATERIALIZED (SELECT p.*, CASE WHEN p.t${k - 1} IS NOT NULL THEN ${firstHit(k, `p.t${k - 1}`)} END AS t${k} FROM p${k - 1} p)`);
  const reachedStep = `CASE ${steps.slice().reverse().map((k) => `WHEN t${k} IS NOT NULL THEN ${k}`).join(' ')} END`;
  const flagStep = `CASE ${steps.slice().reverse().map((k) => `WHEN t${k} IS NOT NULL AND f.ts >= t${k} THEN ${k}`).join(' ')} END`;
  const median = (k: number) =>
    `(SELECT avg(d) FROM (SELECT d, row_number() OVER (ORDER BY d) AS nth, count(*) OVER () AS total
       FROM (SELECT t${k + 1} - t${k} AS d FROM paths WHERE t${k + 1} IS NOT NULL) gaps) ranked WHERE nth IN ((total + 1) / 2, (total + 2) / 2))`;
  const stepRows = steps
    .map(
      (k) =>
        `SELECT ${k} AS k, NULL::text AS type, count(t${k}) AS reached, ${k < n - 1 ? `count(t${k + 1})` : '0'} AS continued,
           ${k < n - 1 ? median(k) : 'NULL::numeric'} AS median, 0 AS dropped
         FROM paths`,
    )
    .join('\nUNION ALL\n');
  return `WITH hit_keys AS MATERIALIZED (SELECT * FROM unnest($4::text[], $5::integer[]) AS h (key, step)),
  p0 AS MATERIALIZED (SELECT * FROM (SELECT p.session_id, ${firstHit(0, null)} AS t0 FROM (SELECT s.id AS session_id FROM sessions s WHERE ${IN_RANGE}) p) hits WHERE t0 IS NOT NULL),
  ${paths.length ? `${paths.join(',\n  ')},` : ''}
  paths AS MATERIALIZED (SELECT *, ${reachedStep} AS reached_step FROM p${n - 1}),
  flag_steps AS (
    SELECT DISTINCT p.session_id, f.type, ${flagStep} AS k, p.reached_step
    FROM paths p JOIN friction f ON f.site_id = $1 AND f.session_id = p.session_id
  )
  ${stepRows}
  UNION ALL
  SELECT k, type, 0 AS reached, count(*) FILTER (WHERE reached_step > k) AS continued, NULL AS median, count(*) FILTER (WHERE reached_step = k) AS dropped
  FROM flag_steps WHERE k IS NOT NULL AND k < ${n - 1} GROUP BY k, type`;
}
