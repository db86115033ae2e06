// The most one session may store: events, inflated bytes, page loads and the time it spans.
import { ApiError } from '../errors/api-error';

/** About 16 hours of a busy session (a batch of ~40 events every 5 s): far past any real visit. */
export const MAX_EVENTS_PER_SESSION = 500_000;
/**
 * Event JSON the session's batches inflate to. Half of what the viewer loads into one replay
 * (200 MB, viewer/src/lib/batch-loader.ts) so a session that reaches it still plays to its end;
 * a recorded visit takes about 0.25 MB a minute (README, bench:recorder-wire).
 */
export const MAX_INFLATED_BYTES_PER_SESSION = 100 * 1024 * 1024;
/** Page loads (full snapshots) in one session; a long shopping visit has tens. */
export const MAX_PAGES_PER_SESSION = 1000;
/**
 * From a session's first event to its last. A session ends after 30 minutes without activity, so
 * a day means someone active all day in one tab; more is a clock that jumped, or a forged batch
 * (a batch dated 1970 after one dated today would make a replay 56 years long).
 */
export const MAX_SESSION_SPAN_MS = 24 * 60 * 60 * 1000;

/** A session as stored so far. */
export interface SessionTotals {
  startedAt: number;
  endedAt: number;
  eventCount: number;
  pageCount: number;
  inflatedBytes: number;
}

/** What one more batch adds. */
export interface BatchAddition {
  firstTs: number;
  lastTs: number;
  eventCount: number;
  inflatedBytes: number;
  /** Whether the batch starts a page load the session has not stored yet. */
  newPage: boolean;
}

function capReached(message: string): ApiError {
  // 413, which the recorder does not retry: the batch would be refused every time.
  return new ApiError(413, 'session_limit', `${message}; this session stores nothing more`);
}

/** Throws the 413 session_limit refusal when the batch would take the session past a cap. */
export function checkSessionCaps(session: SessionTotals, batch: BatchAddition): void {
  if (session.eventCount + batch.eventCount > MAX_EVENTS_PER_SESSION) {
    throw capReached(`The session would hold more than ${MAX_EVENTS_PER_SESSION} events`);
  }
  if (session.inflatedBytes + batch.inflatedBytes > MAX_INFLATED_BYTES_PER_SESSION) {
    throw capReached(`The session would hold more than ${MAX_INFLATED_BYTES_PER_SESSION} bytes of events`);
  }
  if (batch.newPage && session.pageCount + 1 > MAX_PAGES_PER_SESSION) {
    throw capReached(`The session would hold more than ${MAX_PAGES_PER_SESSION} page loads`);
  }
  if (Math.max(session.endedAt, batch.lastTs) - Math.min(session.startedAt, batch.firstTs) > MAX_SESSION_SPAN_MS) {
    throw capReached(`The session would span more than ${MAX_SESSION_SPAN_MS / 3_600_000} hours`);
  }
}
