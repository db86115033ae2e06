// What impact and funnels read per page load, kept by the analysis pass: visited URLs, tracked events, and each session's traffic source.
import type { Database } from 'better-sqlite3';
import type { PageFacts } from '../conversions/page-facts';

export interface ConversionFactsRepo {
  /** Replaces the page's visits and tracked events, and makes its source the session's when it loaded first. */
  replaceForPage(sessionId: string, pageId: string, facts: PageFacts): void;
}

export function createConversionFactsRepo(db: Database): ConversionFactsRepo {
  const removeVisits = db.prepare<[string, string]>('DELETE FROM page_visits WHERE session_id = ? AND page_id = ?');
  const insertVisit = db.prepare<[string, string, string, number]>('INSERT INTO page_visits (session_id, page_id, url, ts) VALUES (?, ?, ?, ?)');
  const removeTracked = db.prepare<[string, string]>('DELETE FROM tracked_events WHERE session_id = ? AND page_id = ?');
  const insertTracked = db.prepare<[string, string, string, number]>('INSERT INTO tracked_events (session_id, page_id, name, ts) VALUES (?, ?, ?, ?)');
  // Page loads are judged in any order: the source of the earliest one wins, and a page replaces its own.
  const putSource = db.prepare<[{ sessionId: string; pageId: string; ts: number; referrerHost: string; utmSource: string }]>(
    `INSERT INTO session_sources (session_id, page_id, page_ts, referrer_host, utm_source)
     VALUES (@sessionId, @pageId, @ts, @referrerHost, @utmSource)
     ON CONFLICT (session_id) DO UPDATE SET page_id = excluded.page_id, page_ts = excluded.page_ts,
       referrer_host = excluded.referrer_host, utm_source = excluded.utm_source
     WHERE excluded.page_ts < session_sources.page_ts OR excluded.page_id = session_sources.page_id`,
  );

  return {
    replaceForPage(sessionId, pageId, { visits, tracked, source }) {
      removeVisits.run(sessionId, pageId);
      for (const visit of visits) insertVisit.run(sessionId, pageId, visit.url, Math.floor(visit.ts));
      removeTracked.run(sessionId, pageId);
      for (const event of tracked) insertTracked.run(sessionId, pageId, event.name, Math.floor(event.ts));
      if (source) putSource.run({ sessionId, pageId, ...source, ts: Math.floor(source.ts) });
    },
  };
}
