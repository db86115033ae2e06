// What impact and funnels read per page load on PostgreSQL: visited URLs, tracked events, each session's traffic source.
import type { ConversionFactsRepo } from '../conversion-facts-repo';
import type { Async } from '../maybe-async';
import { statement, type Queryable } from './pg-statement';

const SITE = '(SELECT site_id FROM sessions WHERE id = $1)';

const removeVisits = statement<[string, string]>('facts_remove_visits', `DELETE FROM page_visits WHERE site_id = ${SITE} AND session_id = $1 AND page_id = $2`);
const insertVisits = statement<[string, string, string[], number[]]>(
  'facts_insert_visits',
  `INSERT INTO page_visits (site_id, session_id, page_id, url, ts)
   SELECT s.site_id, s.id, $2, v.url, v.ts FROM sessions s, unnest($3::text[], $4::bigint[]) AS v (url, ts) WHERE s.id = $1`,
);
const removeTracked = statement<[string, string]>('facts_remove_tracked', `DELETE FROM tracked_events WHERE site_id = ${SITE} AND session_id = $1 AND page_id = $2`);
const insertTracked = statement<[string, string, string[], number[]]>(
  'facts_insert_tracked',
  `INSERT INTO tracked_events (site_id, session_id, page_id, name, ts)
   SELECT s.site_id, s.id, $2, t.name, t.ts FROM sessions s, unnest($3::text[], $4::bigint[]) AS t (name, ts) WHERE s.id = $1`,
);
// Page loads are judged in any order: the source of the earliest one wins, and a page replaces its own.
const putSource = statement<[string, string, number, string, string]>(
  'facts_put_source',
  `INSERT INTO session_sources (site_id, session_id, page_id, page_ts, referrer_host, utm_source)
   SELECT site_id, id, $2, $3, $4, $5 FROM sessions WHERE id = $1
   ON CONFLICT (site_id, session_id) DO UPDATE SET page_id = excluded.page_id, page_ts = excluded.page_ts,
     referrer_host = excluded.referrer_host, utm_source = excluded.utm_source
   WHERE excluded.page_ts < session_sources.page_ts OR excluded.page_id = session_sources.page_id`,
);

/** Run, as on SQLite, inside the transaction of the pass that judged the page (a client of the pool). */
export function createPgConversionFactsRepo(db: Queryable): Async<ConversionFactsRepo> {
  return {
    async replaceForPage(sessionId, pageId, { visits, tracked, source }) {
      await removeVisits.run(db, sessionId, pageId);
      if (visits.length) await insertVisits.run(db, sessionId, pageId, visits.map((visit) => visit.url), visits.map((visit) => Math.floor(visit.ts)));
      await removeTracked.run(db, sessionId, pageId);
      if (tracked.length) await insertTracked.run(db, sessionId, pageId, tracked.map((event) => event.name), tracked.map((event) => Math.floor(event.ts)));
      if (source) await putSource.run(db, sessionId, pageId, Math.floor(source.ts), source.referrerHost, source.utmSource);
    },
  };
}
