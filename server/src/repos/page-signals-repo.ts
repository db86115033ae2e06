// Each analysed batch's page signals, and the state of analysis per page load (final batch, completeness).
import type { Database } from 'better-sqlite3';
import type { JudgementReach } from '../analysis/judgement-reach';
import type { PageSignal } from '../analysis/page-signals';

export interface BatchSignals {
  sessionId: string;
  seq: number;
  pageId: string;
  signals: PageSignal[];
  analyzedAt: number;
}

/** What detection needs to know about a page load besides its signals; the reach is its stored judgement's. */
export interface PageAnalysisState extends JudgementReach {
  siteId: string;
  url: string;
  finalSeq: number | null;
  completedAt: number | null;
  /** Lowest and highest analysed seq of the page, and how many there are. */
  minSeq: number | null;
  maxSeq: number | null;
  batches: number;
  /** How many of its batches its stored judgement saw; null before the first (or after a redetect). */
  judgedBatches: number | null;
}

export interface Detection {
  /** Server clock of the run. */
  at: number;
  complete: boolean;
  /** The page's batches judged for the first time: only they are marked (earlier ones keep their time). */
  seqs: readonly number[];
  reach: JudgementReach;
  /** How many of the page's batches the judgement stands for. */
  batches: number;
}

export interface PageRef {
  sessionId: string;
  pageId: string;
}

export interface PageSignalsRepo {
  /** Replaces what an earlier pass stored for the batch (redetect runs the pass again). */
  put(batch: BatchSignals): void;
  /** The page's signals in recording order: by seq, then as extracted. */
  listByPage(sessionId: string, pageId: string): PageSignal[];
  state(sessionId: string, pageId: string): PageAnalysisState | undefined;
  markFinal(sessionId: string, pageId: string, seq: number): void;
  /** Records the outcome of a detection run: analyzed_at of the batches it first judged, the judgement's reach, and completed_at once complete. */
  markDetected(sessionId: string, pageId: string, detection: Detection): void;
  /** Pages not yet complete whose session has received nothing since `idleSince` (server clock). */
  listIdle(idleSince: number, limit: number): PageRef[];
  recordSkipped(sessionId: string, seq: number, error: string, now: number): void;
  skippedCount(): number;
}

export function createPageSignalsRepo(db: Database): PageSignalsRepo {
  const put = db.prepare<[BatchSignals & { json: string }]>(
    `INSERT INTO page_signals (session_id, seq, page_id, signals, analyzed_at)
     VALUES (@sessionId, @seq, @pageId, @json, @analyzedAt)
     ON CONFLICT (session_id, seq) DO UPDATE SET page_id = excluded.page_id, signals = excluded.signals, analyzed_at = excluded.analyzed_at`,
  );
  const byPage = db.prepare<[string, string], string>('SELECT signals FROM page_signals WHERE session_id = ? AND page_id = ? ORDER BY seq').pluck();
  const state = db.prepare<[string, string], PageAnalysisState>(
    `SELECT s.site_id AS siteId, p.url, p.final_seq AS finalSeq, p.completed_at AS completedAt,
       p.judged_through AS judgedThrough, p.last_active_at AS lastActiveAt, p.judged_batches AS judgedBatches,
       (SELECT min(seq) FROM page_signals g WHERE g.session_id = p.session_id AND g.page_id = p.page_id) AS minSeq,
       (SELECT max(seq) FROM page_signals g WHERE g.session_id = p.session_id AND g.page_id = p.page_id) AS maxSeq,
       (SELECT count(*) FROM page_signals g WHERE g.session_id = p.session_id AND g.page_id = p.page_id) AS batches
     FROM pages p JOIN sessions s ON s.id = p.session_id WHERE p.session_id = ? AND p.page_id = ?`,
  );
  const markFinal = db.prepare<[number, string, string]>(
    'UPDATE pages SET final_seq = max(coalesce(final_seq, -1), ?) WHERE session_id = ? AND page_id = ?',
  );
  const touchSignals = db.prepare<[number, string, number]>('UPDATE page_signals SET analyzed_at = ? WHERE session_id = ? AND seq = ?');
  const detected = db.prepare<[{ sessionId: string; pageId: string; at: number; complete: number; judgedThrough: number | null; lastActiveAt: number | null; batches: number }]>(
    `UPDATE pages SET judged_through = @judgedThrough, last_active_at = @lastActiveAt, judged_batches = @batches,
       completed_at = CASE WHEN @complete AND completed_at IS NULL THEN @at ELSE completed_at END
     WHERE session_id = @sessionId AND page_id = @pageId`,
  );
  const idle = db.prepare<[number, number], PageRef>(
    `SELECT p.session_id AS sessionId, p.page_id AS pageId FROM pages p JOIN sessions s ON s.id = p.session_id
     WHERE p.completed_at IS NULL AND s.updated_at < ?
       AND NOT EXISTS (SELECT 1 FROM analysis_queue q WHERE q.session_id = p.session_id)
     LIMIT ?`,
  );
  const skip = db.prepare<[string, number, string, number]>(
    'INSERT INTO analysis_skipped (session_id, seq, error, skipped_at) VALUES (?, ?, ?, ?) ON CONFLICT (session_id, seq) DO NOTHING',
  );
  const skipped = db.prepare<[], number>('SELECT count(*) FROM analysis_skipped').pluck();

  return {
    put(batch) {
      put.run({ ...batch, json: JSON.stringify(batch.signals) });
    },
    listByPage(sessionId, pageId) {
      const signals: PageSignal[] = [];
      for (const json of byPage.all(sessionId, pageId)) for (const signal of JSON.parse(json) as PageSignal[]) signals.push(signal);
      return signals;
    },
    state: (sessionId, pageId) => state.get(sessionId, pageId),
    markFinal(sessionId, pageId, seq) {
      markFinal.run(seq, sessionId, pageId);
    },
    markDetected(sessionId, pageId, { at, complete, seqs, reach, batches }) {
      for (const seq of seqs) touchSignals.run(at, sessionId, seq);
      detected.run({ sessionId, pageId, at, complete: complete ? 1 : 0, ...reach, batches });
    },
    listIdle: (idleSince, limit) => idle.all(idleSince, limit),
    recordSkipped(sessionId, seq, error, now) {
      skip.run(sessionId, seq, error.slice(0, 500), now);
    },
    skippedCount: () => skipped.get() ?? 0,
  };
}
