// A session's timeline material on PostgreSQL: the analysed signals of the kinds a timeline lists.
import type { Async } from '../maybe-async';
import { TIMELINE_SIGNAL_KINDS, type SessionTimelineRepo, type TimelineSignalRow } from '../session-timeline-repo';
import { statement, type Queryable } from './pg-statement';

const SITE = '(SELECT site_id FROM sessions WHERE id = $1)';

// The kinds are picked out inside PostgreSQL (jsonb), so a long session's mutation signals never reach JavaScript.
const signals = statement<[string, string[]], TimelineSignalRow>(
  'timeline_signals',
  `SELECT p.page_id AS "pageId", j.value::text AS json
   FROM page_signals p CROSS JOIN LATERAL jsonb_array_elements(p.signals) WITH ORDINALITY AS j (value, n)
   WHERE p.site_id = ${SITE} AND p.session_id = $1 AND j.value->>'k' = ANY ($2)
   ORDER BY p.seq, j.n`,
);
const pending = statement<[string], { count: number }>(
  'timeline_pending',
  `SELECT count(*) AS count FROM chunks c
   WHERE c.site_id = ${SITE} AND c.session_received_at = (SELECT received_at FROM sessions WHERE id = $1) AND c.session_id = $1
     AND NOT EXISTS (SELECT 1 FROM page_signals p WHERE p.site_id = c.site_id AND p.session_id = c.session_id AND p.seq = c.seq)
     AND NOT EXISTS (SELECT 1 FROM analysis_skipped s WHERE s.site_id = c.site_id AND s.session_id = c.session_id AND s.seq = c.seq)`,
);

export function createPgSessionTimelineRepo(db: Queryable): Async<SessionTimelineRepo> {
  return {
    // Read whole rather than lazily as on SQLite (a cursor would hold a pooled connection while the route runs).
    signals: async (sessionId) => (await signals.all(db, sessionId, [...TIMELINE_SIGNAL_KINDS]))[Symbol.iterator](),
    pendingBatches: async (sessionId) => (await pending.get(db, sessionId))?.count ?? 0,
  };
}
