// The analysis queue on PostgreSQL: claimed with FOR UPDATE SKIP LOCKED, so nodes never take the same batch.
import type { AnalysisQueueRepo, QueuedBatch } from '../analysis-queue-repo';
import type { Async } from '../maybe-async';
import { statement, type Queryable } from './pg-statement';

const enqueue = statement<[string, number, number]>(
  'analysis_queue_enqueue',
  `INSERT INTO analysis_queue (site_id, session_id, seq, enqueued_at) SELECT site_id, id, $2, $3 FROM sessions WHERE id = $1
   ON CONFLICT (site_id, session_id, seq) DO NOTHING`,
);
// A row another node is claiming right now is skipped, not waited for; ids are an identity, so oldest first.
const claim = statement<[number, number, number], QueuedBatch>(
  'analysis_queue_claim',
  `UPDATE analysis_queue q SET claimed_until = $2 + $3, attempts = q.attempts + 1
   FROM (SELECT site_id, id FROM analysis_queue WHERE claimed_until <= $2 ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED) next
   WHERE q.site_id = next.site_id AND q.id = next.id
   RETURNING q.id, q.session_id AS "sessionId", q.seq, q.enqueued_at AS "enqueuedAt", q.attempts`,
);
const complete = statement<[number[]]>('analysis_queue_complete', 'DELETE FROM analysis_queue WHERE id = ANY ($1)');
const release = statement<[number[]]>(
  'analysis_queue_release',
  'UPDATE analysis_queue SET claimed_until = 0, attempts = greatest(attempts - 1, 0) WHERE id = ANY ($1)',
);
const requeue = statement<[number, string | null]>(
  'analysis_queue_requeue',
  `WITH forget AS (UPDATE pages SET judged_through = NULL, judged_batches = NULL
                 WHERE (judged_through IS NOT NULL OR judged_batches IS NOT NULL) AND ($2::text IS NULL OR site_id = $2))
   INSERT INTO analysis_queue (site_id, session_id, seq, enqueued_at)
   SELECT site_id, session_id, seq, $1 FROM chunks WHERE $2::text IS NULL OR site_id = $2 ORDER BY site_id, session_id, seq
   ON CONFLICT (site_id, session_id, seq) DO NOTHING`,
);
const depth = statement<[], { count: number }>('analysis_queue_depth', 'SELECT count(*) AS count FROM analysis_queue');
const depthForSite = statement<[string], { count: number }>('analysis_queue_depth_for_site', 'SELECT count(*) AS count FROM analysis_queue WHERE site_id = $1');
const pending = statement<[string]>(
  'analysis_queue_pending',
  'SELECT 1 FROM analysis_queue WHERE site_id = (SELECT site_id FROM sessions WHERE id = $1) AND session_id = $1 LIMIT 1',
);

export function createPgAnalysisQueueRepo(db: Queryable): Async<AnalysisQueueRepo> {
  return {
    async enqueue(sessionId, seq, now) {
      await enqueue.run(db, sessionId, seq, now);
    },
    claim: async (limit, now, leaseMs) => (await claim.all(db, limit, now, leaseMs)).sort((a, b) => a.id - b.id),
    async complete(ids) {
      if (ids.length > 0) await complete.run(db, [...ids]);
    },
    async release(ids) {
      if (ids.length > 0) await release.run(db, [...ids]);
    },
    enqueueStored: async (siteId, now) => (await requeue.run(db, now, siteId ?? null)).rowCount ?? 0,
    depth: async () => (await depth.get(db))?.count ?? 0,
    depthForSite: async (siteId) => (await depthForSite.get(db, siteId))?.count ?? 0,
    hasPending: async (sessionId) => (await pending.get(db, sessionId)) !== undefined,
  };
}
