// Stores one validated batch and updates its session and page, all in one transaction.
import type { Database } from 'better-sqlite3';
import type { IngestResponse } from '../api-types';
import type { IngestBatch } from '../../../recorder/src/wire/format';
import { ApiError } from '../errors/api-error';
import type { Repos } from '../repos/create-repos';
import { parseUserAgent } from './user-agent';

/** What storage needs from a batch; the parsed events themselves are dropped before queueing. */
export interface BatchSummary {
  sessionId: string;
  seq: number;
  pageId: string;
  url: string;
  /** Earliest and latest event timestamps, integer ms. */
  firstTs: number;
  lastTs: number;
  eventCount: number;
}

export interface BatchToStore {
  siteId: string;
  batch: BatchSummary;
  /** The gzip bytes to keep: the received body when it came gzipped, so nothing is deflated twice. */
  gzipBody: Buffer;
  userAgent: string | undefined;
  receivedAt: number;
}

export type StoreBatch = (input: BatchToStore) => IngestResponse;

/**
 * Keeps only what storage needs, so the parsed events (thousands of small objects) become
 * garbage before the batch waits for its commit: survivors are what makes V8's young GC slow.
 */
export function summarizeBatch(batch: IngestBatch): BatchSummary {
  // Events come in emission order, but the span is taken as min/max so that cannot matter.
  let first = Infinity;
  let last = -Infinity;
  for (const event of batch.events) {
    if (event.timestamp < first) first = event.timestamp;
    if (event.timestamp > last) last = event.timestamp;
  }
  const { sessionId, seq, pageId, url } = batch;
  // Columns are integer ms; rrweb emits Date.now(), so flooring only trims hand-made fractions.
  return { sessionId, seq, pageId, url, firstTs: Math.floor(first), lastTs: Math.floor(last), eventCount: batch.events.length };
}

export function createBatchStore(db: Database, repos: Repos): StoreBatch {
  const { sessions, pages, chunks } = repos;

  const store = db.transaction(({ siteId, batch, gzipBody, userAgent, receivedAt }: BatchToStore): IngestResponse => {
    const { sessionId, seq, pageId, url, firstTs: first, lastTs: last, eventCount } = batch;
    const existing = sessions.findForBatch(sessionId);
    // Checked before the duplicate test, so one site can never learn which batches another stored.
    if (existing !== undefined && existing.siteId !== siteId) {
      throw new ApiError(409, 'session_conflict', `Session ${sessionId} belongs to another site`);
    }
    if (existing !== undefined && chunks.exists(sessionId, seq)) return { stored: false, duplicate: true };

    if (existing === undefined) {
      sessions.insert({
        id: sessionId,
        siteId,
        startedAt: first,
        endedAt: last,
        eventCount,
        entryUrl: url,
        userAgent: userAgent ?? null,
        ...parseUserAgent(userAgent),
        receivedAt,
      });
      pages.insert({ sessionId, pageId, url, startedAt: first });
    } else {
      const pageStart = pages.findStartedAt(sessionId, pageId);
      if (pageStart === undefined) pages.insert({ sessionId, pageId, url, startedAt: first });
      else if (first < pageStart) pages.moveStartEarlier(sessionId, pageId, first);
      sessions.recordBatch({
        id: sessionId,
        startedAt: first,
        endedAt: last,
        eventCount,
        earlier: first < existing.startedAt,
        newPages: pageStart === undefined ? 1 : 0,
        url,
        updatedAt: receivedAt,
      });
    }
    chunks.insert({ sessionId, seq, pageId, firstTs: first, lastTs: last, eventCount, body: gzipBody, receivedAt });
    return { stored: true, duplicate: false };
  });

  return function storeBatch(input) {
    return store(input);
  };
}
