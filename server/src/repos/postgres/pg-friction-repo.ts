// Friction flags on PostgreSQL: replaced per page load by the analysis pass, counted for the overview.
import { normalizePageUrl } from '../../analysis/normalize-page-url';
import type { FrictionFlag, FrictionType } from '../../api-types';
import { zeroCounts, type FrictionRepo, type TargetCount } from '../friction-repo';
import type { Async } from '../maybe-async';
import { statement, type Queryable } from './pg-statement';

const SITE = '(SELECT site_id FROM sessions WHERE id = $1)';

const removePage = statement<[string, string]>('friction_remove_page', `DELETE FROM friction WHERE site_id = ${SITE} AND session_id = $1 AND page_id = $2`);
const insertMany = statement<[string, string, string, string[], number[], string[], string[], Array<string | null>, string[], string[]]>(
  'friction_insert',
  `INSERT INTO friction (site_id, session_id, page_id, type, ts, url, path, selector, reason, details)
   SELECT $1, $2, $3, f.type, f.ts, f.url, f.path, f.selector, f.reason, f.details::jsonb
   FROM unnest($4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[]) AS f (type, ts, url, path, selector, reason, details)`,
);
const bySession = statement<[string], { type: FrictionType; ts: number; page_id: string; url: string; selector: string | null; reason: string; details: unknown }>(
  'friction_by_session',
  `SELECT type, ts, page_id, url, selector, reason, details FROM friction WHERE site_id = ${SITE} AND session_id = $1 ORDER BY ts, id`,
);
const counts = statement<[string], { type: FrictionType; n: number }>(
  'friction_counts_by_session',
  `SELECT type, count(*) AS n FROM friction WHERE site_id = ${SITE} AND session_id = $1 GROUP BY type`,
);
const byType = statement<[string, number, number], { type: FrictionType; count: number; sessions: number }>(
  'friction_by_type',
  'SELECT type, count(*) AS count, count(DISTINCT session_id) AS sessions FROM friction WHERE site_id = $1 AND ts >= $2 AND ts < $3 GROUP BY type',
);
const byPage = statement<[string, number, number, number], { url: string; count: number; sessions: number; types: FrictionType[] }>(
  'friction_by_page',
  `SELECT path AS url, count(*) AS count, count(DISTINCT session_id) AS sessions, array_agg(type) AS types
   FROM friction WHERE site_id = $1 AND ts >= $2 AND ts < $3 GROUP BY path ORDER BY count DESC, path LIMIT $4`,
);
const byTarget = statement<[string, number, number, number], TargetCount>(
  'friction_by_target',
  `SELECT type, path AS url, selector, max(coalesce(details->>'targetText', details->>'dropOffLabel')) AS text,
     count(*) AS count, count(DISTINCT session_id) AS sessions
   FROM friction WHERE site_id = $1 AND ts >= $2 AND ts < $3
   GROUP BY type, path, selector ORDER BY count DESC, path LIMIT $4`,
);
// Integer division floors here: ts >= start, so the difference is never negative.
const byBucket = statement<[string, number, number, number], { bucket: number; type: FrictionType; count: number }>(
  'friction_by_bucket',
  `SELECT ((ts - $2) / $4)::integer AS bucket, type, count(*) AS count
   FROM friction WHERE site_id = $1 AND ts >= $2 AND ts < $3 GROUP BY 1, type`,
);

export function createPgFrictionRepo(db: Queryable): Async<FrictionRepo> {
  return {
    async replaceForPage(siteId, sessionId, pageId, flags) {
      await removePage.run(db, sessionId, pageId);
      if (flags.length === 0) return;
      await insertMany.run(
        db, siteId, sessionId, pageId,
        flags.map((flag) => flag.type), flags.map((flag) => Math.floor(flag.ts)), flags.map((flag) => flag.url),
        flags.map((flag) => normalizePageUrl(flag.url)), flags.map((flag) => flag.selector), flags.map((flag) => flag.reason),
        flags.map((flag) => JSON.stringify(flag.details)),
      );
    },
    listBySession: async (sessionId) =>
      (await bySession.all(db, sessionId)).map(
        (row) => ({ type: row.type, ts: row.ts, pageId: row.page_id, url: row.url, selector: row.selector, reason: row.reason, details: row.details }) as FrictionFlag,
      ),
    async countsBySession(sessionId) {
      const result = zeroCounts();
      for (const { type, n } of await counts.all(db, sessionId)) result[type] = n;
      return result;
    },
    countsByType: (siteId, from, to) => byType.all(db, siteId, from, to),
    async countsByPage(siteId, from, to, limit) {
      return (await byPage.all(db, siteId, from, to, limit)).map(({ url, count, sessions, types }) => {
        const split = zeroCounts();
        for (const type of types) split[type]++;
        return { url, count, sessions, byType: split };
      });
    },
    countsByTarget: (siteId, from, to, limit) => byTarget.all(db, siteId, from, to, limit),
    countsByBucket: (siteId, start, to, bucketMs) => byBucket.all(db, siteId, start, to, bucketMs),
  };
}
