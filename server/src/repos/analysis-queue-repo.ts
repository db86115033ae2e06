// The analysis queue: a row per stored batch not yet analysed, claimed by a worker with a lease.
import type { Database } from 'better-sqlite3';

export interface QueuedBatch {
  id: number;
  sessionId: string;
  seq: number;
  enqueuedAt: number;
  /** Claims so far, this one included: a batch that keeps killing its worker is given up on. */
  attempts: number;
}

export interface AnalysisQueueRepo {
  /** Called by the batch store, in the transaction that stores the batch. */
  enqueue(sessionId: string, seq: number, now: number): void;
  /**
   * Claims up to `limit` of the oldest unclaimed (or expired) rows until now + leaseMs; one
   * statement, so two workers never claim the same row.
   */
  claim(limit: number, now: number, leaseMs: number): QueuedBatch[];
  /** Removes rows whose results are stored. */
  complete(ids: readonly number[]): void;
  /**
   * Gives claimed rows back at once, their claim not counted: the pass failed for a reason that was
   * not theirs (the database busy or unable to write), so they must not count towards giving up.
   */
  release(ids: readonly number[]): void;
  /**
   * Queues every stored batch again, of one site or all (for redetect), and forgets how far each of
   * their pages was judged, so each is judged afresh; returns how many rows were added.
   */
  enqueueStored(siteId: string | undefined, now: number): number;
  depth(): number;
  /** Rows waiting for one site's batches. */
  depthForSite(siteId: string): number;
  /** Whether any batch of the session waits for analysis. */
  hasPending(sessionId: string): boolean;
}

export function createAnalysisQueueRepo(db: Database): AnalysisQueueRepo {
  const enqueue = db.prepare<[string, number, number]>(
    'INSERT INTO analysis_queue (session_id, seq, enqueued_at) VALUES (?, ?, ?) ON CONFLICT (session_id, seq) DO NOTHING',
  );
  const claim = db.prepare<[{ now: number; lease: number; limit: number }], QueuedBatch>(
    `UPDATE analysis_queue SET claimed_until = @now + @lease, attempts = attempts + 1
     WHERE id IN (SELECT id FROM analysis_queue WHERE claimed_until <= @now ORDER BY id LIMIT @limit)
     RETURNING id, session_id AS sessionId, seq, enqueued_at AS enqueuedAt, attempts`,
  );
  const remove = db.prepare<[number]>('DELETE FROM analysis_queue WHERE id = ?');
  const release = db.prepare<[number]>('UPDATE analysis_queue SET claimed_until = 0, attempts = max(attempts - 1, 0) WHERE id = ?');
  const requeueAll = db.prepare<[number]>(
    `INSERT INTO analysis_queue (session_id, seq, enqueued_at)
     SELECT session_id, seq, ? FROM chunks ORDER BY session_id, seq
     ON CONFLICT (session_id, seq) DO NOTHING`,
  );
  const requeueSite = db.prepare<[number, string]>(
    `INSERT INTO analysis_queue (session_id, seq, enqueued_at)
     SELECT c.session_id, c.seq, ? FROM chunks c JOIN sessions s ON s.id = c.session_id
     WHERE s.site_id = ? ORDER BY c.session_id, c.seq
     ON CONFLICT (session_id, seq) DO NOTHING`,
  );
  const forgetAll = db.prepare('UPDATE pages SET judged_through = NULL, judged_batches = NULL WHERE judged_through IS NOT NULL OR judged_batches IS NOT NULL');
  const forgetSite = db.prepare<[string]>(
    'UPDATE pages SET judged_through = NULL, judged_batches = NULL WHERE (judged_through IS NOT NULL OR judged_batches IS NOT NULL) AND session_id IN (SELECT id FROM sessions WHERE site_id = ?)',
  );
  const requeue = db.transaction((siteId: string | undefined, now: number): number => {
    if (siteId === undefined) {
      forgetAll.run();
      return requeueAll.run(now).changes;
    }
    forgetSite.run(siteId);
    return requeueSite.run(now, siteId).changes;
  });
  const depth = db.prepare<[], number>('SELECT count(*) FROM analysis_queue').pluck();
  const depthForSite = db.prepare<[string], number>(
    'SELECT count(*) FROM analysis_queue q JOIN sessions s ON s.id = q.session_id WHERE s.site_id = ?',
  ).pluck();
  const pending = db.prepare<[string], number>('SELECT 1 FROM analysis_queue WHERE session_id = ? LIMIT 1').pluck();
  const completeAll = db.transaction((ids: readonly number[]) => ids.forEach((id) => remove.run(id)));
  const releaseAll = db.transaction((ids: readonly number[]) => ids.forEach((id) => release.run(id)));

  return {
    enqueue(sessionId, seq, now) {
      enqueue.run(sessionId, seq, now);
    },
    // RETURNING gives rows in no set order; the pass wants them oldest first.
    claim: (limit, now, leaseMs) => claim.all({ now, lease: leaseMs, limit }).sort((a, b) => a.id - b.id),
    complete(ids) {
      completeAll(ids);
    },
    release(ids) {
      releaseAll(ids);
    },
    enqueueStored: (siteId, now) => requeue(siteId, now),
    depth: () => depth.get() ?? 0,
    depthForSite: (siteId) => depthForSite.get(siteId) ?? 0,
    hasPending: (sessionId) => pending.get(sessionId) !== undefined,
  };
}
