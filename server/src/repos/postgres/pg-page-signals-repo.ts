// Each analysed batch's page signals on PostgreSQL, and the state of analysis per page load.
import type { PageSignal } from '../../analysis/page-signals';
import type { Async } from '../maybe-async';
import type { PageAnalysisState, PageRef, PageSignalsRepo } from '../page-signals-repo';
import { statement, type Queryable } from './pg-statement';

const SITE = '(SELECT site_id FROM sessions WHERE id = $1)';

const put = statement<[string, number, string, string, number]>(
  'page_signals_put',
  `INSERT INTO page_signals (site_id, session_id, seq, page_id, signals, analyzed_at)
   SELECT site_id, id, $2, $3, $4::jsonb, $5 FROM sessions WHERE id = $1
   ON CONFLICT (site_id, session_id, seq) DO UPDATE SET page_id = excluded.page_id, signals = excluded.signals, analyzed_at = excluded.analyzed_at`,
);
const byPage = statement<[string, string], { signals: PageSignal[] }>(
  'page_signals_by_page',
  `SELECT signals FROM page_signals WHERE site_id = ${SITE} AND session_id = $1 AND page_id = $2 ORDER BY seq`,
);
const state = statement<[string, string], PageAnalysisState>(
  'page_signals_state',
  `SELECT p.site_id AS "siteId", p.url, p.final_seq AS "finalSeq", p.completed_at AS "completedAt",
     p.judged_through AS "judgedThrough", p.last_active_at AS "lastActiveAt", p.judged_batches AS "judgedBatches",
     g.min_seq AS "minSeq", g.max_seq AS "maxSeq", g.batches
   FROM pages p CROSS JOIN LATERAL (
     SELECT min(seq) AS min_seq, max(seq) AS max_seq, count(*)::integer AS batches FROM page_signals
     WHERE site_id = p.site_id AND session_id = p.session_id AND page_id = p.page_id) g
   WHERE p.site_id = ${SITE} AND p.session_id = $1 AND p.page_id = $2`,
);
const markFinal = statement<[string, string, number]>(
  'page_signals_mark_final',
  `UPDATE pages SET final_seq = greatest(coalesce(final_seq, -1), $3) WHERE site_id = ${SITE} AND session_id = $1 AND page_id = $2`,
);
const touchSignals = statement<[string, number[], number]>(
  'page_signals_touch',
  `UPDATE page_signals SET analyzed_at = $3 WHERE site_id = ${SITE} AND session_id = $1 AND seq = ANY($2::integer[])`,
);
const detected = statement<[string, string, number, boolean, number | null, number | null, number]>(
  'page_signals_detected',
  `UPDATE pages SET judged_through = $5, last_active_at = $6, judged_batches = $7,
     completed_at = CASE WHEN $4 AND completed_at IS NULL THEN $3 ELSE completed_at END
   WHERE site_id = ${SITE} AND session_id = $1 AND page_id = $2`,
);
const idle = statement<[number, number], PageRef>(
  'page_signals_idle',
  `SELECT p.session_id AS "sessionId", p.page_id AS "pageId" FROM pages p JOIN sessions s ON s.site_id = p.site_id AND s.id = p.session_id
   WHERE p.completed_at IS NULL AND s.updated_at < $1
     AND NOT EXISTS (SELECT 1 FROM analysis_queue q WHERE q.site_id = p.site_id AND q.session_id = p.session_id)
   LIMIT $2`,
);
const skip = statement<[string, number, string, number]>(
  'page_signals_skip',
  `INSERT INTO analysis_skipped (site_id, session_id, seq, error, skipped_at) SELECT site_id, id, $2, $3, $4 FROM sessions WHERE id = $1
   ON CONFLICT (site_id, session_id, seq) DO NOTHING`,
);
const skipped = statement<[], { count: number }>('page_signals_skipped_count', 'SELECT count(*) AS count FROM analysis_skipped');

export function createPgPageSignalsRepo(db: Queryable): Async<PageSignalsRepo> {
  return {
    async put(batch) {
      await put.run(db, batch.sessionId, batch.seq, batch.pageId, JSON.stringify(batch.signals), batch.analyzedAt);
    },
    listByPage: async (sessionId, pageId) => (await byPage.all(db, sessionId, pageId)).flatMap((row) => row.signals),
    state: (sessionId, pageId) => state.get(db, sessionId, pageId),
    async markFinal(sessionId, pageId, seq) {
      await markFinal.run(db, sessionId, pageId, seq);
    },
    async markDetected(sessionId, pageId, { at, complete, seqs, reach, batches }) {
      if (seqs.length > 0) await touchSignals.run(db, sessionId, [...seqs], at);
      await detected.run(db, sessionId, pageId, at, complete, reach.judgedThrough, reach.lastActiveAt, batches);
    },
    listIdle: (idleSince, limit) => idle.all(db, idleSince, limit),
    async recordSkipped(sessionId, seq, error, now) {
      await skip.run(db, sessionId, seq, error.slice(0, 500), now);
    },
    skippedCount: async () => (await skipped.get(db))?.count ?? 0,
  };
}
