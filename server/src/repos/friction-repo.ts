// The friction flags the detectors raised, per page load; replaced whole each time a page is judged again.
import type { Database } from 'better-sqlite3';
import { normalizePageUrl } from '../analysis/normalize-page-url';
import { FRICTION_TYPES, type FrictionFlag, type FrictionType } from '../api-types';

export type FrictionCounts = Record<FrictionType, number>;

export interface FrictionRepo {
  /** Replaces the page's flags; run inside the transaction that records the detection. */
  replaceForPage(siteId: string, sessionId: string, pageId: string, flags: readonly FrictionFlag[]): void;
  listBySession(sessionId: string): FrictionFlag[];
  countsBySession(sessionId: string): FrictionCounts;
  /** Counts per type between `from` and `to` (ms, client clock). */
  countsByType(siteId: string, from: number, to: number): Array<{ type: FrictionType; count: number; sessions: number }>;
  /** Counts per page path, with the split by type; most friction first. */
  countsByPage(siteId: string, from: number, to: number, limit: number): PageCount[];
  /** Counts per type, page path and selector; most frequent first. */
  countsByTarget(siteId: string, from: number, to: number, limit: number): TargetCount[];
  /** Counts per type in buckets of `bucketMs` from `start` (bucket 0 holds start to start + bucketMs), up to `to`. */
  countsByBucket(siteId: string, start: number, to: number, bucketMs: number): Array<{ bucket: number; type: FrictionType; count: number }>;
}

export interface PageCount {
  url: string;
  count: number;
  sessions: number;
  byType: Record<FrictionType, number>;
}

export interface TargetCount {
  type: FrictionType;
  url: string;
  selector: string | null;
  /** The target's text as the last flag gave it, for labelling. */
  text: string | null;
  count: number;
  sessions: number;
}

interface FrictionRow {
  type: FrictionType;
  ts: number;
  page_id: string;
  url: string;
  selector: string | null;
  reason: string;
  details: string;
}

export const zeroCounts = (): FrictionCounts => Object.fromEntries(FRICTION_TYPES.map((type) => [type, 0])) as FrictionCounts;

export function createFrictionRepo(db: Database): FrictionRepo {
  const removePage = db.prepare<[string, string]>('DELETE FROM friction WHERE session_id = ? AND page_id = ?');
  const insert = db.prepare<[Record<string, unknown>]>(
    `INSERT INTO friction (site_id, session_id, page_id, type, ts, url, path, selector, reason, details)
     VALUES (@siteId, @sessionId, @pageId, @type, @ts, @url, @path, @selector, @reason, @details)`,
  );
  const bySession = db.prepare<[string], FrictionRow>(
    'SELECT type, ts, page_id, url, selector, reason, details FROM friction WHERE session_id = ? ORDER BY ts, id',
  );
  const counts = db.prepare<[string], { type: FrictionType; n: number }>(
    'SELECT type, count(*) AS n FROM friction WHERE session_id = ? GROUP BY type',
  );

  const byType = db.prepare<[string, number, number], { type: FrictionType; count: number; sessions: number }>(
    `SELECT type, count(*) AS count, count(DISTINCT session_id) AS sessions
     FROM friction WHERE site_id = ? AND ts >= ? AND ts < ? GROUP BY type`,
  );
  const byPage = db.prepare<[string, number, number, number], { url: string; count: number; sessions: number; types: string }>(
    `SELECT path AS url, count(*) AS count, count(DISTINCT session_id) AS sessions, group_concat(type) AS types
     FROM friction WHERE site_id = ? AND ts >= ? AND ts < ? GROUP BY path ORDER BY count DESC, path LIMIT ?`,
  );
  const byTarget = db.prepare<[string, number, number, number], TargetCount>(
    `SELECT type, path AS url, selector, max(coalesce(json_extract(details, '$.targetText'), json_extract(details, '$.dropOffLabel'))) AS text,
       count(*) AS count, count(DISTINCT session_id) AS sessions
     FROM friction WHERE site_id = ? AND ts >= ? AND ts < ?
     GROUP BY type, path, selector ORDER BY count DESC, path LIMIT ?`,
  );

  // The bucket index (the cast floors: a bound number may arrive as REAL). The friction_site index covers the query.
  const byBucket = db.prepare<[number, number, string, number, number], { bucket: number; type: FrictionType; count: number }>(
    `SELECT CAST((ts - ?) / ? AS INTEGER) AS bucket, type, count(*) AS count
     FROM friction WHERE site_id = ? AND ts >= ? AND ts < ? GROUP BY bucket, type`,
  );

  return {
    countsByType: (siteId, from, to) => byType.all(siteId, from, to),
    countsByBucket: (siteId, start, to, bucketMs) => byBucket.all(start, bucketMs, siteId, start, to),
    countsByPage: (siteId, from, to, limit) =>
      byPage.all(siteId, from, to, limit).map(({ url, count, sessions, types }) => {
        const split = zeroCounts();
        for (const type of types.split(',') as FrictionType[]) split[type]++;
        return { url, count, sessions, byType: split };
      }),
    countsByTarget: (siteId, from, to, limit) => byTarget.all(siteId, from, to, limit),
    replaceForPage(siteId, sessionId, pageId, flags) {
      removePage.run(sessionId, pageId);
      for (const flag of flags) {
        insert.run({ siteId, sessionId, pageId, type: flag.type, ts: Math.floor(flag.ts), url: flag.url, path: normalizePageUrl(flag.url), selector: flag.selector, reason: flag.reason, details: JSON.stringify(flag.details) });
      }
    },
    listBySession: (sessionId) =>
      bySession.all(sessionId).map(
        (row) =>
          ({ type: row.type, ts: row.ts, pageId: row.page_id, url: row.url, selector: row.selector, reason: row.reason, details: JSON.parse(row.details) }) as FrictionFlag,
      ),
    countsBySession(sessionId) {
      const result = zeroCounts();
      for (const { type, n } of counts.all(sessionId)) result[type] = n;
      return result;
    },
  };
}
