// Reads a session's timeline material from its analysed page signals: page views, clicks, errors and failed requests.
import type { Database } from 'better-sqlite3';

/** The signal kinds a timeline lists (see analysis/page-signals.ts); mutations, scrolls and the rest are never copied out. */
export const TIMELINE_SIGNAL_KINDS = ['view', 'click', 'error', 'request-failed'] as const;

export interface TimelineSignalRow {
  pageId: string;
  /** One signal's JSON, as the analysis pass stored it. */
  json: string;
}

export interface SessionTimelineRepo {
  /** The session's signals of TIMELINE_SIGNAL_KINDS, batch by batch in seq order and in stored order within each; read lazily. */
  signals(sessionId: string): IterableIterator<TimelineSignalRow>;
  /** Stored batches of the session that the analysis pass has neither read nor skipped yet. */
  pendingBatches(sessionId: string): number;
}

export function createSessionTimelineRepo(db: Database): SessionTimelineRepo {
  // A batch's signals are mostly mutations: instr() finds the batches holding any wanted kind without
  // parsing their JSON (JSON.stringify writes no spaces), and json_each picks the wanted signals out
  // inside SQLite, so a long session's hundred thousand mutation signals never become JS objects.
  const kinds = TIMELINE_SIGNAL_KINDS.map((kind) => `'${kind}'`).join(', ');
  const anyKind = TIMELINE_SIGNAL_KINDS.map((kind) => `instr(p.signals, '"k":"${kind}"') > 0`).join(' OR ');
  const signals = db.prepare<[string], TimelineSignalRow>(
    `SELECT p.page_id AS pageId, j.value AS json
     FROM page_signals p, json_each(p.signals) j
     WHERE p.session_id = ? AND (${anyKind}) AND json_extract(j.value, '$.k') IN (${kinds})
     ORDER BY p.seq, j.key`,
  );
  const pending = db
    .prepare<[string], number>(
      `SELECT count(*) FROM chunks c WHERE c.session_id = ?
         AND NOT EXISTS (SELECT 1 FROM page_signals p WHERE p.session_id = c.session_id AND p.seq = c.seq)
         AND NOT EXISTS (SELECT 1 FROM analysis_skipped s WHERE s.session_id = c.session_id AND s.seq = c.seq)`,
    )
    .pluck();

  return {
    signals: (sessionId) => signals.iterate(sessionId),
    pendingBatches: (sessionId) => pending.get(sessionId) ?? 0,
  };
}
