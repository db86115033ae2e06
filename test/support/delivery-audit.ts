// Compares what simulated recorders were told was stored with what the server's database holds.
import Database from 'better-sqlite3';
import type { SimulatedRecorder } from './simulated-recorders';

export interface DeliveryAudit {
  sessionsExpected: number;
  /** Recorders with at least one acknowledged batch whose session is not in the database. */
  sessionsMissing: string[];
  acked: number;
  /** Acknowledged batches not in the database: must be none. */
  ackedMissing: number;
  /** Batches in the database nobody was told were stored (the answer was lost, say to a crash). */
  storedUnacked: number;
  /** Sessions whose event count differs from the sum of their stored batches: a batch counted twice. */
  countMismatches: string[];
  /** Rows for the recorders' sessions in the database. */
  chunks: number;
}

/** Reads the database file directly; (session_id, seq) is the chunks' primary key, so each is there at most once. */
export function auditDelivery(dbPath: string, recorders: readonly SimulatedRecorder[]): DeliveryAudit {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const seqsOf = db.prepare<[string], number>('SELECT seq FROM chunks WHERE session_id = ?').pluck();
    const sessionOf = db.prepare<[string], { eventCount: number }>('SELECT event_count AS eventCount FROM sessions WHERE id = ?');
    const audit: DeliveryAudit = { sessionsExpected: 0, sessionsMissing: [], acked: 0, ackedMissing: 0, storedUnacked: 0, countMismatches: [], chunks: 0 };
    for (const recorder of recorders) {
      const stored = new Set(seqsOf.all(recorder.sessionId));
      audit.chunks += stored.size;
      audit.acked += recorder.acked.size;
      for (const seq of recorder.acked.keys()) if (!stored.has(seq)) audit.ackedMissing++;
      for (const seq of stored) if (!recorder.acked.has(seq)) audit.storedUnacked++;
      if (recorder.acked.size === 0) continue;
      audit.sessionsExpected++;
      const session = sessionOf.get(recorder.sessionId);
      if (!session) {
        audit.sessionsMissing.push(recorder.sessionId);
        continue;
      }
      const expected = [...stored].reduce((sum, seq) => sum + (recorder.eventsOf.get(seq) ?? NaN), 0);
      if (session.eventCount !== expected) audit.countMismatches.push(`${recorder.sessionId}: ${session.eventCount} events, its batches hold ${expected}`);
    }
    return audit;
  } finally {
    db.close();
  }
}

/** The analysis pass's progress: rows waiting, and batches analysed or skipped. */
export function analysisState(dbPath: string): { queued: number; claimed: number; analysed: number; chunks: number } {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const count = (sql: string) => db.prepare(sql).pluck().get() as number;
    // One read transaction, so the four counts see the same moment: a batch stored between two
    // separate reads (a closing tab's last post) showed one chunk more than was analysed.
    return db.transaction(() => ({
      queued: count('SELECT count(*) FROM analysis_queue'),
      claimed: count('SELECT count(*) FROM analysis_queue WHERE attempts > 0'),
      analysed: count('SELECT (SELECT count(*) FROM page_signals) + (SELECT count(*) FROM analysis_skipped)'),
      chunks: count('SELECT count(*) FROM chunks'),
    }))();
  } finally {
    db.close();
  }
}
